/* proc.h: the functions of luagrad.sys that start programs, which the host
 * owns (src/host/proc.c): sys.run (gnuplot) and sys.pool (run, sweep). */
#ifndef LUAGRAD_PROC_H
#define LUAGRAD_PROC_H

#include <lua.h>

/* Adds run and pool to the table of the module luagrad.sys. */
void proc_open(lua_State *L);

#endif
