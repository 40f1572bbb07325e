/* script.c: runs one script (see script.h).
 *
 * Ctrl-C (and SIGTERM, SIGHUP): the signal handler does the least it can
 * (it is a signal handler): it records the signal in the core's cancel flag,
 * which long C loops poll, and installs a Lua hook that raises
 * "interrupted" at the next Lua instruction. It also restores the default
 * action, so a second signal kills a run that does not stop. The error then
 * unwinds like any other: to-be-closed variables are closed, open output
 * files are kept under an "incomplete" name, run.json records the status,
 * 128 + the signal's number (130 for Ctrl-C). */
#include "host/script.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cancel.h"
#include "core/clock.h"
#include "core/sha256.h"
#include "host/cli.h"
#include "host/limits.h"
#include "host/sandbox.h"
#include "host/source.h"
#include "lib/libs.h"
#include "lib/progress.h"
#include "lib/util.h"

static lua_State *volatile running;
/* The coroutine running Lua code now, NULL for the main thread: a hook is
 * per thread, so the signal must reach the one that runs. */
static lua_State *volatile current_thread;
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define NCAUGHT (sizeof caught / sizeof caught[0])

static void interrupt_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    /* No position here: the message handler adds where the script stopped
     * (luaL_error would add the caller's line when the hook fires on a
     * call, and the message would name the place twice). */
    if (cancel_flag == SIGINT) lua_pushliteral(L, "interrupted");
    else lua_pushfstring(L, "interrupted by %s", cancel_flag == SIGTERM ? "SIGTERM" : "SIGHUP");
    lua_error(L);
}

