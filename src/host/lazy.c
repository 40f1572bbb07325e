/* lazy.c: globals and modules loaded on first use (see lazy.h).
 *
 * The names are fixed (the C modules of src/lib/libs.c and the table
 * below), so they live in C arrays, not in Lua tables filled at every
 * start: which globals _G still lacks is one bit each, in a userdata
 * shared by _G's __index and __newindex. */
#include "host/lazy.h"

#include <lauxlib.h>
#include <string.h>

#include "lib/libs.h"

void (*lazy_loaded_hook)(lua_State *L);

/* The globals written in Lua (lua/luagrad/): the value is the module, or
 * one field of it. */
typedef struct LuaGlobal {
    const char *name;    /* the global */
    const char *module;  /* the embedded module that makes it */
    const char *field;   /* NULL: the module itself */
    int requirable;      /* require "name" gives it too */
} LuaGlobal;

static const LuaGlobal lua_globals[] = {
    {"params", "luagrad.params", "declare", 1},
    {"report", "luagrad.report", "report", 1},
    {"plot", "luagrad.plot", NULL, 1},
    {"data", "luagrad.data", NULL, 1},
    {"nn", "luagrad.nn", NULL, 1},
    {"help", "luagrad.help", "help", 0},
    {NULL, NULL, NULL, 0}
};

/* A name with a loader: its bit, and what it is. */
typedef struct Entry {
    int bit;
    int global, module;
    const LuaGlobal *lua;  /* NULL: a C module */
} Entry;

/* Fills e for name; returns 0 when name has no loader. luagrad.sys is open
 * from the start. */
static int find(const char *name, Entry *e)
{
    int bit = 0;
    for (const LibsModule *m = libs_modules; m->name; m++, bit++) {
        if (strcmp(m->name, name) == 0) {
            if (strcmp(name, "luagrad.sys") == 0) return 0;
            *e = (Entry){bit, m->global, 1, NULL};
            return 1;
        }
    }
    for (const LuaGlobal *g = lua_globals; g->name; g++, bit++) {
        if (strcmp(g->name, name) == 0) {
            *e = (Entry){bit, 1, g->requirable, g};
            return 1;
        }
    }
    return 0;
}

/* The name of bit i, or NULL past the last. */
static const char *name_of(int i)
{
    int n = 0;
    while (libs_modules[n].name) n++;
    if (i < n) return libs_modules[i].name;
    for (const LuaGlobal *g = lua_globals; g->name; g++)
        if (i == n++) return g->name;
    return NULL;
}

typedef unsigned long long Bits;  /* one per name: 13 C modules, 6 Lua globals */

