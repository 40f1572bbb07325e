/* libs.h: luagrad's C modules for Lua, each in its own file of src/lib/.
 * The host opens all of them on the first use of any (src/host/lazy.c);
 * this table is the one list. */
#ifndef LUAGRAD_LIBS_H
#define LUAGRAD_LIBS_H

#include <lua.h>

/* Makes the Lua modules of lua/luagrad/ (luagrad.params, luagrad.nn, ...),
 * embedded in the binary as bytecode, loadable with require. */
void libs_preload(lua_State *L);

/* Pushes the loader of the embedded Lua module name (as package.preload
 * holds it after libs_preload) and returns 1, or returns 0 when there is
 * no such module. The program finds them this way, on first use, instead
 * of filling package.preload at every start. */
int libs_push_embedded(lua_State *L, const char *name);

/* The C module luagrad.so (src/module/luagrad.c) calls the openers one by
 * one: modules[i] for i = 0, 1, ... until the name is NULL. global tells
 * whether the program makes it a global variable too. */
typedef struct LibsModule {
    const char *name;
    lua_CFunction open;
    int global;
} LibsModule;
extern const LibsModule libs_modules[];

/* At the end of a run: closes the output files still open, as complete when
 * ok, or under an "incomplete" name when the run failed. Never raises;
 * returns 0 when a file could not be completed (reported on stderr), so
 * that the run fails. */
int libs_finish(lua_State *L, int ok);

#endif
