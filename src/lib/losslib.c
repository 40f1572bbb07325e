/* losslib.c: the Lua module `loss`.
 *
 *   loss.se(yhat, y)       the squared error (yhat - y)^2 of one sample (the
 *                          course's loss); numbers, or tensors element-wise
 *   loss.se(m, x, y)       the same for model m at input x (a number, or one
 *                          sample's inputs for a multi model)
 *   loss.mse(yhat, y)      the mean squared error over tensors (the course's cost)
 *   loss.mse(m, xs, ys)    the same for model m on a data set, in one pass
 *                          that allocates nothing */
#include <lauxlib.h>
#include <math.h>

#include "core/loss.h"
#include "lib/modellib.h"
#include "lib/openers.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

static int l_loss_se(lua_State *L)
{
    if (lib_isclosedmodel(L, 1)) return luaL_error(L, "loss.se: the model has been closed");
    Model *m = lib_tomodel(L, 1);
    if (m) {
        lib_check_params_finite(L, "loss.se", m);
        double yhat;
        if (lua_type(L, 2) == LUA_TNUMBER && m->inputs == 1) {
            double x = lua_tonumber(L, 2);
            lib_check_finite(L, "loss.se", "x", &x, 1, 1);
            yhat = model_forward1(m, &x);
        } else if (m->kind == MODEL_MULTI) {
            Tensor *x = lib_checkvector(L, 2, "loss.se", "x");
            if (x->rows != m->inputs)
                return luaL_error(L, "loss.se: x has %I numbers, expected %I (one per input)",
                                  (lua_Integer)x->rows, (lua_Integer)m->inputs);
            lib_check_finite(L, "loss.se", "x", x->data, x->rows, 0);
            yhat = model_forward1(m, x->data);
        } else {
            return luaL_error(L, "loss.se: x must be a number (one sample), got %s",
                              luaL_typename(L, 2));
        }
        double y = luaL_checknumber(L, 3);
        lib_check_finite(L, "loss.se", "y", &y, 1, 1);
        lua_pushnumber(L, lib_check_overflow(L, "loss.se", "loss", loss_se(yhat, y)));
        return 1;
    }
    if (lua_type(L, 1) == LUA_TNUMBER && lua_type(L, 2) == LUA_TNUMBER) {
        double yhat = lua_tonumber(L, 1), y = lua_tonumber(L, 2);
        lib_check_finite(L, "loss.se", "yhat", &yhat, 1, 1);
        lib_check_finite(L, "loss.se", "y", &y, 1, 1);
        lua_pushnumber(L, lib_check_overflow(L, "loss.se", "loss", loss_se(yhat, y)));
        return 1;
    }
    if (lua_type(L, 1) == LUA_TNUMBER || lua_isnone(L, 2))
        return luaL_error(L, "loss.se: expected (yhat, y) as two numbers or two tensors, or "
                          "(model, x, y); got %s and %s", luaL_typename(L, 1), luaL_typename(L, 2));
    Tensor *yhat = lib_checkvector(L, 1, "loss.se", "yhat");
    Tensor *y = lib_checkvector(L, 2, "loss.se", "y");
    if (y->rows != yhat->rows)
        return luaL_error(L, "loss.se: y has %I elements, expected %I (like yhat)",
                          (lua_Integer)y->rows, (lua_Integer)yhat->rows);
    lib_check_finite(L, "loss.se", "yhat", yhat->data, yhat->rows, 0);
    lib_check_finite(L, "loss.se", "y", y->data, y->rows, 0);
    Tensor *out = lib_newtensor(L, "loss.se", 1, y->rows, 1);
    for (size_t i = 0; i < y->rows; i++) out->data[i] = loss_se(yhat->data[i], y->data[i]);
    return 1;
}

static int l_loss_mse(lua_State *L)
{
    if (lib_isclosedmodel(L, 1)) return luaL_error(L, "loss.mse: the model has been closed");
    if (lib_tomodel(L, 1)) {
        ModelData d = lib_check_model_shape(L, "loss.mse", 1, 2, 3);
        double loss;
        Err e;
        if (model_mse(d.m, d.x, d.y, d.n, &loss, &e) != ST_OK)
            return luaL_error(L, "loss.mse: %s", e.msg);
        if (!isfinite(loss)) lib_recheck_model_data(L, "loss.mse", &d);
        lua_pushnumber(L, lib_check_overflow(L, "loss.mse", "loss", loss));
        return 1;
    }
    Tensor *yhat = lib_checkvector(L, 1, "loss.mse", "yhat");
    Tensor *y = lib_checkvector(L, 2, "loss.mse", "y");
    if (y->rows != yhat->rows)
        return luaL_error(L, "loss.mse: y has %I elements, expected %I (like yhat)",
                          (lua_Integer)y->rows, (lua_Integer)yhat->rows);
    if (y->rows == 0) return luaL_error(L, "loss.mse: the data is empty");
    double loss = loss_mse(yhat->data, y->data, y->rows);
    if (!isfinite(loss)) {  /* inf or nan in yhat or y, or an overflow */
        lib_check_finite(L, "loss.mse", "yhat", yhat->data, yhat->rows, 0);
        lib_check_finite(L, "loss.mse", "y", y->data, y->rows, 0);
    }
    lua_pushnumber(L, lib_check_overflow(L, "loss.mse", "loss", loss));
    return 1;
}

static const luaL_Reg loss_functions[] = {
    {"mse", l_loss_mse},
    {"se", l_loss_se},
    {NULL, NULL}
};

int luaopen_loss(lua_State *L)
{
    luaL_newlib(L, loss_functions);
    return 1;
}