static Bits *pending_bits(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* _G's __index(t, k): a pending global is loaded, stored in _G, and no
 * longer pending. Upvalue 1: the pending bits. */
static int global_index(lua_State *L)
{
    Entry e;
    if (lua_type(L, 2) != LUA_TSTRING || !find(lua_tostring(L, 2), &e) || !e.global) return 0;
    Bits *pending = pending_bits(L);
    if (!(*pending & (1ULL << e.bit))) return 0;
    lazy_push(L, lua_tostring(L, 2));
    *pending &= ~(1ULL << e.bit);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* _G's __newindex(t, k, v): a name assigned before its first use is the
 * script's from now on. */
static int global_newindex(lua_State *L)
{
    Entry e;
    if (lua_type(L, 2) == LUA_TSTRING && find(lua_tostring(L, 2), &e))
        *pending_bits(L) &= ~(1ULL << e.bit);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

/* next(t, k), raw: what pairs gives back after loading (the base
 * library's next may have been replaced by the script). */
static int raw_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

/* Every global with a loader, loaded into the table at idx by reading it
 * (its __index loads what is still pending; a name the script assigned
 * stays the script's). */
static void load_all(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    Entry e;
    for (int i = 0; name_of(i); i++) {
        if (!find(name_of(i), &e) || !e.global) continue;
        lua_getfield(L, idx, name_of(i));
        lua_pop(L, 1);
    }
}

/* __pairs of the globals: everything loaded first, so pairs(_G) lists
 * every global as it did when all were loaded at start. */
static int lazy_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    load_all(L, 1);
    lua_pushcfunction(L, raw_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void lazy_add_pairs(lua_State *L, int mt)
{
    lua_pushcfunction(L, lazy_pairs);
    lua_setfield(L, mt < 0 ? mt - 1 : mt, "__pairs");
}

/* setmetatable(t, mt), getmetatable(t), debug.setmetatable(t, mt) and
 * debug.getmetatable(t): the original (upvalue 1), but a table of globals
 * (_G, or a sandbox's) loads every pending global first, since the new
 * metatable, or the old one changed in place (Lua 5.1's strict.lua), will
 * not load them (a strict-mode __index, say). */
static int load_all_first(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE && lua_getmetatable(L, 1)) {
        lua_pushliteral(L, "__pairs");
        int ours = lua_rawget(L, -2) == LUA_TFUNCTION && lua_tocfunction(L, -1) == lazy_pairs;
        lua_pop(L, 2);
        if (ours) load_all(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* The loader require calls: the value lazy_push makes. */
static int module_loader(lua_State *L)
{
    lazy_push(L, luaL_checkstring(L, 1));
    return 1;
}

/* package.searchers[2], after package.preload: the embedded Lua modules
 * (luagrad.params, ...) and the names with a loader. Says nothing about a
 * name it does not know, so require's "not found" message is as before. */
static int searcher(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    Entry e;
    if (libs_push_embedded(L, name)) {
        lua_pushvalue(L, 1);
        return 2;
    }
    if (find(name, &e) && e.module) {
        lua_pushcfunction(L, module_loader);
        lua_pushvalue(L, 1);
        return 2;
    }
    return 0;
}

/* LAZY[3]() -> the names of the globals with a loader (tests/test_defs.lua
 * uses each, to see them all). */
static int global_names(lua_State *L)
{
    lua_newtable(L);
    Entry e;
    for (int i = 0; name_of(i); i++) {
        if (!find(name_of(i), &e) || !e.global) continue;
        lua_pushstring(L, name_of(i));
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    return 1;
}

/* lib.name (lib NULL: the global name) becomes load_all_first around it. */
static void wrap_field(lua_State *L, const char *lib, const char *name)
{
    if (lib) lua_getglobal(L, lib);
    else lua_pushglobaltable(L);
    if (lua_istable(L, -1)) {
        if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
            lua_pushcclosure(L, load_all_first, 1);
            lua_setfield(L, -2, name);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

void lazy_begin(lua_State *L)
{
    lua_createtable(L, 3, 24);  /* the values; [1] the original require, [2] the bits */
    lua_getglobal(L, "require");
    lua_rawseti(L, -2, 1);
    lua_pushcfunction(L, global_names);
    lua_rawseti(L, -2, 3);
    Bits *pending = lua_newuserdatauv(L, sizeof *pending, 0);
    *pending = 0;
    Entry e;
    for (int i = 0; name_of(i); i++)
        if (find(name_of(i), &e) && e.global) *pending |= 1ULL << i;
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, 2);
    lua_insert(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    lua_pushglobaltable(L);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, global_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, -3);
    lua_pushcclosure(L, global_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lazy_add_pairs(L, -1);
    lua_setmetatable(L, -2);
    lua_pop(L, 2);
    wrap_field(L, NULL, "setmetatable");
    wrap_field(L, NULL, "getmetatable");
    wrap_field(L, "debug", "setmetatable");
    wrap_field(L, "debug", "getmetatable");

    /* the searcher goes second: a script's own package.preload still wins */
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "searchers");
    for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i >= 2; i--) {
        lua_rawgeti(L, -1, i);
        lua_rawseti(L, -2, i + 1);
    }
    lua_pushcfunction(L, searcher);
    lua_rawseti(L, -2, 2);
    lua_pop(L, 2);
}

/* Opens every C module (but luagrad.sys, open from the start) into the
 * values table at idx, in libs_modules' order (autograd needs tensor's
 * metatable), and into package.loaded where that has nothing yet. Their
 * openers are called directly, not through package.loaded: a name the
 * script put there first (package.loaded.tensor = x, or a preload) stays
 * the script's for require, and luagrad's modules are still all open. */
static void open_c_modules(lua_State *L, int idx)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    for (const LibsModule *m = libs_modules; m->name; m++) {
        if (strcmp(m->name, "luagrad.sys") == 0) continue;
        lua_pushcfunction(L, m->open);
        lua_pushstring(L, m->name);
        lua_call(L, 1, 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, idx, m->name);
        if (lua_getfield(L, -2, m->name) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_setfield(L, -2, m->name);
        } else {
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
}

int lazy_push(lua_State *L, const char *name)
{
    Entry e;
    if (!find(name, &e)) return 0;
    lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    if (lua_getfield(L, -1, name) != LUA_TNIL) {
        lua_remove(L, -2);
        return 1;
    }
    lua_pop(L, 1);
    if (e.lua) {  /* require(module)[field], with the require of the start */
        lua_rawgeti(L, -1, 1);
        lua_pushstring(L, e.lua->module);
        lua_call(L, 1, 1);
        if (e.lua->field) {
            lua_getfield(L, -1, e.lua->field);
            lua_remove(L, -2);
        }
    } else {  /* every C module at once: they make each other's objects */
        open_c_modules(L, lua_gettop(L));
        lua_getfield(L, -1, name);
        if (lazy_loaded_hook) lazy_loaded_hook(L);
        lua_remove(L, -2);
        return 1;
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    lua_remove(L, -2);
    if (lazy_loaded_hook) lazy_loaded_hook(L);
    return 1;
}

int lazy_has(const char *name, int global)
{
    Entry e;
    return find(name, &e) && (global ? e.global : e.module);
}

void lazy_push_pending(lua_State *L)
{
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, LAZY_KEY);
    lua_rawgeti(L, -1, 2);
    Bits pending = *(Bits *)lua_touserdata(L, -1);
    lua_pop(L, 2);
    for (int i = 0; name_of(i); i++) {
        if (!(pending & (1ULL << i))) continue;
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, name_of(i));
    }
}
