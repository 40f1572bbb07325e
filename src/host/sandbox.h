/* sandbox.h: --sandbox, what a script someone else wrote may reach.
 *
 * A sandboxed script reads files only under its own folder, its output
 * folder and the --data folders, and writes only under its output folder;
 * it starts no programs, loads no C code and no bytecode, reads only a few
 * environment variables and has no debug library. Everything it is allowed
 * is decided in src/host/sandbox.c: one table of the functions that are
 * replaced or refused, and one check of paths (after realpath, so `..` and
 * symbolic links lead nowhere else). Each refusal is an error saying what
 * was refused and why.
 *
 * The script runs with globals of its own: copies of the library tables,
 * so that what it changes in them cannot change what luagrad's own Lua code
 * (plot, run.json) does with the real ones. */
#ifndef LUAGRAD_SANDBOX_H
#define LUAGRAD_SANDBOX_H

#include <lua.h>

#include "host/state.h"

/* Narrows the state L (made by state_new, luagrad.init already loaded) for
 * rc's script. Raises on failure (called inside the state's setup). */
void sandbox_install(lua_State *L, const RunConfig *rc);

/* Gives the function at idx (the script's main chunk) the script's own
 * globals. */
void sandbox_set_env(lua_State *L, int idx);

#endif
