/* modellib.c: the Lua module `model`, the course's models.
 *
 *   model.linear{ w = 1 }                 yhat = w*x
 *   model.affine{ w = 0, b = 0 }          yhat = w*x + b
 *   model.multi{ inputs = d, w = {...}, b = 0 }   yhat = x.W + b, x has d inputs
 *   m.w, m.b  read and write the parameters (m.w of multi is a live view:
 *             writing its elements writes the model)
 *   m:forward(x)   x a number, or a tensor of samples (a matrix of rows for
 *                  multi): a number, or a tensor of predictions
 *   m:params()     {w = ..., b = ...}, a copy
 *   m:parameters() {p}: one vector of all parameters (w..., b), a live view
 *                  whose p.grad is the model's gradient: what optimizers take
 *   m.grad         the last gradient computed by grad.* or fit, which
 *                  optimizers read: m.grad.w, m.grad.b read and write it
 *                  (m.grad.w of multi is a live view); m:zero_grad() zeroes it
 *   m:copy(), m.kind, m.inputs, tostring(m) */
#include "lib/modellib.h"

#include <lauxlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "lib/openers.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

/* The mark of the type's metatable, for lib_fastudata (set by luaopen_model). */
static const char model_tag = 0;

static Model *test_model(lua_State *L, int idx)
{
    Model *m = lib_fastudata(L, idx, &model_tag);
    return m ? m : luaL_testudata(L, idx, MODEL_MT);
}

Model *lib_tomodel(lua_State *L, int idx)
{
    Model *m = test_model(L, idx);
    return m && m->params ? m : NULL;
}

Model *lib_isclosedmodel(lua_State *L, int idx)
{
    Model *m = test_model(L, idx);
    return m && !m->params ? m : NULL;
}

Model *lib_checkmodel(lua_State *L, int idx)
{
    Model *m = lib_fastudata(L, idx, &model_tag);
    if (!m) m = luaL_checkudata(L, idx, MODEL_MT);
    if (!m->params) luaL_argerror(L, idx, "model has been closed");
    return m;
}

static int model_gc(lua_State *L)
{
    model_release(luaL_checkudata(L, 1, MODEL_MT));
    return 0;
}

static Model *new_model(lua_State *L, const char *fname, ModelKind kind, size_t inputs)
{
    Model *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);  /* safe to collect before model_init */
    luaL_setmetatable(L, MODEL_MT);
    Err e;
    if (model_init(m, kind, inputs, &e) != ST_OK) luaL_error(L, "%s: %s", fname, e.msg);
    return m;
}

void lib_push_param_table(lua_State *L, const Model *m, const double *values)
{
    lua_createtable(L, 0, 2);
    if (m->kind == MODEL_MULTI) {
        Tensor *t = lib_newtensor(L, "model", 1, m->inputs, 1);
        memcpy(t->data, values, m->inputs * sizeof(double));
    } else {
        lua_pushnumber(L, values[0]);
    }
    lua_setfield(L, -2, "w");
    if (m->kind != MODEL_LINEAR) {
        lua_pushnumber(L, values[m->nparams - 1]);
        lua_setfield(L, -2, "b");
    }
}

/* ---- parameters by name ------------------------------------------------- */

static void set_w(lua_State *L, Model *m, int vidx, const char *fname)
{
    if (m->kind != MODEL_MULTI) {
        if (lua_type(L, vidx) != LUA_TNUMBER)
            luaL_error(L, "%s: w must be a number, got %s", fname, luaL_typename(L, vidx));
        double w = lua_tonumber(L, vidx);
        lib_check_finite(L, fname, "w", &w, 1, 1);
        m->params[0] = w;
        return;
    }
    Tensor *t = lib_checkvector(L, vidx, fname, "w");
    if (t->rows != m->inputs)
        luaL_error(L, "%s: w has %I numbers, expected %I (one per input)", fname,
                   (lua_Integer)t->rows, (lua_Integer)m->inputs);
    lib_check_finite(L, fname, "w", t->data, t->rows, 0);
    memcpy(m->params, t->data, m->inputs * sizeof(double));
}

