/* lazy.c: globals and modules loaded on first use (see lazy.h). */
#include "host/lazy.h"

#include <lauxlib.h>
#include <string.h>

#include "lib/libs.h"

void (*lazy_loaded_hook)(lua_State *L);

/* Pushes the field of the lazy table (in the registry). */
static void push_part(lua_State *L, const char *part)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    lua_getfield(L, -1, part);
    lua_remove(L, -2);
}

/* The loader of every C module: opens them all (those not open yet), then
 * returns the one asked for from package.loaded; the globals come through
 * _G's __index, one by one as they are used. */
static int load_c_modules(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    libs_open(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, name);
    return 1;
}

/* _G's __index(t, k): a pending global is loaded, stored in _G, and no
 * longer pending. Upvalue 1: the pending table. */
static int global_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) return 0;
    lua_pop(L, 1);
    const char *name = lua_tostring(L, 2);
    if (!lazy_push(L, name)) return 0;
    lua_pushvalue(L, 2);
    lua_pushnil(L);
    lua_rawset(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* _G's __newindex(t, k, v): a name assigned before its first use is the
 * script's from now on. */
static int global_newindex(lua_State *L)
{
    lua_pushvalue(L, 2);
    lua_pushnil(L);
    lua_rawset(L, lua_upvalueindex(1));
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}


/* package.preload[name]: require gets the value the loader made. */
static int module_preload(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!lazy_push(L, name)) return luaL_error(L, "require: no loader for '%s'", name);
    return 1;
}

void lazy_begin(lua_State *L)
{
    lua_createtable(L, 0, 5);
    static const char *const parts[] = {"loaders", "values", "globals", "modules", "pending"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        lua_newtable(L);
        lua_setfield(L, -2, parts[i]);
    }
    lua_getfield(L, -1, "pending");
    lua_pushglobaltable(L);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, global_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, global_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
    lua_pop(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    for (const LibsModule *m = libs_modules; m->name; m++) {
        if (strcmp(m->name, "luagrad.sys") == 0) continue;  /* open already */
        lua_pushcfunction(L, load_c_modules);
        lazy_add(L, m->name, m->global, 1);
    }
}

/* Sets t[name] = true for the field part of the lazy table at idx. */
static void mark(lua_State *L, int idx, const char *part, const char *name)
{
    lua_getfield(L, idx, part);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void lazy_add(lua_State *L, const char *name, int global, int module)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    int lazy = lua_gettop(L);
    lua_getfield(L, lazy, "loaders");
    lua_pushvalue(L, lazy - 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
    if (global) {
        mark(L, lazy, "globals", name);
        mark(L, lazy, "pending", name);
    }
    if (module) {
        mark(L, lazy, "modules", name);
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
        lua_pushcfunction(L, module_preload);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);  /* the lazy table, the loader */
}

int lazy_push(lua_State *L, const char *name)
{
    push_part(L, "values");
    if (lua_getfield(L, -1, name) != LUA_TNIL) {
        lua_remove(L, -2);
        return 1;
    }
    lua_pop(L, 1);
    push_part(L, "loaders");
    if (lua_getfield(L, -1, name) == LUA_TNIL) {
        lua_pop(L, 3);
        return 0;
    }
    lua_remove(L, -2);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);  /* values[name] */
    lua_remove(L, -2);
    if (lazy_loaded_hook) lazy_loaded_hook(L);
    return 1;
}

int lazy_has(lua_State *L, const char *name, int global)
{
    push_part(L, global ? "globals" : "modules");
    int has = lua_getfield(L, -1, name) != LUA_TNIL;
    lua_pop(L, 2);
    return has;
}

void lazy_push_pending(lua_State *L)
{
    lua_newtable(L);
    push_part(L, "pending");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}
