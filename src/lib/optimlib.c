/* optimlib.c: the Lua module `optim`, optimizers over a model's parameters
 * with the update rules of src/core/optim.h (PyTorch's SGD and Adam).
 *
 * m is a model, or a list of tensors (nn's model:parameters(), a user's own
 * leaves), updated each from its t.grad with its own state (optimlist.c).
 *
 *   local opt = optim.sgd(m, { lr = 0.01, momentum = 0, dampening = 0,
 *                              nesterov = false, weight_decay = 0, maximize = false })
 *   local opt = optim.adam(m, { lr = 0.001, betas = {0.9, 0.999}, eps = 1e-8,
 *                               weight_decay = 0, amsgrad = false, maximize = false })
 *   optim.gd(m, { lr = 0.01 })      plain gradient descent: sgd without momentum
 *   opt:step()       one update from the gradient in m.grad (left by grad.se,
 *                    grad.mse or fit); an error if a parameter stops being finite
 *   opt:zero_grad()  zeroes m.grad
 *   opt.lr           read and write (learning-rate schedules); opt.steps
 *   opt:reset()      back to step 0 with the state (momentum, averages) zeroed */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/numfmt.h"
#include "lib/modellib.h"
#include "lib/openers.h"
#include "lib/optimlib.h"
#include "lib/util.h"

/* The mark of the type's metatable, for lib_fastudata (set by luaopen_optim). */
static const char optim_tag = 0;

Optimizer *lib_checkoptim(lua_State *L, int idx)
{
    Optimizer *o = lib_fastudata(L, idx, &optim_tag);
    if (!o) o = luaL_checkudata(L, idx, OPTIM_MT);
    if (o->n == 0) luaL_argerror(L, idx, "optimizer has been closed");
    return o;
}

/* The model an optimizer updates, kept as its user value. */
Model *lib_optim_model(lua_State *L, int idx, const char *fname)
{
    lua_getiuservalue(L, idx, 1);
    Model *m = lib_tomodel(L, -1);
    lua_pop(L, 1);  /* the optimizer's user value keeps it alive */
    if (!m) luaL_error(L, "%s: the optimizer's model has been closed", fname);
    return m;
}

static int optim_gc(lua_State *L)
{
    Optimizer *o = luaL_checkudata(L, 1, OPTIM_MT);
    optim_release(o);
    o->n = 0;
    return 0;
}

