/* proc.c: the functions of luagrad.sys that start programs.
 *
 *   sys.run(argv [, opts])   -> exit code (or nil), its stderr text
 *        opts.stdout = path  (default: luagrad's own stdout)
 *   results, stopped = sys.pool(jobs, max_parallel [, on_done])
 *
 * sys.pool: jobs is a list of {name = "sgd", argv = {"/path/luagrad", ...},
 * stdout = log path or nil, stderr = log path or nil}; see pool.h for how
 * they run and where their output goes. on_done(i, result) is called as
 * each job ends (an error in it is reported, and the pool goes on).
 * results[i] = {status = exit code or nil, signal = n or nil, seconds = wall
 * time, started = boolean, error = why it could not start, or nil};
 * stopped is the number of the signal that stopped the pool, or false. */
#include "host/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/pool.h"
#include "host/spawn.h"

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
    int out = SPAWN_INHERIT;
    if (out_path) {
        out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (out < 0) {
            lua_pushnil(L);
            lua_pushfstring(L, "cannot write '%s': %s", out_path, strerror(errno));
            return 2;
        }
        fcntl(out, F_SETFD, FD_CLOEXEC);
    }
    int err_pipe[2];
    if (pipe(err_pipe) != 0) {
        int e = errno;
        if (out >= 0) close(out);
        return luaL_error(L, "sys.run: pipe: %s", strerror(e));
    }
    fcntl(err_pipe[0], F_SETFD, FD_CLOEXEC);
    fcntl(err_pipe[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    int rc = spawn_program(&pid, argv, SPAWN_INHERIT, out, err_pipe[1], 0);
    if (out >= 0) close(out);
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

/* An optional string field of the job table on top, kept alive by it. */
static const char *opt_field(lua_State *L, int i, const char *key)
{
    int t = lua_getfield(L, -1, key);
    const char *s = lua_tostring(L, -1);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "sys.pool: job %d: %s is a %s, expected a file name", i, key,
                   luaL_typename(L, -1));
    lua_pop(L, 1);
    return s;
}

/* Reads jobs (argument 1) into a userdata block the collector owns: the
 * PoolJob array, then the argv pointer arrays. Raises on a malformed job
 * before anything starts. */
static PoolJob *check_jobs(lua_State *L, int *count)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int n = (int)luaL_len(L, 1);
    size_t strings = 0;
    for (int i = 1; i <= n; i++) {
        if (lua_geti(L, 1, i) != LUA_TTABLE)
            luaL_error(L, "sys.pool: job %d is a %s, expected {name = ..., argv = {...}}", i,
                       luaL_typename(L, -1));
        if (lua_getfield(L, -1, "name") != LUA_TSTRING)
            luaL_error(L, "sys.pool: job %d: name is a %s, expected a string", i,
                       luaL_typename(L, -1));
        if (lua_getfield(L, -2, "argv") != LUA_TTABLE)
            luaL_error(L, "sys.pool: job %d: argv is a %s, expected a table of strings", i,
                       luaL_typename(L, -1));
        lua_Integer argc = luaL_len(L, -1);
        if (argc < 1) luaL_error(L, "sys.pool: job %d: argv is empty", i);
        for (lua_Integer a = 1; a <= argc; a++) {
            if (lua_geti(L, -1, a) != LUA_TSTRING)
                luaL_error(L, "sys.pool: job %d: argv[%d] is a %s, expected a string", i, (int)a,
                           luaL_typename(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
        opt_field(L, i, "stdout");
        opt_field(L, i, "stderr");
        strings += (size_t)argc + 1;
        lua_pop(L, 1);
    }
    size_t size = sizeof(PoolJob) * (size_t)n + sizeof(char *) * strings;
    PoolJob *jobs = lua_newuserdatauv(L, size ? size : 1, 0);
    memset(jobs, 0, size);
    const char **slot = (const char **)(jobs + n);
    for (int i = 1; i <= n; i++) {
        PoolJob *j = &jobs[i - 1];
        lua_geti(L, 1, i);
        j->log_out = opt_field(L, i, "stdout");
        j->log_err = opt_field(L, i, "stderr");
        lua_getfield(L, -1, "name");
        j->name = lua_tostring(L, -1);  /* kept alive by the jobs table */
        lua_getfield(L, -2, "argv");
        lua_Integer argc = luaL_len(L, -1);
        j->argv = slot;
        for (lua_Integer a = 1; a <= argc; a++) {
            lua_geti(L, -1, a);
            *slot++ = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        *slot++ = NULL;
        lua_pop(L, 3);
    }
    *count = n;
    return jobs;
}

static void push_result(lua_State *L, const PoolJob *j)
{
    lua_createtable(L, 0, 5);
    lua_pushboolean(L, j->started);
    lua_setfield(L, -2, "started");
    if (j->started) {
        if (WIFEXITED(j->wstatus)) {
            lua_pushinteger(L, WEXITSTATUS(j->wstatus));
            lua_setfield(L, -2, "status");
        } else if (WIFSIGNALED(j->wstatus)) {
            lua_pushinteger(L, WTERMSIG(j->wstatus));
            lua_setfield(L, -2, "signal");
        }
        lua_pushnumber(L, j->seconds);
        lua_setfield(L, -2, "seconds");
    } else if (j->start_error) {
        lua_pushfstring(L, "cannot run %s: %s", j->argv[0], strerror(j->start_error));
        lua_setfield(L, -2, "error");
    }
}

typedef struct Progress {
    lua_State *L;
    const PoolJob *jobs;
} Progress;

/* on_done(i, result), protected: a failure is reported, not raised while
 * children run. */
static void call_done(void *ud, int i)
{
    Progress *p = ud;
    lua_State *L = p->L;
    if (!lua_checkstack(L, 4)) return;
    lua_pushvalue(L, 3);
    lua_pushinteger(L, i + 1);
    push_result(L, &p->jobs[i]);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "luagrad: sys.pool: on_done: %s\n", msg ? msg : "(not a string)");
        lua_pop(L, 1);
    }
}

static int l_sys_pool(lua_State *L)
{
    lua_Integer max = luaL_checkinteger(L, 2);
    luaL_argcheck(L, max >= 1 && max <= 4096, 2, "expected 1 to 4096 jobs at once");
    if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TFUNCTION);
    lua_settop(L, 3);
    int n;
    PoolJob *jobs = check_jobs(L, &n);
    luaL_checkstack(L, 8, "sys.pool");

    /* The children's output must not overtake what we printed before. */
    fflush(stdout);
    fflush(stderr);
    Progress progress = {L, jobs};
    int stopped = pool_run(jobs, n, (int)max, lua_isnil(L, 3) ? NULL : call_done, &progress);
    if (stopped < 0) return luaL_error(L, "sys.pool: out of memory");

    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        push_result(L, &jobs[i]);
        lua_rawseti(L, -2, i + 1);
    }
    if (stopped) lua_pushinteger(L, stopped);
    else lua_pushboolean(L, 0);
    return 2;
}

void proc_open(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"pool", l_sys_pool},
        {"run", l_sys_run},
        {NULL, NULL}
    };
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "luagrad.sys");
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 2);
}
