/* libs.h: luagrad's C modules for Lua, each in its own file of src/lib/.
 * The host opens all of them with libs_open; this table is the one list. */
#ifndef LUAGRAD_LIBS_H
#define LUAGRAD_LIBS_H

#include <lua.h>

/* Opens every module as a global and in package.loaded (require "tensor"). */
void libs_open(lua_State *L);

/* At the end of a run: closes the output files still open, as complete when
 * ok, or under an "incomplete" name when the run failed. Never raises;
 * returns 0 when a file could not be completed (reported on stderr), so
 * that the run fails. */
int libs_finish(lua_State *L, int ok);

#endif