static void set_b(lua_State *L, Model *m, int vidx, const char *fname)
{
    if (m->kind == MODEL_LINEAR)
        luaL_error(L, "%s: a linear model (yhat = w*x) has no b; use model.affine", fname);
    if (lua_type(L, vidx) != LUA_TNUMBER)
        luaL_error(L, "%s: b must be a number, got %s", fname, luaL_typename(L, vidx));
    double b = lua_tonumber(L, vidx);
    lib_check_finite(L, fname, "b", &b, 1, 1);
    m->params[m->nparams - 1] = b;
}

/* ---- constructors ------------------------------------------------------- */

/* Sets option `key` of the table at 1 with setter, when present. */
static void apply_option(lua_State *L, Model *m, const char *key, const char *fname,
                         void (*setter)(lua_State *, Model *, int, const char *))
{
    if (!lua_istable(L, 1)) return;
    if (lua_getfield(L, 1, key) != LUA_TNIL) setter(L, m, lua_gettop(L), fname);
    lua_pop(L, 1);
}

static int l_model_linear(lua_State *L)
{
    static const char *const known[] = {"w", NULL};
    lib_check_options(L, 1, "model.linear", known);
    Model *m = new_model(L, "model.linear", MODEL_LINEAR, 1);
    apply_option(L, m, "w", "model.linear", set_w);
    return 1;
}

static int l_model_affine(lua_State *L)
{
    static const char *const known[] = {"w", "b", NULL};
    lib_check_options(L, 1, "model.affine", known);
    Model *m = new_model(L, "model.affine", MODEL_AFFINE, 1);
    apply_option(L, m, "w", "model.affine", set_w);
    apply_option(L, m, "b", "model.affine", set_b);
    return 1;
}

static int l_model_multi(lua_State *L)
{
    static const char *const known[] = {"inputs", "w", "b", NULL};
    lib_check_options(L, 1, "model.multi", known);
    if (!lua_istable(L, 1)) return luaL_error(L, "model.multi: needs { inputs = d }");
    lua_getfield(L, 1, "inputs");
    int isint;
    lua_Integer d = lua_tointegerx(L, -1, &isint);
    if (lua_type(L, -1) != LUA_TNUMBER)
        return luaL_error(L, "model.multi: inputs must be an integer >= 1, got %s",
                          luaL_typename(L, -1));
    if (!isint || d < 1)
        return luaL_error(L, "model.multi: inputs must be an integer >= 1, got %s",
                          luaL_tolstring(L, -1, NULL));
    lua_pop(L, 1);
    Model *m = new_model(L, "model.multi", MODEL_MULTI, (size_t)d);
    apply_option(L, m, "w", "model.multi", set_w);
    apply_option(L, m, "b", "model.multi", set_b);
    return 1;
}

/* ---- methods ------------------------------------------------------------ */

static int l_model_forward(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        if (m->inputs != 1)
            return luaL_error(L, "m:forward: this model has %I inputs; give a tensor of %I numbers "
                              "(one sample) or a matrix with %I columns", (lua_Integer)m->inputs,
                              (lua_Integer)m->inputs, (lua_Integer)m->inputs);
        double x = lua_tonumber(L, 2);
        lib_check_finite(L, "m:forward", "x", &x, 1, 1);
        lua_pushnumber(L, model_forward1(m, &x));
        return 1;
    }
    Tensor *x = lib_checkdata(L, 2, "m:forward", "x");
    lib_check_finite(L, "m:forward", "x", x->data, tensor_numel(x), 0);
    if (m->kind == MODEL_MULTI && x->ndim == 1) {  /* one sample */
        if (x->rows != m->inputs)
            return luaL_error(L, "m:forward: x has %I numbers, expected %I (one per input)",
                              (lua_Integer)x->rows, (lua_Integer)m->inputs);
        lua_pushnumber(L, model_forward1(m, x->data));
        return 1;
    }
    if (m->kind != MODEL_MULTI && x->ndim != 1)
        return luaL_error(L, "m:forward: x must be a number or a vector for a %s model, got a "
                          "%Ix%I matrix", model_kind_name(m->kind), (lua_Integer)x->rows,
                          (lua_Integer)x->cols);
    if (m->kind == MODEL_MULTI && x->cols != m->inputs)
        return luaL_error(L, "m:forward: x has %I columns, expected %I (one per input)",
                          (lua_Integer)x->cols, (lua_Integer)m->inputs);
    Tensor *out = lib_newtensor(L, "m:forward", 1, x->rows, 1);
    model_forward(m, x->data, x->rows, out->data);
    return 1;
}

