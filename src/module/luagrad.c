/* luagrad.c: luaopen_luagrad, the entry of the Lua C module luagrad.so, so a
 * stock lua5.4 can use luagrad without the program:
 *
 *   local lg = require "luagrad"
 *   local m = lg.model.linear{ w = 2 }
 *   print(lg.loss.mse(m, lg.tensor{1, 2, 3}, lg.tensor{2, 4, 6}))
 *
 * It opens the same C modules (src/lib/libs.c) and the same embedded Lua
 * modules (lua/luagrad/) as the program, then lua/luagrad/module.lua builds
 * the table require returns. What the program takes from its command line
 * (output folder, seed, key=value parameters) has the program's defaults
 * here: output in the current folder (lg.outdir(dir) changes it), seed 42, no
 * overrides, so params{} returns its defaults. */
#include <lauxlib.h>

#include "host/cli.h"  /* LUAGRAD_VERSION, DEFAULT_SEED */
#include "lib/keys.h"
#include "lib/libs.h"

int luaopen_luagrad(lua_State *L);

/* The run's description, as the program's src/host/state.c makes it. */
static void push_run_table(lua_State *L)
{
    lua_newtable(L);
    lua_pushliteral(L, LUAGRAD_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "script");
    lua_pushliteral(L, ".");
    lua_setfield(L, -2, "out");
    lua_pushinteger(L, DEFAULT_SEED);
    lua_setfield(L, -2, "seed");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "quiet");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "list_params");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "list_params_json");
    lua_pushliteral(L, "png");
    lua_setfield(L, -2, "plot_mode");
    lua_newtable(L);
    lua_setfield(L, -2, "overrides");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "module");  /* not the program: no run.json, no report file */
}

int luaopen_luagrad(lua_State *L)
{
    /* Inside the program (require "luagrad" from a script) the run table
     * and the modules are there already. */
    if (lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY) != LUA_TTABLE) {
        push_run_table(L);
        lua_setfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    }
    lua_pop(L, 1);
    libs_preload(L);
    lua_newtable(L);  /* name -> module, for luagrad.module */
    for (const LibsModule *m = libs_modules; m->name; m++) {
        luaL_requiref(L, m->name, m->open, 0);
        lua_setfield(L, -2, m->name);
    }
    lua_getglobal(L, "require");
    lua_pushliteral(L, "luagrad.module");
    lua_call(L, 1, 1);
    lua_insert(L, -2);
    lua_call(L, 1, 1);  /* the module's builder, given the C modules */
    return 1;
}