static double number_option(lua_State *L, const char *fname, const char *key, double dflt)
{
    double v = dflt;
    if (lua_getfield(L, 2, key) != LUA_TNIL) {
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "%s: %s must be a number, got %s", fname, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

static int bool_option(lua_State *L, const char *fname, const char *key)
{
    int v = 0;
    if (lua_getfield(L, 2, key) != LUA_TNIL) {
        if (!lua_isboolean(L, -1))
            luaL_error(L, "%s: %s must be true or false, got %s", fname, key, luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

static int new_optimizer(lua_State *L, const char *fname, OptimConfig *c)
{
    if (lua_istable(L, 1)) return lib_optim_list_new(L, fname, c);
    Model *m = lib_checkmodel(L, 1);
    Optimizer *o = lua_newuserdatauv(L, sizeof *o, 1);
    memset(o, 0, sizeof *o);
    luaL_setmetatable(L, OPTIM_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    Err e;
    if (optim_init(o, c, m->nparams, &e) != ST_OK) return luaL_error(L, "%s: %s", fname, e.msg);
    return 1;
}

/* The first argument: a model, or a list of tensors (model:parameters()). */
static void check_target(lua_State *L)
{
    if (!lua_istable(L, 1)) lib_checkmodel(L, 1);
}

static void need_table(lua_State *L, const char *fname)
{
    if (!lua_istable(L, 2)) luaL_error(L, "%s: expected (model, { lr = ... })", fname);
}

static void need_lr(lua_State *L, const char *fname)
{
    if (lua_getfield(L, 2, "lr") == LUA_TNIL) luaL_error(L, "%s: lr is required", fname);
    lua_pop(L, 1);
}

static int l_optim_sgd(lua_State *L)
{
    static const char *const known[] = {"lr", "momentum", "dampening", "nesterov",
                                        "weight_decay", "maximize", NULL};
    check_target(L);
    need_table(L, "optim.sgd");
    lib_check_options(L, 2, "optim.sgd", known);
    need_lr(L, "optim.sgd");
    OptimConfig c = {0};
    c.kind = OPTIM_SGD;
    c.lr = number_option(L, "optim.sgd", "lr", 0);
    c.momentum = number_option(L, "optim.sgd", "momentum", 0);
    c.dampening = number_option(L, "optim.sgd", "dampening", 0);
    c.nesterov = bool_option(L, "optim.sgd", "nesterov");
    c.weight_decay = number_option(L, "optim.sgd", "weight_decay", 0);
    c.maximize = bool_option(L, "optim.sgd", "maximize");
    return new_optimizer(L, "optim.sgd", &c);
}

static int l_optim_gd(lua_State *L)
{
    static const char *const known[] = {"lr", NULL};
    check_target(L);
    need_table(L, "optim.gd");
    lib_check_options(L, 2, "optim.gd", known);
    need_lr(L, "optim.gd");
    OptimConfig c = {0};
    c.kind = OPTIM_SGD;
    c.lr = number_option(L, "optim.gd", "lr", 0);
    return new_optimizer(L, "optim.gd", &c);
}

static int l_optim_adam(lua_State *L)
{
    static const char *const known[] = {"lr", "betas", "eps", "weight_decay", "amsgrad",
                                        "maximize", NULL};
    check_target(L);
    if (lua_isnoneornil(L, 2)) {  /* all defaults, as torch.optim.Adam(params) */
        lua_settop(L, 1);
        lua_newtable(L);
    }
    lib_check_options(L, 2, "optim.adam", known);
    OptimConfig c = {0};
    c.kind = OPTIM_ADAM;
    c.lr = number_option(L, "optim.adam", "lr", 0.001);
    c.beta1 = 0.9;
    c.beta2 = 0.999;
    if (lua_getfield(L, 2, "betas") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            return luaL_error(L, "optim.adam: betas must be a table of two numbers like "
                              "{0.9, 0.999}, got %s", luaL_typename(L, -1));
        if (luaL_len(L, -1) != 2)
            return luaL_error(L, "optim.adam: betas must be a table of two numbers like "
                              "{0.9, 0.999}, got a table of %I", luaL_len(L, -1));
        lua_geti(L, -1, 1);
        lua_geti(L, -2, 2);
        if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "optim.adam: betas must be a table of two numbers like "
                              "{0.9, 0.999}, got {%s, %s}", luaL_typename(L, -2),
                              luaL_typename(L, -1));
        c.beta1 = lua_tonumber(L, -2);
        c.beta2 = lua_tonumber(L, -1);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    c.eps = number_option(L, "optim.adam", "eps", 1e-8);
    c.weight_decay = number_option(L, "optim.adam", "weight_decay", 0);
    c.amsgrad = bool_option(L, "optim.adam", "amsgrad");
    c.maximize = bool_option(L, "optim.adam", "maximize");
    return new_optimizer(L, "optim.adam", &c);
}

static const char *optim_name(const Optimizer *o)
{
    return o->c.kind == OPTIM_ADAM ? "adam" : "sgd";
}

static int l_optim_step(lua_State *L)
{
    Optimizer *o = lib_checkoptim(L, 1);
    const char *fname = o->c.kind == OPTIM_ADAM ? "adam.step" : "sgd.step";
    Model *m = lib_optim_model(L, 1, fname);
    optim_step(o, m->params, m->grads);
    size_t bad = model_find_nonfinite(m);
    if (bad < m->nparams) {
        char name[32];
        return luaL_error(L, "%s: parameter %s became %s at step %I: training diverged "
                          "(is the learning rate too large?)", fname,
                          model_param_name(m, bad, name, sizeof name),
                          numfmt_nonfinite(m->params[bad]), (lua_Integer)o->t);
    }
    return 0;
}

static int l_optim_zero_grad(lua_State *L)
{
    lib_checkoptim(L, 1);
    Model *m = lib_optim_model(L, 1, "zero_grad");
    memset(m->grads, 0, m->nparams * sizeof(double));
    return 0;
}

static int l_optim_reset(lua_State *L)
{
    optim_reset(lib_checkoptim(L, 1));
    return 0;
}

static int optim_index(lua_State *L)
{
    /* methods first, by the key itself (opt:step() in a loop): the methods
     * table is the upvalue; no method is named like a field below. Each
     * method checks its optimizer (closed or not) itself. */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    Optimizer *o = lib_checkoptim(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "lr") == 0) lua_pushnumber(L, o->c.lr);
    else if (strcmp(key, "steps") == 0) lua_pushinteger(L, (lua_Integer)o->t);
    else if (strcmp(key, "model") == 0) lua_getiuservalue(L, 1, 1);
    else return luaL_error(L, "optimizer: no field '%s' (it has lr, steps, model, step, "
                           "zero_grad, reset)", key);
    return 1;
}

static int optim_newindex(lua_State *L)
{
    Optimizer *o = lib_checkoptim(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "lr") != 0)
        return luaL_error(L, "optimizer: cannot set '%s'; only lr can change", key);
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "optimizer: lr must be a number > 0, got %s", luaL_typename(L, 3));
    double lr = lua_tonumber(L, 3);
    if (!(lr > 0) || !isfinite(lr))
        return luaL_error(L, "optimizer: lr must be a number > 0, got %s", lib_num(L, lr));
    o->c.lr = lr;
    return 0;
}

static int optim_tostring(lua_State *L)
{
    Optimizer *o = luaL_checkudata(L, 1, OPTIM_MT);
    if (o->n == 0) {
        lua_pushliteral(L, "optimizer (closed)");
        return 1;
    }
    lua_pushfstring(L, "optim.%s{lr = %s, steps = %I}", optim_name(o), lib_num(L, o->c.lr),
                    (lua_Integer)o->t);
    return 1;
}

static const luaL_Reg optim_methods[] = {
    {"reset", l_optim_reset},
    {"step", l_optim_step},
    {"zero_grad", l_optim_zero_grad},
    {NULL, NULL}
};

static const luaL_Reg optim_metamethods[] = {
    {"__close", optim_gc},
    {"__gc", optim_gc},
    {"__newindex", optim_newindex},
    {"__tostring", optim_tostring},
    {NULL, NULL}
};

static const luaL_Reg optim_functions[] = {
    {"adam", l_optim_adam},
    {"gd", l_optim_gd},
    {"sgd", l_optim_sgd},
    {NULL, NULL}
};

int luaopen_optim(lua_State *L)
{
    luaL_newmetatable(L, OPTIM_MT);
    lib_mt_tag(L, &optim_tag);
    luaL_setfuncs(L, optim_metamethods, 0);
    luaL_newlib(L, optim_methods);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, optim_index, 1);  /* the methods, optim_index's upvalue */
    lua_setfield(L, -3, "__index");
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
    lib_optim_list_register(L);
    luaL_newlib(L, optim_functions);
    return 1;
}
