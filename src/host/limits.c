/* limits.c: see limits.h. */
#include "host/limits.h"

#include <lauxlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/cancel.h"
#include "core/mem.h"

static double timeout_s, max_mem_mb;
static volatile sig_atomic_t struck;  /* the timer went off */
static int ended;                      /* limits_end was called */

static void arm(double seconds)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = (time_t)seconds;
    t.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0) t.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &t, NULL);
}

/* The thread the script runs in, and the one that last called or
 * returned (a coroutine or the main one): where the timer must stop it. */
static lua_State *volatile main_thread, *volatile current;

/* Until the timeout, a hook on calls (inherited by every coroutine) only
 * notes the thread, and coroutine.resume notes the thread it returns to: a
 * count hook would slow every Lua instruction (2.8 times on a plain loop). When the timer goes off it adds
 * the count hook to the main thread and the current one, so a loop without
 * calls stops too. */
static void timeout_hook(lua_State *L, lua_Debug *ar)
{
    if (ar->event != LUA_HOOKCOUNT) current = L;
    limits_check(L);
}

#define TRACK LUA_MASKCALL

static void on_alarm(int sig)
{
    (void)sig;
    if (struck) {  /* the grace period is over too */
        static const char msg[] = "luagrad: timeout: the run did not stop within "
                                  "5 s of its --timeout; ended\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        _exit(124);
    }
    struck = 1;
    cancel_flag = SIGALRM;  /* luagrad's C loops return */
    if (!ended && main_thread) {  /* lua_sethook may be called in a signal handler */
        lua_sethook(main_thread, timeout_hook, TRACK | LUA_MASKCOUNT, 1);
        if (current && current != main_thread)
            lua_sethook(current, timeout_hook, TRACK | LUA_MASKCOUNT, 1);
    }
    arm(LIMITS_GRACE);
}

int limits_timed_out(void) { return struck && !ended; }

void limits_note_thread(lua_State *L)
{
    if (main_thread) current = L;
}
int limits_timeout_struck(void) { return struck; }

const char *limits_push_timeout(lua_State *L)
{
    char num[32];
    snprintf(num, sizeof num, "%.17g", timeout_s);
    return lua_pushfstring(L, "timeout: the run's limit of %s s (--timeout) was reached", num);
}

void limits_check(lua_State *L)
{
    if (!limits_timed_out()) return;
    limits_push_timeout(L);
    lua_error(L);
}


void limits_start(lua_State *L, double timeout, double max_mem)
{
    timeout_s = timeout;
    max_mem_mb = max_mem;
    ended = 0;
    if (max_mem > 0) mem_set_limit((size_t)(max_mem * 1024 * 1024));
    if (timeout > 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;  /* no SA_RESTART: a blocking read returns */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
        main_thread = current = L;
        lua_sethook(L, timeout_hook, TRACK, 0);
        arm(timeout);
    }
}

void limits_end(lua_State *L)
{
    if (ended) return;
    ended = 1;
    mem_set_limit(0);
    if (timeout_s > 0 && lua_gethook(L) == timeout_hook) lua_sethook(L, NULL, 0, 0);
    main_thread = current = NULL;
}

const char *limits_push_explained(lua_State *L, const char *msg)
{
    if (!(max_mem_mb > 0 && mem_limit_reached()))
        return lua_pushstring(L, msg);
    char cap[96];
    snprintf(cap, sizeof cap, "the run's cap of %.15g MB (--max-mem) was reached", max_mem_mb);
    /* Lua's own message when its allocator fails, or when the message
     * handler could not allocate either */
    if (strcmp(msg, "not enough memory") == 0 || strcmp(msg, "error in error handling") == 0)
        return lua_pushfstring(L, "not enough memory: %s", cap);
    const char *nl = strchr(msg, '\n');
    size_t first = nl ? (size_t)(nl - msg) : strlen(msg);
    if (!strstr(msg, "memory")) return lua_pushstring(L, msg);
    lua_pushlstring(L, msg, first);
    lua_pushfstring(L, " (%s)%s", cap, msg + first);
    lua_concat(L, 2);
    return lua_tostring(L, -1);
}
