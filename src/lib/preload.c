/* preload.c: makes the Lua modules of lua/luagrad/ (embedded as bytecode by
 * src/host/embed.c) loadable with require, in the program and in the Lua
 * module luagrad.so alike (see libs.h). */
#include "lib/libs.h"

#include <lauxlib.h>
#include <string.h>

#include "host/modules.h"

/* package.preload["luagrad.x"]: loads the embedded bytecode of lua/luagrad/x.lua. */
static int load_embedded(lua_State *L)
{
    const EmbeddedModule *m = lua_touserdata(L, lua_upvalueindex(1));
    if (luaL_loadbufferx(L, m->code, m->size, m->name, "b") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, 1);  /* the module name, as require passes it */
    lua_call(L, 1, 1);
    return 1;
}

int libs_push_embedded(lua_State *L, const char *name)
{
    for (const EmbeddedModule *m = embedded_modules; m->name; m++) {
        if (strcmp(m->name, name) == 0) {
            lua_pushlightuserdata(L, (void *)m);
            lua_pushcclosure(L, load_embedded, 1);
            return 1;
        }
    }
    return 0;
}

void libs_preload(lua_State *L)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    for (const EmbeddedModule *m = embedded_modules; m->name; m++) {
        lua_pushlightuserdata(L, (void *)m);
        lua_pushcclosure(L, load_embedded, 1);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 1);
}
