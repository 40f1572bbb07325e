/* libs.c: the list of luagrad's C modules (see libs.h). */
#include "lib/libs.h"

#include <lauxlib.h>

#include "lib/openers.h"

typedef struct Module {
    const char *name;
    lua_CFunction open;
    int global;  /* also a global variable, not only require(name) */
} Module;

static const Module modules[] = {
    {"luagrad.sys", luaopen_luagrad_sys, 0},
    {"tensor", luaopen_tensor, 1},
    {NULL, NULL, 0}
};

void libs_open(lua_State *L)
{
    for (const Module *m = modules; m->name; m++) {
        luaL_requiref(L, m->name, m->open, m->global);
        lua_pop(L, 1);
    }
}

void libs_finish(lua_State *L, int ok)
{
    (void)L;
    (void)ok;
}
