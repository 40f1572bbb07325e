/* fitlib.c: the global function `fit`, the fast training loop (its rules are
 * in src/core/fit.h).
 *
 *   local r = fit(m, xs, ys, {
 *     epochs = 100,                -- required
 *     lr = 0.01,                   -- plain SGD with this learning rate, or
 *     optimizer = optim.adam(m),   -- any optimizer made for m
 *     batch = "full",              -- or k samples per step (1: per-sample SGD)
 *     shuffle = false,             -- a new order every epoch, from rng
 *     on_epoch = function(epoch, loss, m) end,   -- return true to stop early
 *   })
 *   -- r.epochs: the epochs done; r.loss: the loss of the last one
 *
 * The whole run is in C; on_epoch is the only call back into Lua, once per
 * epoch. Its numbers equal those of the same loop written in Lua with
 * grad.mse and opt:step(). */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "core/fit.h"
#include "lib/modellib.h"
#include "lib/openers.h"
#include "lib/optimlib.h"
#include "lib/progress.h"
#include "lib/rnglib.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

typedef struct Callback {
    lua_State *L;
    int fn;     /* stack index of on_epoch, 0 if none */
    int model;  /* stack index of the model */
    int error;  /* stack slot where a failed callback leaves its error */
    double last_loss;
    size_t epochs;
    /* What the C loop holds pointers into: on_epoch may close them (x and
     * y are safe: fit holds its own references). */
    const Model *m;
    const Optimizer *o;
} Callback;

/* Which of the things fit is using on_epoch closed, or NULL. */
static const char *closed_during(const Callback *cb)
{
    if (!cb->m->params) return "the model";
    if (cb->o->n == 0) return "the optimizer";
    return NULL;
}

static void loss_text(void *ud, char *buf, size_t size)
{
    snprintf(buf, size, "loss %.4g", ((Callback *)ud)->last_loss);
}

static int on_epoch(void *ud, size_t epoch, double loss)
{
    Callback *cb = ud;
    cb->last_loss = loss;
    progress_step("fit", (double)epoch, (double)cb->epochs, loss_text, cb);
    if (!cb->fn) return 0;
    lua_State *L = cb->L;
    lua_pushvalue(L, cb->fn);
    lua_pushinteger(L, (lua_Integer)epoch);
    lua_pushnumber(L, loss);
    lua_pushvalue(L, cb->model);
    if (lua_pcall(L, 3, 1, 0) != LUA_OK) {
        lua_replace(L, cb->error);
        return -1;
    }
    int stop = lua_toboolean(L, -1) && lua_type(L, -1) == LUA_TBOOLEAN;
    lua_pop(L, 1);
    const char *closed = closed_during(cb);
    if (closed) {
        lua_pushfstring(L, "fit: on_epoch closed %s while fit was using it", closed);
        lua_replace(L, cb->error);
        return -1;
    }
    return stop;
}

static lua_Integer integer_option(lua_State *L, const char *key, int required, lua_Integer dflt)
{
    int t = lua_getfield(L, 4, key);
    if (t == LUA_TNIL) {
        if (required) luaL_error(L, "fit: %s is required", key);
        lua_pop(L, 1);
        return dflt;
    }
    if (t == LUA_TSTRING)  /* lua_tointegerx would convert "10" */
        luaL_error(L, "fit: %s must be an integer >= 1, got %s (a string)", key, lua_tostring(L, -1));
    int isint;
    lua_Integer v = lua_tointegerx(L, -1, &isint);
    if (!isint || v < 1)
        luaL_error(L, "fit: %s must be an integer >= 1, got %s", key, luaL_tolstring(L, -1, NULL));
    lua_pop(L, 1);
    return v;
}

