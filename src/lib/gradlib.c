/* gradlib.c: the Lua module `grad`, gradients of the squared-error losses.
 *
 *   grad.se(m, x, y)        d(loss)/d(params) for one sample:
 *                           {w = 2x(yhat - y), b = 2(yhat - y)}
 *   grad.mse(m, xs, ys)     d(cost)/d(params), the mean of the above over the
 *                           data, in one fused pass
 *   grad.numeric(m, xs, ys [, step])   the same by central differences
 *   grad.numeric(f, p [, step])        derivative of a Lua function f at the
 *                           number p (or gradient at the tensor p)
 *   grad.check(m, xs, ys)   the largest relative difference between the two,
 *                           then the analytic and the numeric table
 *
 * grad.se and grad.mse also leave the gradient in the model (m.grad), where
 * optimizers read it: opt:step() after grad.mse is one step of gradient
 * descent. */
#include <lauxlib.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/numdiff.h"
#include "lib/modellib.h"
#include "lib/openers.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

/* Central differences step, relative to max(1, |p|): the truncation error
 * (step^2) and the rounding error (1e-16 / step) are both about 1e-10. */
#define DEFAULT_STEP 1e-6

/* Finite parameters and data can still give a gradient that overflows. */
static void check_gradient(lua_State *L, const char *fname, const Model *m)
{
    for (size_t p = 0; p < m->nparams; p++)
        lib_check_overflow(L, fname, "gradient", m->grads[p]);
}

static int l_grad_se(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    double x1;
    const double *x;
    if (lua_type(L, 2) == LUA_TNUMBER && m->inputs == 1) {
        x1 = lua_tonumber(L, 2);
        lib_check_finite(L, "grad.se", "x", &x1, 1, 1);
        x = &x1;
    } else if (m->kind == MODEL_MULTI) {
        Tensor *t = lib_checkvector(L, 2, "grad.se", "x");
        if (t->rows != m->inputs)
            return luaL_error(L, "grad.se: x has %I numbers, expected %I (one per input)",
                              (lua_Integer)t->rows, (lua_Integer)m->inputs);
        lib_check_finite(L, "grad.se", "x", t->data, t->rows, 0);
        x = t->data;
    } else {
        return luaL_error(L, "grad.se: x must be a number (one sample), got %s",
                          luaL_typename(L, 2));
    }
    double y = luaL_checknumber(L, 3);
    lib_check_finite(L, "grad.se", "y", &y, 1, 1);
    lib_check_params_finite(L, "grad.se", m);
    model_se_grad(m, x, y, m->grads);
    check_gradient(L, "grad.se", m);
    if (m->kind == MODEL_MULTI) {
        lib_push_param_table(L, m, m->grads);
        return 1;
    }
    /* {w = ..., b = ...} as lib_push_param_table makes it, with the keys
     * from the upvalues (no string look-up per call) */
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushnumber(L, m->grads[0]);
    lua_rawset(L, -3);
    if (m->kind == MODEL_AFFINE) {
        lua_pushvalue(L, lua_upvalueindex(2));
        lua_pushnumber(L, m->grads[1]);
        lua_rawset(L, -3);
    }
    return 1;
}

static int l_grad_mse(lua_State *L)
{
    ModelData d = lib_check_model_shape(L, "grad.mse", 1, 2, 3);
    /* Into scratch first: bad data raises with m.grad as it was. */
    double small[16];
    size_t np = d.m->nparams;
    double *g = np <= 16 ? small : lua_newuserdatauv(L, np * sizeof(double), 0);
    double loss;
    Err e;
    if (model_mse_grad(d.m, d.x, d.y, d.n, NULL, g, &loss, &e) != ST_OK)
        return luaL_error(L, "grad.mse: %s", e.msg);
    if (!isfinite(loss)) lib_recheck_model_data(L, "grad.mse", &d);
    memcpy(d.m->grads, g, np * sizeof(double));
    check_gradient(L, "grad.mse", d.m);
    lib_push_param_table(L, d.m, d.m->grads);
    return 1;
}

/* The relative step: below DBL_EPSILON, p + h can equal p (h = step *
 * max(|p|, 1)), and the difference is 0/0. */
static double check_step(lua_State *L, int idx, const char *fname)
{
    double step = luaL_optnumber(L, idx, DEFAULT_STEP);
    if (!(step > 0 && step < 1))
        luaL_error(L, "%s: step must be in (0, 1), got %s", fname, lib_num(L, step));
    if (step < DBL_EPSILON)
        luaL_error(L, "%s: step %s is too small: p + h would equal p (at least %s, "
                   "the spacing of doubles near 1)", fname, lib_num(L, step),
                   lib_num(L, DBL_EPSILON));
    return step;
}

