/* lazy.h: globals and modules loaded on first use.
 *
 * Loading every module at start cost an empty script 2.5 M instructions
 * (plot alone 0.47 M), 2.5 times all that `lua5.4 -e ''` does. So the
 * state starts with luagrad.sys and luagrad.init only; each other module
 * (the C modules of src/lib/libs.c, the Lua globals listed in lazy.c) has
 * a loader, run the first time the script (or luagrad's own Lua code)
 * reaches it:
 *
 *   - a global (tensor, plot, params, ...): _G's metatable; __index loads
 *     the value and stores it in _G, so the next access is a plain one.
 *     Assigning the name first (even nil) replaces it, as it would replace
 *     a loaded global; the loader is then never run for _G.
 *   - a module (require "tensor", "plot", "luagrad.nnc"): a searcher.
 *
 * Either way a loader runs once and its value is kept, so _G.plot and
 * require "plot" are the same table. All C modules (src/lib/libs.c) load
 * together, on the first use of any: their functions make each other's
 * objects (csv.read makes tensors), which need every metatable there.
 *
 * Only next and rawget see the difference: they find a global once it has
 * been used. pairs(_G) loads every global first (__pairs), and so do
 * setmetatable(_G, mt) and getmetatable(_G) (and debug's), since a script's
 * own metatable, or ours changed in place (strict mode), would not load
 * them. --sandbox (src/host/sandbox.c) gives the script's own
 * globals the same behaviour, with copies. */
#ifndef LUAGRAD_LAZY_H
#define LUAGRAD_LAZY_H

#include <lua.h>

/* Registry: the values made so far (name -> value), [1] require as it was
 * at the start, [2] which globals _G has not got yet, [3] a function that
 * returns the list of the globals' names. */
#define LAZY_KEY "luagrad.lazy"

/* Sets _G's metatable and adds luagrad's searcher to package.searchers
 * (second, after package.preload): it finds the embedded Lua modules
 * (luagrad.params, ...) and the names loaded on first use. Call it after
 * luaL_openlibs and luagrad.sys, before anything requires luagrad's Lua. */
void lazy_begin(lua_State *L);

/* Pushes name's value, loading it if this is its first use; returns 1, or
 * 0 (nothing pushed) when name has no loader. Raises what the loader
 * raises. */
int lazy_push(lua_State *L, const char *name);

/* Whether name is a global (global = 1) or a module (0) with a loader. */
int lazy_has(const char *name, int global);

/* Pushes a new table: the global names _G has not got yet (name -> true). */
void lazy_push_pending(lua_State *L);

/* Adds __pairs (every global loaded, then a raw traversal) to the
 * metatable at mt: _G's and a sandbox's globals'. */
void lazy_add_pairs(lua_State *L, int mt);

/* Called after each loader has run (NULL: nothing): --sandbox sets it so
 * that what loads late is narrowed like what was there at start. */
extern void (*lazy_loaded_hook)(lua_State *L);

#endif
