/* csvlib.h: what the rest of the host needs from the csv module. */
#ifndef LUAGRAD_CSVLIB_H
#define LUAGRAD_CSVLIB_H

#include <lua.h>

/* Closes every csv writer still open: committed when ok, kept as
 * NAME.incomplete otherwise. Never raises; a commit that fails is reported
 * on stderr. Called by libs_finish at the end of a run. */
void csvlib_finish(lua_State *L, int ok);

#endif
