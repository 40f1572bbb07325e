/* rnglib.h: the run's random number generator, for the C modules. */
#ifndef LUAGRAD_RNGLIB_H
#define LUAGRAD_RNGLIB_H

#include <lua.h>

#include "core/rng.h"

/* The generator of this Lua state (module rng must be open). */
Rng *lib_rng(lua_State *L);

#endif