/* f(p) for the Lua function at 1; it must return a number. When p is a
 * tensor whose element i is shifted for the call, the element is put back
 * to saved before any error leaves: the caller's tensor is never left
 * changed. */
static double call_f(lua_State *L, int pidx, Tensor *p, size_t i, double saved)
{
    lua_pushvalue(L, 1);
    lua_pushvalue(L, pidx);
    int st = lua_pcall(L, 1, 1, 0);
    int isnum = 0;
    double v = st == LUA_OK ? lua_tonumberx(L, -1, &isnum) : 0;
    if ((st != LUA_OK || !isnum) && p) p->data[i] = saved;
    if (st != LUA_OK) lua_error(L);  /* f's own error, as it raised it */
    if (!isnum) luaL_error(L, "grad.numeric: f must return a number, returned %s", luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

static int numeric_of_function(lua_State *L)
{
    double step = check_step(L, 3, "grad.numeric");
    if (lua_type(L, 2) == LUA_TNUMBER) {
        double p = lua_tonumber(L, 2);
        lib_check_finite(L, "grad.numeric", "p", &p, 1, 1);
        double h = numdiff_step(p, step);
        lua_pushnumber(L, p + h);
        double up = call_f(L, lua_gettop(L), NULL, 0, 0);
        lua_pushnumber(L, p - h);
        double down = call_f(L, lua_gettop(L), NULL, 0, 0);
        lua_pushnumber(L, numdiff_central(up, down, p, h));
        return 1;
    }
    Tensor *p = lib_checkvector(L, 2, "grad.numeric", "p");
    lib_pushtensor(L, p);  /* our own reference: f may close the script's handle */
    lib_check_finite(L, "grad.numeric", "p", p->data, p->rows, 0);
    size_t n = p->rows;
    Tensor *g = lib_newtensor(L, "grad.numeric", 1, n, 1);
    for (size_t i = 0; i < n; i++) {
        double saved = p->data[i];
        double h = numdiff_step(saved, step);
        p->data[i] = saved + h;
        double up = call_f(L, 2, p, i, saved);
        p->data[i] = saved - h;
        double down = call_f(L, 2, p, i, saved);
        p->data[i] = saved;
        g->data[i] = numdiff_central(up, down, saved, h);
    }
    return 1;
}

static int l_grad_numeric(lua_State *L)
{
    if (lua_isfunction(L, 1)) return numeric_of_function(L);
    if (!luaL_testudata(L, 1, MODEL_MT))
        return luaL_error(L, "grad.numeric: expected a model or a function, got %s",
                          luaL_typename(L, 1));
    ModelData d = lib_check_model_data(L, "grad.numeric", 1, 2, 3);
    double step = check_step(L, 4, "grad.numeric");
    double *g = lua_newuserdatauv(L, d.m->nparams * sizeof(double), 0);
    Err e;
    if (model_numeric_grad(d.m, d.x, d.y, d.n, step, g, &e) != ST_OK)
        return luaL_error(L, "grad.numeric: %s", e.msg);
    lib_push_param_table(L, d.m, g);
    return 1;
}

static int l_grad_check(lua_State *L)
{
    ModelData d = lib_check_model_data(L, "grad.check", 1, 2, 3);
    double step = check_step(L, 4, "grad.check");
    double *numeric = lua_newuserdatauv(L, d.m->nparams * sizeof(double), 0);
    Err e;
    if (model_mse_grad(d.m, d.x, d.y, d.n, NULL, d.m->grads, NULL, &e) != ST_OK ||
        model_numeric_grad(d.m, d.x, d.y, d.n, step, numeric, &e) != ST_OK)
        return luaL_error(L, "grad.check: %s", e.msg);
    /* |a - n| / max(|a|, |n|, 1e-8): relative, but not blown up near 0. */
    double worst = 0;
    for (size_t p = 0; p < d.m->nparams; p++) {
        double a = d.m->grads[p], n = numeric[p];
        double scale = fmax(fmax(fabs(a), fabs(n)), 1e-8);
        double diff = fabs(a - n) / scale;
        if (diff > worst) worst = diff;
    }
    lua_pushnumber(L, worst);
    lib_push_param_table(L, d.m, d.m->grads);
    lib_push_param_table(L, d.m, numeric);
    return 3;
}

static const luaL_Reg grad_functions[] = {
    {"check", l_grad_check},
    {"mse", l_grad_mse},
    {"numeric", l_grad_numeric},
    {NULL, NULL}
};

int luaopen_grad(lua_State *L)
{
    luaL_newlib(L, grad_functions);
    lua_pushliteral(L, "w");
    lua_pushliteral(L, "b");
    lua_pushcclosure(L, l_grad_se, 2);  /* the keys of its result */
    lua_setfield(L, -2, "se");
    return 1;
}
