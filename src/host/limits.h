/* limits.h: --timeout and --max-mem, the limits of one script's run.
 *
 * The timeout: a timer (SIGALRM) sets the core's cancel flag, so luagrad's
 * long C loops return, and puts a count hook on the thread that runs (the
 * main one or a coroutine, noted by a hook on calls that every coroutine
 * inherits, and by coroutine.resume), which raises the timeout error at the next Lua step.
 * The script cannot swallow it: pcall, xpcall and coroutine.resume
 * (src/host/exit.c) raise it again, and the hook raises it again. A run
 * that does not stop within LIMITS_GRACE seconds more (stuck in a C call
 * that does not poll) is ended on the spot with status 124.
 *
 * The memory cap: mem_set_limit of the one allocator (src/core/mem.h),
 * which the Lua state, tensors and CSV buffers all use. */
#ifndef LUAGRAD_LIMITS_H
#define LUAGRAD_LIMITS_H

#include <lua.h>

#define LIMITS_GRACE 5

/* Arms the limits (seconds and megabytes, 0 for none) for the script about
 * to run in L. */
void limits_start(lua_State *L, double timeout, double max_mem);

/* The script has returned or failed: the hook stops raising and the cap is
 * lifted, so the run can close its files and write run.json. The timer
 * stays as a backstop. Harmless when the limits were never started. */
void limits_end(lua_State *L);

/* Has the timeout struck (and the script not yet ended)? */
int limits_timed_out(void);

/* Did the timeout strike during this run (even if it has ended since)? */
int limits_timeout_struck(void);

/* Raises the timeout error when the timeout has struck; returns otherwise. */
void limits_check(lua_State *L);

/* Pushes the timeout message: "timeout: the run's limit of 2 s
 * (--timeout) was reached". */
const char *limits_push_timeout(lua_State *L);

/* Pushes msg as the user should see it after the run: a failed allocation
 * while the memory cap was reached names the cap. */
const char *limits_push_explained(lua_State *L, const char *msg);

#endif
