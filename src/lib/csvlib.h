/* csvlib.h: what the rest of the host needs from the csv module. */
#ifndef LUAGRAD_CSVLIB_H
#define LUAGRAD_CSVLIB_H

#include <lua.h>

/* Closes every csv writer still open: committed when ok, kept as
 * NAME.incomplete otherwise. Never raises; a commit that fails (the disk
 * filled up at the last write) is reported on stderr and makes it return 0,
 * else 1. Called by libs_finish at the end of a run. */
int csvlib_finish(lua_State *L, int ok);

#endif
