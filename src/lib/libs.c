/* libs.c: the list of luagrad's C modules (see libs.h). */
#include "lib/libs.h"

#include <lauxlib.h>

#include "lib/csvlib.h"
#include "lib/openers.h"

typedef struct Module {
    const char *name;
    lua_CFunction open;
    int global;  /* also a global variable, not only require(name) */
} Module;

static const Module modules[] = {
    {"csv", luaopen_csv, 1},
    {"luagrad.sys", luaopen_luagrad_sys, 0},
    {"tensor", luaopen_tensor, 1},
    {"autograd", luaopen_autograd, 1},
    {"luagrad.nnc", luaopen_luagrad_nnc, 0},
    {"rng", luaopen_rng, 1},
    {"model", luaopen_model, 1},
    {"loss", luaopen_loss, 1},
    {"grad", luaopen_grad, 1},
    {"optim", luaopen_optim, 1},
    {"fit", luaopen_fit, 1},
    {"scan", luaopen_scan, 1},
    {"progress", luaopen_progress, 1},
    {NULL, NULL, 0}
};

void libs_open(lua_State *L)
{
    for (const Module *m = modules; m->name; m++) {
        luaL_requiref(L, m->name, m->open, m->global);
        lua_pop(L, 1);
    }
}

int libs_finish(lua_State *L, int ok)
{
    return csvlib_finish(L, ok);  /* the csv writers still open */
}
