/* exit.h: os.exit in a luagrad script raises an exit request that unwinds
 * to the host (so output files are closed and run.json is written), and
 * pcall, xpcall and coroutine.resume let such a request through. */
#ifndef LUAGRAD_EXIT_H
#define LUAGRAD_EXIT_H

#include <lua.h>

/* Replaces os.exit, pcall, xpcall and coroutine.resume in L. */
void exit_install(lua_State *L);

#endif
