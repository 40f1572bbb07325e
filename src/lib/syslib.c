/* syslib.c: the module luagrad.sys, what the Lua side of luagrad needs from
 * the system: output paths, running a program (gnuplot), a clock.
 *
 *   sys.outpath(path)        -> resolved path; creates the folders
 *   sys.resolve(path)        -> the same path, no folder made (for reading)
 *   sys.record(path)         notes an output file for run.json
 *   sys.outputs()            -> the files noted so far, in order
 *   sys.which(name)          -> full path of a program on PATH, or nil
 *   sys.run(argv [, opts])   -> exit code (or nil), its stderr text
 *        opts.stdout = path  (default: luagrad's own stdout)
 *   sys.clock()              -> seconds from a monotonic clock
 *   sys.mem_in_use()         -> bytes allocated now (Lua's and tensors', the
 *                               one allocator of src/core/mem.h)
 *   sys.info()               -> the run's description (script, out, seed, ...)
 *   sys.numstr(x)            -> x as print shows it: the shortest text that
 *                               reads back as the same double, 2.0 for floats
 *                               that are whole (as Lua writes them)
 *
 * It is required by the Lua side (lua/luagrad/), not a global: scripts write files
 * through csv and plot, and read the output folder from luagrad.out. */
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/numfmt.h"
#include "lib/openers.h"
#include "lib/syspart.h"
#include "lib/util.h"

extern char **environ;

static int l_sys_outpath(lua_State *L)
{
    lib_outpath(L, "sys.outpath", luaL_checkstring(L, 1));
    return 1;
}

static int l_sys_resolve(lua_State *L)
{
    lib_resolve_outpath(L, luaL_checkstring(L, 1));
    return 1;
}

static int l_sys_record(lua_State *L)
{
    lib_record_output(L, luaL_checkstring(L, 1));
    return 0;
}

static int l_sys_outputs(lua_State *L)
{
    lua_newtable(L);
    if (lua_getfield(L, LUA_REGISTRYINDEX, "luagrad.outputs") == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            lua_rawseti(L, -3, i);
        }
    }
    lua_pop(L, 1);
    return 1;
}

static int l_sys_which(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const char *path = getenv("PATH");
    if (strchr(name, '/')) {
        if (access(name, X_OK) == 0) return lua_pushstring(L, name), 1;
        return lua_pushnil(L), 1;
    }
    if (!path) path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        lua_pushfstring(L, "%s/%s", n ? lua_pushlstring(L, path, n) : ".", name);
        const char *full = lua_tostring(L, -1);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
            return 1;
        lua_pop(L, n ? 2 : 1);
        path += n;
        if (*path == ':') path++;
    }
    lua_pushnil(L);
    return 1;
}

/* Runs argv (a table of strings) and waits. Returns the exit code (nil and
 * a reason when it could not start or died of a signal) and the program's
 * stderr text (at most 64 KiB of it). */
static int l_sys_run(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int argc = (int)luaL_len(L, 1);
    luaL_argcheck(L, argc >= 1 && argc < 64, 1, "expected 1 to 63 strings");
    luaL_checkstack(L, argc + LUA_MINSTACK, "sys.run: too many arguments");
    const char *argv[64];
    for (int i = 0; i < argc; i++) {
        lua_geti(L, 1, i + 1);
        argv[i] = luaL_checkstring(L, -1);  /* stays on the stack: alive */
    }
    argv[argc] = NULL;
    const char *out_path = NULL;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "stdout");
        out_path = lua_tostring(L, -1);
    }

    /* The child's stderr is read into a buffer the collector owns, made
     * before the child starts: no Lua call (which may raise) happens while
     * the pipe is open or the child unreaped. */
    enum { KEEP = 65536 };
    char *text = lua_newuserdatauv(L, KEEP, 0);
    int err_pipe[2];
    if (pipe(err_pipe) != 0) return luaL_error(L, "sys.run: pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&fa, err_pipe[0]);
    posix_spawn_file_actions_addclose(&fa, err_pipe[1]);
    if (out_path)
        posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(err_pipe[1]);
    if (rc != 0) {
        close(err_pipe[0]);
        lua_pushnil(L);
        lua_pushfstring(L, "cannot run %s: %s", argv[0], strerror(rc));
        return 2;
    }

    size_t kept = 0;
    char chunk[4096];
    ssize_t got;
    while ((got = read(err_pipe[0], chunk, sizeof chunk)) != 0) {
        if (got < 0) {
            if (errno == EINTR) continue;
            break;
        }
        size_t take = (size_t)got < KEEP - kept ? (size_t)got : KEEP - kept;
        memcpy(text + kept, chunk, take);
        kept += take;
    }
    close(err_pipe[0]);
    int status = 0;
    pid_t waited;
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {}
    if (waited < 0) status = 255 << 8;  /* its status is lost: not a success */
    if (WIFEXITED(status)) lua_pushinteger(L, WEXITSTATUS(status));
    else lua_pushnil(L);  /* killed by a signal */
    lua_pushlstring(L, text, kept);
    return 2;
}

static int l_sys_clock(lua_State *L)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    lua_pushnumber(L, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
    return 1;
}

static int l_sys_numstr(lua_State *L)
{
    double v = luaL_checknumber(L, 1);
    if (lua_isinteger(L, 1)) {
        lua_pushfstring(L, "%I", lua_tointeger(L, 1));
        return 1;
    }
    char buf[NUMFMT_SIZE + 2];
    size_t n = numfmt_double(v, buf);
    if (strspn(buf, "-0123456789") == n) memcpy(buf + n, ".0", 3);  /* 2 -> 2.0 */
    lua_pushstring(L, buf);
    return 1;
}

/* The run's own description (the registry's, which scripts cannot replace;
 * the global luagrad is a copy of it). */
static int l_sys_info(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, "luagrad.run");
    return 1;
}

static int l_sys_mem_in_use(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)mem_in_use());
    return 1;
}

static const luaL_Reg sys_functions[] = {
    {"clock", l_sys_clock},
    {"info", l_sys_info},
    {"mem_in_use", l_sys_mem_in_use},
    {"numstr", l_sys_numstr},
    {"outpath", l_sys_outpath},
    {"outputs", l_sys_outputs},
    {"record", l_sys_record},
    {"resolve", l_sys_resolve},
    {"run", l_sys_run},
    {"which", l_sys_which},
    {NULL, NULL}
};

int luaopen_luagrad_sys(lua_State *L)
{
    luaL_newlib(L, sys_functions);
    luaL_setfuncs(L, sys_pool_functions, 0);    /* pool.c */
    luaL_setfuncs(L, sys_runinfo_functions, 0); /* runinfo.c */
    return 1;
}