static int l_model_params(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    lib_push_param_table(L, m, m->params);
    return 1;
}

static int l_model_zero_grad(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    memset(m->grads, 0, m->nparams * sizeof(double));
    return 0;
}

static int l_model_copy(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    Model *c = new_model(L, "m:copy", m->kind, m->inputs);
    memcpy(c->params, m->params, m->nparams * sizeof(double));
    memcpy(c->grads, m->grads, m->nparams * sizeof(double));
    return 1;
}

/* ---- m.grad: a live view of the gradient by name ---------------------------
 * A table with no fields of its own whose metatable reads and writes the
 * model's grads; the model is its upvalue-free user: the proxy keeps the
 * model (at [1] of the proxy's metatable) alive. */

static Model *proxy_model(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_rawgeti(L, -1, 1);
    Model *m = lib_checkmodel(L, -1);
    lua_pop(L, 2);
    return m;
}

static int grad_index(lua_State *L)
{
    Model *m = proxy_model(L);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "w") == 0) {
        if (m->kind == MODEL_MULTI) lib_pushview(L, "m.grad", m->grad_t, 1, m->inputs, 1, 0, 1, 1);
        else lua_pushnumber(L, m->grads[0]);
    } else if (strcmp(key, "b") == 0 && m->kind != MODEL_LINEAR) {
        lua_pushnumber(L, m->grads[m->nparams - 1]);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

static int grad_newindex(lua_State *L)
{
    Model *m = proxy_model(L);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "w") == 0 && m->kind == MODEL_MULTI) {
        Tensor *t = lib_checkvector(L, 3, "m.grad", "w");
        if (t->rows != m->inputs)
            return luaL_error(L, "m.grad: w has %I numbers, expected %I (one per input)",
                              (lua_Integer)t->rows, (lua_Integer)m->inputs);
        memcpy(m->grads, t->data, m->inputs * sizeof(double));
        return 0;
    }
    int is_b = strcmp(key, "b") == 0 && m->kind != MODEL_LINEAR;
    if (strcmp(key, "w") != 0 && !is_b)
        return luaL_error(L, "m.grad: no gradient '%s'; this model's are w%s", key,
                          m->kind == MODEL_LINEAR ? "" : " and b");
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "m.grad: %s must be a number, got %s", key, luaL_typename(L, 3));
    m->grads[is_b ? m->nparams - 1 : 0] = lua_tonumber(L, 3);
    return 0;
}

/* pairs(m.grad): w, then b */
static int grad_next(lua_State *L)
{
    Model *m = proxy_model(L);
    const char *prev = lua_isnil(L, 2) ? NULL : lua_tostring(L, 2);
    const char *key = !prev ? "w" : strcmp(prev, "w") == 0 && m->kind != MODEL_LINEAR ? "b" : NULL;
    if (!key) return 0;
    lua_pushstring(L, key);
    lua_pushcfunction(L, grad_index);
    lua_pushvalue(L, 1);
    lua_pushstring(L, key);
    lua_call(L, 2, 1);
    return 2;
}