static int l_fit(lua_State *L)
{
    static const char *const known[] = {"epochs", "lr", "optimizer", "batch", "shuffle",
                                        "on_epoch", NULL};
    ModelData d = lib_check_model_data(L, "fit", 1, 2, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    lib_check_options(L, 4, "fit", known);
    lua_settop(L, 4);

    FitConfig fc;
    fc.epochs = (size_t)integer_option(L, "epochs", 1, 0);
    fc.batch = d.n;
    if (lua_getfield(L, 4, "batch") == LUA_TSTRING) {
        if (strcmp(lua_tostring(L, -1), "full") != 0)
            return luaL_error(L, "fit: batch must be \"full\" or a number of samples, got '%s'",
                              lua_tostring(L, -1));
    } else if (!lua_isnil(L, -1)) {
        fc.batch = (size_t)integer_option(L, "batch", 0, 0);
    }
    lua_pop(L, 1);
    lua_getfield(L, 4, "shuffle");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
        return luaL_error(L, "fit: shuffle must be true or false, got %s", luaL_typename(L, -1));
    fc.shuffle = lua_toboolean(L, -1);
    lua_pop(L, 1);

    /* The optimizer: given (index 5), or plain SGD from lr (index 5). */
    int has_lr = lua_getfield(L, 4, "lr") != LUA_TNIL;
    int has_opt = lua_getfield(L, 4, "optimizer") != LUA_TNIL;
    Optimizer *o;
    if (has_lr == has_opt)
        return luaL_error(L, has_lr ? "fit: give lr or optimizer, not both"
                                    : "fit: needs lr = ... (plain SGD) or optimizer = ...");
    if (has_opt) {
        o = luaL_testudata(L, 6, OPTIM_MT);
        if (!o)
            return luaL_error(L, "fit: optimizer must be an optimizer (optim.sgd, optim.adam, "
                              "optim.gd), got %s", luaL_typename(L, 6));
        if (o->n == 0) return luaL_error(L, "fit: the optimizer has been closed");
        if (lib_optim_model(L, 6, "fit") != d.m)
            return luaL_error(L, "fit: the optimizer was made for another model");
        lua_replace(L, 5);
    } else {
        lua_pop(L, 1);
        if (lua_type(L, 5) != LUA_TNUMBER)
            return luaL_error(L, "fit: lr must be a number, got %s", luaL_typename(L, 5));
        OptimConfig c = {0};
        c.kind = OPTIM_SGD;
        c.lr = lua_tonumber(L, 5);
        o = lua_newuserdatauv(L, sizeof *o, 1);
        memset(o, 0, sizeof *o);
        luaL_setmetatable(L, OPTIM_MT);  /* its __gc frees the state */
        lua_pushvalue(L, 1);
        lua_setiuservalue(L, -2, 1);
        Err e;
        if (optim_init(o, &c, d.m->nparams, &e) != ST_OK) return luaL_error(L, "fit: %s", e.msg);
        lua_replace(L, 5);
    }

    /* Our own references to x and y: on_epoch may close the script's
     * handles, and the loop keeps reading d.x and d.y. */
    lib_pushtensor(L, lib_checktensor(L, 2));
    lib_pushtensor(L, lib_checktensor(L, 3));
    Callback cb = {L, 0, 1, 0, 0.0, fc.epochs, d.m, o};
    if (lua_getfield(L, 4, "on_epoch") != LUA_TNIL) {
        if (!lua_isfunction(L, -1))
            return luaL_error(L, "fit: on_epoch must be a function, got %s", luaL_typename(L, -1));
        cb.fn = lua_gettop(L);
    }
    lua_pushnil(L);
    cb.error = lua_gettop(L);

    size_t done;
    Err e;
    Status st = fit_run(d.m, d.x, d.y, d.n, &fc, o, lib_rng(L), on_epoch, &cb,
                        &done, &e);
    progress_end();  /* stopped early, or failed */
    if (st == ST_ECALLBACK) {
        lua_pushvalue(L, cb.error);
        return lua_error(L);
    }
    if (st != ST_OK) return luaL_error(L, "fit: %s", e.msg);
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, (lua_Integer)done);
    lua_setfield(L, -2, "epochs");
    lua_pushnumber(L, cb.last_loss);
    lua_setfield(L, -2, "loss");
    return 1;
}

int luaopen_fit(lua_State *L)
{
    lua_pushcfunction(L, l_fit);
    return 1;
}
