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
#include "host/script.h"

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

/* The thread the script runs in. */
static lua_State *volatile main_thread;

/* Once the timer has gone off: a count hook on every instruction, which
 * raises the timeout error (again after a pcall, which also checks:
 * src/host/exit.c). Until then there is no hook at all: the thread running
 * at the time is the one src/host/script.c tracks for Ctrl-C (every
 * coroutine entry goes through it), and a coroutine resumed after the
 * timeout starts stopped there too (cancel_flag is set). */
static void timeout_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    limits_check(L);
}

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
        lua_sethook(main_thread, timeout_hook, LUA_MASKCOUNT, 1);
        lua_State *co = script_current_thread();
        if (co && co != main_thread) lua_sethook(co, timeout_hook, LUA_MASKCOUNT, 1);
    }
    arm(LIMITS_GRACE);
}

int limits_timed_out(void) { return struck && !ended; }

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
        main_thread = L;
        arm(timeout);
    }
}

void limits_end(lua_State *L)
{
    if (ended) return;
    ended = 1;
    mem_set_limit(0);
    if (timeout_s > 0 && lua_gethook(L) == timeout_hook) lua_sethook(L, NULL, 0, 0);
    main_thread = NULL;
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