static int grad_pairs(lua_State *L)
{
    lua_pushcfunction(L, grad_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

static int grad_tostring(lua_State *L)
{
    Model *m = proxy_model(L);
    lib_push_param_table(L, m, m->grads);
    lua_getfield(L, -1, "w");
    const char *w = luaL_tolstring(L, -1, NULL);
    if (m->kind == MODEL_LINEAR) {
        lua_pushfstring(L, "{w = %s}", w);
        return 1;
    }
    lua_getfield(L, -3, "b");
    lua_pushfstring(L, "{w = %s, b = %s}", w, luaL_tolstring(L, -1, NULL));
    return 1;
}

static void push_grad_proxy(lua_State *L)
{
    static const luaL_Reg meta[] = {
        {"__index", grad_index}, {"__newindex", grad_newindex}, {"__pairs", grad_pairs},
        {"__tostring", grad_tostring}, {NULL, NULL}
    };
    lua_newtable(L);
    luaL_newlib(L, meta);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    lua_setmetatable(L, -2);
}

static int l_model_parameters(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    lua_createtable(L, 1, 0);
    lib_pushtensor(L, m->param_t);
    lua_rawseti(L, -2, 1);
    return 1;
}

static int model_index(lua_State *L)
{
    /* methods first, by the key itself (m:forward in a loop): the methods
     * table is the upvalue; no method is named like a field below. Each
     * method checks its model (closed or not) itself. */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    Model *m = lib_checkmodel(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "w") == 0) {
        if (m->kind == MODEL_MULTI) lib_pushview(L, "model", m->param_t, 1, m->inputs, 1, 0, 1, 1);
        else lua_pushnumber(L, m->params[0]);
    } else if (strcmp(key, "b") == 0) {
        if (m->kind == MODEL_LINEAR)
            return luaL_error(L, "model: a linear model (yhat = w*x) has no b; use model.affine");
        lua_pushnumber(L, m->params[m->nparams - 1]);
    } else if (strcmp(key, "grad") == 0) {
        push_grad_proxy(L);
    } else if (strcmp(key, "kind") == 0) {
        lua_pushstring(L, model_kind_name(m->kind));
    } else if (strcmp(key, "inputs") == 0) {
        lua_pushinteger(L, (lua_Integer)m->inputs);
    } else {
        lua_getmetatable(L, 1);
        lua_getfield(L, -1, "methods");
        lua_getfield(L, -1, key);
        if (lua_isnil(L, -1))
            return luaL_error(L, "model: no field '%s' (a %s model has w%s, grad, kind, inputs "
                              "and methods forward, params, parameters, zero_grad, copy)", key,
                              model_kind_name(m->kind), m->kind == MODEL_LINEAR ? "" : ", b");
    }
    return 1;
}

static int model_newindex(lua_State *L)
{
    Model *m = lib_checkmodel(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "w") == 0) set_w(L, m, 3, "model");
    else if (strcmp(key, "b") == 0) set_b(L, m, 3, "model");
    else return luaL_error(L, "model: cannot set '%s'; the parameters are w%s", key,
                           m->kind == MODEL_LINEAR ? "" : " and b");
    return 0;
}

static int model_tostring(lua_State *L)
{
    Model *m = luaL_checkudata(L, 1, MODEL_MT);
    if (!m->params) {
        lua_pushliteral(L, "model (closed)");
        return 1;
    }
    char w[NUMFMT_SIZE], b[NUMFMT_SIZE];
    numfmt_double(m->params[m->nparams - 1], b);
    if (m->kind == MODEL_MULTI) {
        lua_getfield(L, 1, "w");  /* through __index: a view of w */
        lua_pushfstring(L, "model.multi{inputs = %I, w = %s, b = %s}", (lua_Integer)m->inputs,
                        luaL_tolstring(L, -1, NULL), b);
        return 1;
    }
    numfmt_double(m->params[0], w);
    if (m->kind == MODEL_LINEAR) lua_pushfstring(L, "model.linear{w = %s}", w);
    else lua_pushfstring(L, "model.affine{w = %s, b = %s}", w, b);
    return 1;
}

