/* state.c: makes the Lua state a script runs in (see state.h). */
#include "host/state.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "host/cli.h"
#include "host/exit.h"
#include "host/lazy.h"
#include "host/proc.h"
#include "host/sandbox.h"
#include "lib/libs.h"
#include "lib/openers.h"

/* Lua allocates through the core's allocator, so one cap covers both. */
static void *state_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    return mem_realloc(ptr, ptr ? osize : 0, nsize);
}

static int state_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "luagrad: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    return 0;  /* Lua then calls abort() */
}

/* The table describing the run (script, out, seed, ...). The host and the
 * Lua side keep theirs in the registry under RUN_KEY, where a script cannot
 * replace it; the global `luagrad` is a copy for scripts to read. */
static void push_run_table(lua_State *L, const RunConfig *rc)
{
    lua_newtable(L);
    lua_pushliteral(L, LUAGRAD_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, rc->script ? rc->script : "");
    lua_setfield(L, -2, "script");
    lua_pushstring(L, rc->out_dir);
    lua_setfield(L, -2, "out");
    lua_pushinteger(L, (lua_Integer)rc->seed);
    lua_setfield(L, -2, "seed");
    lua_pushboolean(L, rc->quiet);
    lua_setfield(L, -2, "quiet");
    lua_pushboolean(L, rc->list_params);
    lua_setfield(L, -2, "list_params");
    lua_pushboolean(L, rc->list_params == 2);
    lua_setfield(L, -2, "list_params_json");
    lua_pushstring(L, rc->plot);
    lua_setfield(L, -2, "plot_mode");
    lua_pushboolean(L, rc->sandbox);
    lua_setfield(L, -2, "sandbox");
    lua_createtable(L, rc->ndata, 0);
    for (int i = 0; i < rc->ndata; i++) {
        lua_pushstring(L, rc->data[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "data");
    if (rc->timeout > 0) {
        lua_pushnumber(L, rc->timeout);
        lua_setfield(L, -2, "timeout");
    }
    if (rc->max_mem > 0) {
        lua_pushnumber(L, rc->max_mem);
        lua_setfield(L, -2, "max_mem");
    }
    lua_newtable(L);  /* overrides: key -> value text, from key=value words */
    for (int i = 0; i < rc->noverrides; i++) {
        const char *word = rc->overrides[i];
        const char *eq = strchr(word, '=');
        lua_pushlstring(L, word, (size_t)(eq - word));
        lua_pushstring(L, eq + 1);
        lua_settable(L, -3);
    }
    lua_setfield(L, -2, "overrides");
}

/* A shallow copy of the table on top (nested tables copied one level). */
static void push_copy(lua_State *L)
{
    int from = lua_gettop(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, from)) {
        if (lua_istable(L, -1)) {
            push_copy(L);
            lua_remove(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -4);
    }
}

/* Everything is opened inside a protected call, so a failure here (out of
 * memory, a broken embedded module) is reported like a script error. */
static int open_everything(lua_State *L)
{
    const RunConfig *rc = lua_touserdata(L, 1);
    luaL_openlibs(L);
    exit_install(L);  /* os.exit, pcall, xpcall, coroutine.resume */
    push_run_table(L, rc);
    push_copy(L);
    lua_setglobal(L, "luagrad");
    lua_setfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    luaL_requiref(L, "luagrad.sys", luaopen_luagrad_sys, 0);
    lua_pop(L, 1);
    proc_open(L);  /* sys.run and sys.pool */
    /* Seed Lua's own math.random too: Lua 5.4 seeds it randomly otherwise,
     * and two runs with the same seed must be bit-identical. */
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, (lua_Integer)rc->seed);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    /* The C modules (tensor, model, loss, ...), the Lua side's globals
     * (params, report, plot, ...) and the Lua modules of lua/luagrad/ load
     * on first use (src/host/lazy.h). */
    lazy_begin(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "luagrad.init");
    lua_call(L, 1, 0);
    if (rc->sandbox) sandbox_install(L, rc);  /* last: narrows what is there */
    return 0;
}

lua_State *state_new(const RunConfig *rc)
{
    lua_State *L = lua_newstate(state_alloc, NULL);
    if (!L) {
        fputs("luagrad: cannot create the Lua state: out of memory\n", stderr);
        return NULL;
    }
    lua_atpanic(L, state_panic);
    lua_pushcfunction(L, open_everything);
    lua_pushlightuserdata(L, (void *)rc);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "luagrad: cannot set up the Lua state: %s\n",
                msg ? msg : "(error object is not a string)");
        lua_close(L);
        return NULL;
    }
    return L;
}

void state_default_out_dir(const char *script, char *buf, size_t size)
{
    const char *base = strrchr(script, '/');
    base = base ? base + 1 : script;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".lua") == 0) n -= 4;
    if (strcmp(script, "-") == 0) {
        base = "stdin";
        n = 5;
    }
    snprintf(buf, size, "out/%.*s", (int)n, base);
}
