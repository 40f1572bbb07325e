/* util.h: helpers shared by the C modules' bindings. */
#ifndef LUAGRAD_LIB_UTIL_H
#define LUAGRAD_LIB_UTIL_H

#include <lua.h>
#include <stddef.h>

/* Where an output file goes: a relative path lands in the run's output
 * folder (luagrad.out), an absolute one stays. Creates the folders on the
 * way. Pushes the resolved path and returns it; raises "<fname>: cannot
 * create folder 'x': reason" when a folder cannot be made. */
const char *lib_outpath(lua_State *L, const char *fname, const char *path);

/* The sandbox's check (src/host/sandbox.c) of a file a function is about
 * to read (write = 0) or write (write = 1): raises "<fname>: 'path' is
 * outside ..." when a sandboxed script may not. Without --sandbox the
 * pointer is NULL and every path is allowed. lib_outpath checks what it
 * returns; readers call lib_check_path themselves. */
extern void (*lib_path_guard)(lua_State *L, const char *fname, const char *path, int write);
void lib_check_path(lua_State *L, const char *fname, const char *path, int write);

/* The same path as lib_outpath, without making any folder: for finding
 * what was written. */
const char *lib_resolve_outpath(lua_State *L, const char *path);

/* Notes that the run wrote path (as lib_outpath resolved it), for the list
 * of files in the run's provenance (run.json). Each path is listed once. */
void lib_record_output(lua_State *L, const char *path);

/* The table of options at idx (absent or nil is fine) may only use the
 * names in known (NULL-terminated); otherwise raises
 * "fname: unknown option 'lrr' (known: lr, momentum, ...)". */
void lib_check_options(lua_State *L, int idx, const char *fname, const char *const *known);

/* Pushes v as luagrad writes numbers ("nan", not printf's "-nan") and
 * returns it: for error messages, luaL_error(L, "... got %s", lib_num(L, v)). */
const char *lib_num(lua_State *L, double v);

/* Raises "fname: what[i] is nan" (or inf, 1-based i) for the first value of
 * x[0..n-1] that is not finite; what[i] is just what when n is 1 and
 * scalar is set. */
void lib_check_finite(lua_State *L, const char *fname, const char *what, const double *x,
                      size_t n, int scalar);

/* Raises "fname: the <what> overflowed to inf: training diverged (is the
 * learning rate too large?)" when v, computed from finite inputs, is not
 * finite; returns v. */
double lib_check_overflow(lua_State *L, const char *fname, const char *what, double v);

/* Is the value at idx an exit request, the error object {exit = N,
 * message = "..."} that os.exit (src/host/exit.c) and params{} raise to end
 * the run with status N? Sets *code (may be NULL) when it is. The one test
 * of that shape, for the host and for the modules (a <close> writer commits
 * on a request of status 0). */
int lib_exit_request(lua_State *L, int idx, int *code);

/* Raises "file:line: " + the formatted message, at the first frame of
 * the call stack that is not in luagrad's own Lua files (lua/luagrad/): for
 * a C function that luagrad's Lua calls on a script's behalf (nn's losses),
 * so the error points at the script's line as luaL_error's would for a C
 * function the script calls itself (and as luagrad.fail does in Lua). */
int lib_error_at_script(lua_State *L, const char *fmt, ...);

/* Quick type checks for the calls a per-sample loop makes (grad.se,
 * opt:step, m:forward). lib_mt_tag marks the metatable on top of the stack
 * with tag (the address of a static of the type's module: a key no Lua
 * code can make); lib_fastudata is the userdata at idx when its metatable
 * has that mark, else NULL. A pointer key is found in a few instructions
 * where luaL_checkudata interns the type's name and hashes it (~250
 * instructions a call), and the mark is the same in every Lua state that
 * opened the module (a registry slot number would not be). Only a
 * shortcut: on NULL, callers take luaL_checkudata's way and its messages. */
void lib_mt_tag(lua_State *L, const void *tag);
void *lib_fastudata(lua_State *L, int idx, const void *tag);

/* mkdir -p of the folder part of path. Returns 0, or -1 with errno set and
 * the folder that failed in bad (of size n). */
int lib_make_parents(const char *path, char *bad, size_t n);

#endif
