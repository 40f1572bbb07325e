/* libs.c: the list of luagrad's C modules (see libs.h). */
#include "lib/libs.h"

#include <lauxlib.h>

#include "lib/csvlib.h"
#include "lib/openers.h"

const LibsModule libs_modules[] = {
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

int libs_finish(lua_State *L, int ok)
{
    return csvlib_finish(L, ok);  /* the csv writers still open */
}