static void on_signal(int sig)
{
    cancel_flag = sig;
    lua_State *co = current_thread;
    if (co) lua_sethook(co, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    if (running)
        lua_sethook(running, interrupt_hook,
                    LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

lua_State *script_current_thread(void) { return current_thread; }

lua_State *script_thread_enter(lua_State *co)
{
    lua_State *prev = current_thread;
    current_thread = co;
    if (cancel_flag && running)  /* stopping: the coroutine must not start */
        lua_sethook(co, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    return prev;
}

void script_thread_leave(lua_State *L, lua_State *prev)
{
    current_thread = prev;
    /* The coroutine was stopped, and its error may be dropped by the code
     * that resumed it: the resumer stops too, and so on up. */
    if (cancel_flag && running)
        lua_sethook(L, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void catch_signals(lua_State *L)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;  /* the second one is not caught */
    sigemptyset(&sa.sa_mask);
    running = L;
    cancel_flag = 0;
    for (size_t i = 0; i < NCAUGHT; i++) sigaction(caught[i], &sa, NULL);
}

static void release_signals(void)
{
    for (size_t i = 0; i < NCAUGHT; i++) signal(caught[i], SIG_DFL);
    running = NULL;
    current_thread = NULL;
}

/* The exit status of a run stopped by a signal: 128 + its number. */
static int signal_status(void)
{
    return limits_timeout_struck() ? EXIT_TIMEOUT : 128 + (int)cancel_flag;
}

/* Message handler: adds the traceback to an ordinary error. */
static int message_handler(lua_State *L)
{
    /* An exit request (os.exit; params{} for a bad key=value or --params)
     * ends the run with its status, without a traceback. */
    if (lib_exit_request(L, 1, NULL)) return 1;
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    /* Stopped by --timeout, maybe inside a C primitive that only says it
     * was interrupted: the message says which limit. */
    if (limits_timed_out()) msg = limits_push_timeout(L);
    /* Stopped by Ctrl-C (or SIGTERM): where it stopped, in one line; a
     * traceback would only say what the script was doing. */
    if (cancel_flag) {
        lua_Debug ar;
        for (int level = 1; lua_getstack(L, level, &ar); level++) {
            lua_getinfo(L, "Sl", &ar);
            if (ar.currentline > 0 && !strstr(ar.short_src, "lua/luagrad/")) {
                lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
                break;
            }
        }
        return 1;
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Pushes msg as the user should see it: without the places in luagrad's own
 * Lua files (lua/luagrad/x.lua:77: ), which say nothing to a script's
 * author, and without the traceback lines inside them. */
static const char *push_user_message(lua_State *L, const char *msg)
{
    static const char own[] = "lua/luagrad/";
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *line = msg;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        int traceback_line = line[0] == '\t';
        const char *hit = strstr(line, own);
        if (traceback_line && hit && hit < line + len) {
            line += len;  /* a frame inside luagrad's own Lua files */
            continue;
        }
        const char *p = line;
        while (p < line + len) {
            const char *at = strstr(p, own);
            if (!at || at >= line + len) {
                luaL_addlstring(&b, p, (size_t)(line + len - p));
                break;
            }
            /* skip "lua/luagrad/NAME.lua:N: " when it is whole */
            const char *q = at + sizeof own - 1;
            while (*q == '_' || *q == '.' || isalnum((unsigned char)*q)) q++;
            const char *colon = q;
            if (*q == ':') {
                q++;
                while (isdigit((unsigned char)*q)) q++;
            }
            luaL_addlstring(&b, p, (size_t)(at - p));
            if (q > colon + 1 && q[0] == ':' && q[1] == ' ') {
                p = q + 2;
            } else {
                luaL_addlstring(&b, at, (size_t)(q - at));
                p = q;
            }
        }
        line += len;
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

/* The code of the last exit request (os.exit, params{}), -1 for none. */
static int requested_exit = -1;

int script_exit_code(void) { return requested_exit; }

/* Prints the error on top of the stack, pops it, returns the exit status. */
static int report_error(lua_State *L)
{
    int code;
    progress_end();  /* the message starts at the left, not after a progress bar */
    if (lib_exit_request(L, -1, &code)) {
        requested_exit = code;
        lua_getfield(L, -1, "message");
        const char *msg = lua_tostring(L, -1);
        if (msg && *msg) {  /* os.exit(2) is not a command-line error */
            fprintf(stderr, "luagrad: %s\n", msg);
            if (code == EXIT_USAGE) cli_print_usage();
        }
        lua_pop(L, 2);
        return code;
    }
    const char *msg = lua_tostring(L, -1);
    if (msg) {
        msg = limits_push_explained(L, msg);  /* names the --max-mem cap */
        lua_replace(L, -2);
    }
    fprintf(stderr, "luagrad: %s\n", msg ? push_user_message(L, msg) : "(error object is not a string)");
    lua_pop(L, msg ? 2 : 1);
    return cancel_flag ? signal_status() : EXIT_SCRIPT;
}

int script_call(lua_State *L, int nargs, int nresults)
{
    int base = lua_gettop(L) - nargs;  /* the function's index */
    requested_exit = -1;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    catch_signals(L);
    int st = lua_pcall(L, nargs, nresults, base);
    limits_end(L);  /* from here on the run closes its files: no limits */
    release_signals();
    lua_remove(L, base);
    if (st != LUA_OK) return report_error(L);
    return cancel_flag ? signal_status() : EXIT_OK;
}

int script_finish(lua_State *L, int status)
{
    if (status == EXIT_OK) {
        /* Every key=value must have been used (lua/luagrad/params.lua). */
        lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY);
        lua_getfield(L, -1, "_finish");
        lua_remove(L, -2);
        status = script_call(L, 0, 0);
    }
    if (!libs_finish(L, status == EXIT_OK) && status == EXIT_OK) status = EXIT_SCRIPT;
    return status;
}

/* Makes the output folder and checks that files can be made in it; says
 * why not on stderr. */
static int output_folder_ok(const char *dir)
{
    char probe[4200], bad[4096];
    snprintf(probe, sizeof probe, "%s/run.json", dir);
    if (lib_make_parents(probe, bad, sizeof bad) != 0) {
        fprintf(stderr, "luagrad: cannot create the output folder '%s': %s (choose another "
                "with --out DIR)\n", bad, strerror(errno));
        return 0;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "luagrad: cannot write in the output folder '%s': %s (choose another "
                "with --out DIR)\n", dir, strerror(errno));
        return 0;
    }
    return 1;
}

/* A name left by a killed run: NAME.<pid>.tmp of a process that is gone
 * (a CSV writer's or run.json's temporary file), or the run.json.tmp of
 * older versions. */
static int stale_temporary(const char *name)
{
    if (strcmp(name, "run.json.tmp") == 0) return 1;
    size_t n = strlen(name);
    if (n < 6 || strcmp(name + n - 4, ".tmp") != 0) return 0;
    const char *end = name + n - 4, *p = end;
    while (p > name && isdigit((unsigned char)p[-1])) p--;
    if (p == end || p == name || p[-1] != '.') return 0;
    long pid = strtol(p, NULL, 10);
    if (pid <= 0 || pid == (long)getpid()) return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Before the run writes anything: the earlier run's run.json goes, so it
 * cannot vouch for a folder that will hold some files of this run, and
 * temporary files of killed runs are removed. */
static int output_folder_reset(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/run.json", dir);
    if (unlink(path) != 0 && errno != ENOENT && errno != EISDIR) {  /* a folder: not a record */
        fprintf(stderr, "luagrad: cannot remove the earlier run's '%s': %s\n", path,
                strerror(errno));
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) return 1;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!stale_temporary(ent->d_name)) continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    closedir(d);
    return 1;
}

/* Writes run.json through the run's _provenance (lua/luagrad/provenance.lua),
 * last, once the output files are closed. A run whose run.json cannot be
 * written has not succeeded. Returns the final exit status. */
static int write_provenance(lua_State *L, const Source *src, int status, time_t start,
                            double t0)
{
    char hex[SHA256_HEX_SIZE];
    sha256_hex(src->text, src->size, hex);
    lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    lua_getfield(L, -1, "_provenance");
    lua_remove(L, -2);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, status);
    lua_setfield(L, -2, "status");
    lua_pushstring(L, hex);
    lua_setfield(L, -2, "sha256");
    lua_pushinteger(L, (lua_Integer)start);
    lua_setfield(L, -2, "start");
    lua_pushnumber(L, clock_seconds() - t0);
    lua_setfield(L, -2, "seconds");
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "luagrad: %s\n", msg ? push_user_message(L, msg) : "cannot write run.json");
        lua_pop(L, msg ? 2 : 1);
        if (status == EXIT_OK) status = EXIT_SCRIPT;
    }
    return status;
}

int script_main(const RunConfig *rc)
{
    time_t start = time(NULL);
    double t0 = clock_seconds();
    Source src;
    char why[256];
    if (!source_read(rc->script, &src, why, sizeof why)) {
        fprintf(stderr, "luagrad: %s\n", why);
        cli_print_usage();
        return EXIT_USAGE;
    }
    /* `luagrad </dev/null`, or from a job with no input: nothing to run,
     * which is more likely a mistake than an empty experiment. */
    if (rc->stdin_implicit && src.size == 0) {
        fputs("luagrad: no script given, and stdin is empty and not a terminal (give a "
              "script, or start luagrad in a terminal for the prompt)\n", stderr);
        cli_print_usage();
        source_free(&src);
        return EXIT_USAGE;
    }
    /* The output folder must take the run's files: found out before the
     * run, not after all its work. --params writes nothing. */
    if (!rc->list_params && (!output_folder_ok(rc->out_dir) || !output_folder_reset(rc->out_dir))) {
        source_free(&src);
        return EXIT_SCRIPT;
    }
    lua_State *L = state_new(rc);
    if (!L) {
        source_free(&src);
        return EXIT_SCRIPT;
    }
    int status;
    if (source_load(L, &src) != LUA_OK) {
        fprintf(stderr, "luagrad: %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        status = EXIT_SCRIPT;
    } else {
        if (rc->sandbox) sandbox_set_env(L, -1);
        limits_start(L, rc->timeout, rc->max_mem);
        status = script_call(L, 0, 0);
    }
    status = script_finish(L, status);
    status = write_provenance(L, &src, status, start, t0);
    lua_close(L);
    source_free(&src);
    return status;
}
