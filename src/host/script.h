/* script.h: runs one experiment script, start to finish, and turns what
 * happened into an exit status (see cli.h): the protected call with a
 * traceback, Ctrl-C, the parameter checks, and closing open output files. */
#ifndef LUAGRAD_SCRIPT_H
#define LUAGRAD_SCRIPT_H

#include <lua.h>

#include "host/state.h"

/* Runs rc->script (or lists its parameters when rc->list_params). */
int script_main(const RunConfig *rc);

/* Calls the function below the nargs values on top of L's stack, in
 * protected mode with the luagrad message handler, handling Ctrl-C while it
 * runs. Returns the exit status the outcome calls for. On success the
 * nresults results are left on the stack; on failure the error has been
 * reported on stderr and nothing is left. Used by the prompt as well. */
int script_call(lua_State *L, int nargs, int nresults);

/* After script_call returned a failure: the exit code os.exit (or params{})
 * asked for, or -1 when the failure was an ordinary error. The prompt leaves
 * on os.exit. */
int script_exit_code(void);

/* Closes the run: checks that every key=value was used, closes output files
 * (as complete when status is 0, as incomplete otherwise), and returns the
 * final exit status. */
int script_finish(lua_State *L, int status);

/* Around every resumption of a coroutine (coroutine.resume, wrap, close;
 * src/host/exit.c): enter marks co as the thread that runs Lua code, so
 * Ctrl-C reaches it; leave restores prev (what enter returned) and, when the
 * run is being stopped, makes L, the resumer, stop as well. */
lua_State *script_thread_enter(lua_State *co);
void script_thread_leave(lua_State *L, lua_State *prev);

/* The coroutine that runs Lua code now, NULL for the main thread (safe to
 * call in a signal handler: the --timeout timer stops it, src/host/limits.c). */
lua_State *script_current_thread(void);

#endif