/* ---- checked model + data, for loss, grad, fit ---------------------------- */

ModelData lib_check_model_data(lua_State *L, const char *fname, int midx, int xidx, int yidx)
{
    ModelData d = lib_check_model_shape(L, fname, midx, xidx, yidx);
    lib_recheck_model_data(L, fname, &d);
    return d;
}

void lib_recheck_model_data(lua_State *L, const char *fname, const ModelData *d)
{
    Err e;
    if (model_check_data(d->m, d->x, d->y, d->n, &e) != ST_OK)
        luaL_error(L, "%s: %s", fname, e.msg);
    lib_check_params_finite(L, fname, d->m);
}

ModelData lib_check_model_shape(lua_State *L, const char *fname, int midx, int xidx, int yidx)
{
    ModelData d;
    d.m = lib_checkmodel(L, midx);
    Tensor *x = lib_checkdata(L, xidx, fname, "x");
    Tensor *y = lib_checkvector(L, yidx, fname, "y");
    size_t inputs = d.m->inputs;
    if (d.m->kind == MODEL_MULTI) {
        if (x->ndim == 1 && inputs == 1) {
            /* a vector of single-input samples is fine */
        } else if (x->ndim != 2 || x->cols != inputs) {
            luaL_error(L, "%s: x must be a matrix with %I columns (one per input), got %s%I%s",
                       fname, (lua_Integer)inputs, x->ndim == 1 ? "a vector of " : "",
                       (lua_Integer)(x->ndim == 1 ? x->rows : x->cols),
                       x->ndim == 1 ? " numbers" : " columns");
        }
    } else if (x->ndim != 1) {
        luaL_error(L, "%s: x must be a vector for a %s model, got a %Ix%I matrix", fname,
                   model_kind_name(d.m->kind), (lua_Integer)x->rows, (lua_Integer)x->cols);
    }
    if (y->rows != x->rows)
        luaL_error(L, "%s: y has %I elements, expected %I (like x)", fname,
                   (lua_Integer)y->rows, (lua_Integer)x->rows);
    if (x->rows == 0) luaL_error(L, "%s: the data is empty", fname);
    d.x = x->data;
    d.y = y->data;
    d.n = x->rows;
    return d;
}

void lib_check_params_finite(lua_State *L, const char *fname, const Model *m)
{
    size_t bad = model_find_nonfinite(m);
    if (bad < m->nparams) {
        char name[32];
        luaL_error(L, "%s: model parameter %s is %s: training diverged (is the learning rate "
                   "too large?)", fname, model_param_name(m, bad, name, sizeof name),
                   numfmt_nonfinite(m->params[bad]));
    }
}

/* ---- registration ------------------------------------------------------- */

static const luaL_Reg model_methods[] = {
    {"copy", l_model_copy},
    {"forward", l_model_forward},
    {"parameters", l_model_parameters},
    {"params", l_model_params},
    {"zero_grad", l_model_zero_grad},
    {NULL, NULL}
};

static const luaL_Reg model_metamethods[] = {
    {"__close", model_gc},
    {"__gc", model_gc},
    {"__newindex", model_newindex},
    {"__tostring", model_tostring},
    {NULL, NULL}
};

static const luaL_Reg model_functions[] = {
    {"affine", l_model_affine},
    {"linear", l_model_linear},
    {"multi", l_model_multi},
    {NULL, NULL}
};

int luaopen_model(lua_State *L)
{
    luaL_newmetatable(L, MODEL_MT);
    lib_mt_tag(L, &model_tag);
    luaL_setfuncs(L, model_metamethods, 0);
    luaL_newlib(L, model_methods);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, model_index, 1);  /* the methods, model_index's upvalue */
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
    luaL_newlib(L, model_functions);
    return 1;
}
