/* syslib.c: the module luagrad.sys, what the Lua side of luagrad needs from
 * the system: output paths, a clock. Starting programs (sys.run, sys.pool)
 * is the host's: src/host/proc.c adds them to this module.
 *
 *   sys.outpath(path)        -> resolved path; creates the folders
 *   sys.resolve(path)        -> the same path, no folder made (for reading)
 *   sys.record(path)         notes an output file for run.json
 *   sys.outputs()            -> the files noted so far, in order
 *   sys.write_atomic(path, text) -> true | nil, message (see below)
 *   sys.which(name)          -> full path of a program on PATH, or nil
 *   sys.write_atomic(path, text) -> true | nil, message: through a new,
 *                               exclusively created PATH.<pid>.tmp
 *   sys.clock()              -> seconds from a monotonic clock
 *   sys.memory()             -> bytes allocated now through the one allocator
 *                               (Lua's heap and every tensor), for tests
 *   sys.columns()            -> the width of the terminal stdout is, or nil
 *                               when stdout is not a terminal (a file, a pipe):
 *                               COLUMNS when set, else the terminal's own
 *   sys.info()               -> the run's description (script, out, seed, ...)
 *   sys.modules()            -> the names of the C modules, in opening order
 *   sys.isatty(fd)           -> whether the file descriptor is a terminal
 *   sys.progress_clear()     erases the progress line (print calls it)
 *   sys.numstr(x)            -> x as print shows it: the shortest text that
 *                               reads back as the same double, 2.0 for floats
 *                               that are whole (as Lua writes them)
 *   sys.kernel([which])      -> the kernels scan, fit, t:sum() and the
 *                               element-wise + - * / run: "avx" or "sse2"
 *                               (the same bits); which = "sse2" forces the
 *                               SSE2 ones, "auto" undoes it (tests)
 *
 * It is required by the Lua side (lua/luagrad/), not a global: scripts write files
 * through csv and plot, and read the output folder from luagrad.out. */
#include <errno.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/kernel_avx.h"
#include "core/mem.h"
#include "core/numfmt.h"
#include "lib/keys.h"
#include "lib/libs.h"
#include "lib/openers.h"
#include "lib/progress.h"
#include "lib/syspart.h"
#include "lib/util.h"


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
    if (lua_getfield(L, LUA_REGISTRYINDEX, OUTPUTS_KEY) == LUA_TTABLE) {
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

static int l_sys_clock(lua_State *L)
{
    lua_pushnumber(L, clock_seconds());
    return 1;
}

static int l_sys_columns(lua_State *L)
{
    if (!isatty(STDOUT_FILENO)) return lua_pushnil(L), 1;
    const char *env = getenv("COLUMNS");
    char *end;
    long n = env ? strtol(env, &end, 10) : 0;
    if (env && *env && !*end && n > 0 && n < 100000) return lua_pushinteger(L, n), 1;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return lua_pushinteger(L, ws.ws_col), 1;
    lua_pushinteger(L, 80);
    return 1;
}

static int l_sys_isatty(lua_State *L)
{
    lua_pushboolean(L, isatty((int)luaL_checkinteger(L, 1)));
    return 1;
}

/* Erases the progress line before print writes to the terminal. */
static int l_sys_progress_clear(lua_State *L)
{
    (void)L;
    progress_clear();
    return 0;
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
    lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    return 1;
}

/* The names of the C modules (src/lib/libs.c), for require "luagrad"
 * inside the program (lua/luagrad/init.lua). */
static int l_sys_modules(lua_State *L)
{
    lua_newtable(L);
    for (const LibsModule *m = libs_modules; m->name; m++) {
        lua_pushstring(L, m->name);
        lua_rawseti(L, -2, (lua_Integer)(m - libs_modules) + 1);
    }
    return 1;
}

/* sys.write_atomic(path, text) -> true | nil, message: text goes to a new
 * file PATH.<pid>.tmp, created exclusively (a planted link there is not
 * followed), then renamed to path: path is whole or as it was. */
static int l_sys_write_atomic(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    const char *tmp = lua_pushfstring(L, "%s.%d.tmp", path, (int)getpid());
    int fd = csv_create_new(tmp);
    if (fd < 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot create '%s': %s", tmp, strerror(errno));
        return 2;
    }
    size_t done = 0;
    int err = 0;
    while (done < len && !err) {
        ssize_t n = write(fd, text + done, len - done);
        if (n > 0) done += (size_t)n;
        else if (n < 0 && errno == EINTR) continue;
        else err = n < 0 ? errno : ENOSPC;
    }
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmp, path) != 0) err = errno;
    if (err) {
        unlink(tmp);
        lua_pushnil(L);
        lua_pushfstring(L, "cannot write '%s': %s", path, strerror(err));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_sys_memory(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)mem_in_use());
    return 1;
}

static int l_sys_kernel(lua_State *L)
{
    const char *which = luaL_optstring(L, 1, NULL);
    if (which) {
        if (strcmp(which, "sse2") != 0 && strcmp(which, "auto") != 0)
            return luaL_error(L, "sys.kernel: which must be \"auto\" or \"sse2\", got '%s'",
                              which);
        kernel_use_sse2(strcmp(which, "sse2") == 0);
    }
    lua_pushstring(L, kernel_name());
    return 1;
}

static const luaL_Reg sys_functions[] = {
    {"clock", l_sys_clock},
    {"columns", l_sys_columns},
    {"info", l_sys_info},
    {"isatty", l_sys_isatty},
    {"kernel", l_sys_kernel},
    {"memory", l_sys_memory},
    {"modules", l_sys_modules},
    {"numstr", l_sys_numstr},
    {"outpath", l_sys_outpath},
    {"outputs", l_sys_outputs},
    {"progress_clear", l_sys_progress_clear},
    {"record", l_sys_record},
    {"resolve", l_sys_resolve},
    {"which", l_sys_which},
    {"write_atomic", l_sys_write_atomic},
    {NULL, NULL}
};

int luaopen_luagrad_sys(lua_State *L)
{
    luaL_newlib(L, sys_functions);
    luaL_setfuncs(L, sys_runinfo_functions, 0); /* runinfo.c */
    return 1;
}
