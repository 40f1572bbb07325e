/* batch.c: run, sweep and collect (see batch.h). Each hands the parsed
 * command line to lua/luagrad/batch.lua in a Lua state of its own. */
#include "host/batch.h"

#include <lauxlib.h>
#include <stdio.h>
#include <unistd.h>

#include "host/script.h"
#include "host/state.h"

/* The luagrad binary to start for each run: this very program. */
static void push_self(lua_State *L, const char *argv0)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) lua_pushlstring(L, path, (size_t)n);
    else lua_pushstring(L, argv0);
}

/* enter(mode, options): require("luagrad.batch")[mode](options) */
static int enter(lua_State *L)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "luagrad.batch");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, lua_tostring(L, 1));
    lua_pushvalue(L, 2);
    lua_call(L, 1, 1);
    return 1;
}

static int call_batch(const char *mode, const Options *o, const char *argv0, const char *dir)
{
    RunConfig rc = {0};
    rc.out_dir = "";
    rc.seed = o->seed;
    rc.plot = o->plot;
    rc.quiet = o->quiet;
    lua_State *L = state_new(&rc);
    if (!L) return EXIT_SCRIPT;
    lua_pushcfunction(L, enter);
    lua_pushstring(L, mode);
    lua_newtable(L);  /* the options */
    push_self(L, argv0);
    lua_setfield(L, -2, "exe");
    lua_pushstring(L, o->out_dir ? o->out_dir : "out");
    lua_setfield(L, -2, "out");
    lua_pushinteger(L, o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN));
    lua_setfield(L, -2, "jobs");
    lua_pushboolean(L, o->quiet);
    lua_setfield(L, -2, "quiet");
    lua_pushboolean(L, o->force);
    lua_setfield(L, -2, "force");
    lua_pushboolean(L, o->html);
    lua_setfield(L, -2, "html");
    lua_pushboolean(L, o->emit_jobs);
    lua_setfield(L, -2, "emit_jobs");
    lua_pushboolean(L, o->seed_given);
    lua_setfield(L, -2, "seed_given");
    lua_pushinteger(L, (lua_Integer)o->seed);
    lua_setfield(L, -2, "seed");
    lua_pushstring(L, o->plot);
    lua_setfield(L, -2, "plot");
    lua_pushboolean(L, o->sandbox);
    lua_setfield(L, -2, "sandbox");
    lua_createtable(L, o->ndata, 0);
    for (int i = 0; i < o->ndata; i++) {
        lua_pushstring(L, o->data[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "data");
    if (o->timeout > 0) {
        lua_pushnumber(L, o->timeout);
        lua_setfield(L, -2, "timeout");
    }
    if (o->max_mem > 0) {
        lua_pushnumber(L, o->max_mem);
        lua_setfield(L, -2, "max_mem");
    }
    lua_pushstring(L, cli_usage_line(o->mode));
    lua_setfield(L, -2, "usage");
    if (o->script) {
        lua_pushstring(L, o->script);
        lua_setfield(L, -2, "script");
    }
    lua_createtable(L, o->nargs, 0);
    for (int i = 0; i < o->nargs; i++) {
        lua_pushstring(L, o->args[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "args");
    if (dir) {
        lua_pushstring(L, dir);
        lua_setfield(L, -2, "dir");
    }
    /* batch.<mode>(options) -> exit status */
    int status = script_call(L, 2, 1);
    if (status == EXIT_OK) status = (int)lua_tointeger(L, -1);
    lua_close(L);
    return status;
}

int batch_main(const Options *o, const char *argv0) { return call_batch("run", o, argv0, NULL); }
int sweep_main(const Options *o, const char *argv0) { return call_batch("sweep", o, argv0, NULL); }
int collect_main(const Options *o, const char *argv0)
{
    return call_batch("collect", o, argv0, o->args[0]);
}
