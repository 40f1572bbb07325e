/* repl.h: the interactive prompt. */
#ifndef LUAGRAD_REPL_H
#define LUAGRAD_REPL_H

#include <lua.h>

/* Reads statements from the terminal until end of input; returns 0. */
int repl_main(lua_State *L);

#endif
