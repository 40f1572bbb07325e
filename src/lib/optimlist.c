/* optimlist.c: optim.sgd and optim.adam over a list of tensors, as PyTorch's
 * torch.optim takes model.parameters():
 *
 *   local opt = optim.sgd(model:parameters(), { lr = 0.01, momentum = 0.9 })
 *   opt:zero_grad()   zeroes each t.grad (those that exist)
 *   opt:step()        updates each tensor from its t.grad; tensors without a
 *                     grad are skipped, as PyTorch skips them
 *   opt.lr (read and write), opt.steps, opt:reset()
 *
 * Each tensor is one Optimizer of src/core/optim.h with its own state (its
 * own step count for Adam's bias correction), so the update rules are the
 * ones the models use, operation for operation. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "lib/optimlib.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

#define OPTIM_LIST_MT "TensorOptimizer"

typedef struct OptimList {
    OptimConfig c;
    size_t cap;        /* params and per were allocated for this many */
    size_t count;      /* of which this many are set */
    Tensor **params;   /* our own reference to each */
    Optimizer *per;
    long long steps;
    int closed;
} OptimList;

static int list_gc(lua_State *L)
{
    OptimList *o = luaL_checkudata(L, 1, OPTIM_LIST_MT);
    for (size_t i = 0; i < o->count; i++) {
        if (o->per) optim_release(&o->per[i]);
        if (o->params) tensor_release(o->params[i]);
    }
    mem_free(o->per, o->cap * sizeof *o->per);
    mem_free(o->params, o->cap * sizeof *o->params);
    o->per = NULL;
    o->params = NULL;
    o->count = o->cap = 0;
    o->closed = 1;
    return 0;
}

static OptimList *check_list(lua_State *L)
{
    OptimList *o = luaL_checkudata(L, 1, OPTIM_LIST_MT);
    if (o->closed) luaL_argerror(L, 1, "optimizer has been closed");
    return o;
}

static const char *kind_name(const OptimList *o)
{
    return o->c.kind == OPTIM_ADAM ? "adam" : "sgd";
}

int lib_optim_list_new(lua_State *L, const char *fname, const OptimConfig *c)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    if (n < 1)
        return luaL_error(L, "%s: params must be a list of tensors (model:parameters()), got "
                          "an empty table", fname);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);  /* raw: both passes see the same list */
        Tensor *t = lib_totensor(L, -1);
        char s[64];
        if (!t)
            return luaL_error(L, "%s: params[%I] must be a tensor, got %s", fname, i,
                              luaL_typename(L, -1));
        if (t->node)
            return luaL_error(L, "%s: params[%I] was made by %s; only leaf tensors can be "
                              "optimized", fname, i, ag_op_name((AgOp)ag_op_of(t)));
        if (!tensor_is_contiguous(t))
            return luaL_error(L, "%s: params[%I] (shape %s) is a view that is not contiguous; "
                              "optimize the tensor it views", fname, i,
                              tensor_shape_text(t, s, sizeof s));
        lua_pop(L, 1);
    }
    OptimList *o = lua_newuserdatauv(L, sizeof *o, 0);
    memset(o, 0, sizeof *o);
    o->closed = 1;  /* until complete: safe to collect */
    luaL_setmetatable(L, OPTIM_LIST_MT);
    o->params = mem_alloc((size_t)n * sizeof *o->params);
    o->per = mem_alloc((size_t)n * sizeof *o->per);
    if (!o->params || !o->per) {
        mem_free(o->params, (size_t)n * sizeof *o->params);
        mem_free(o->per, (size_t)n * sizeof *o->per);
        o->params = NULL;
        o->per = NULL;
        return luaL_error(L, "%s: not enough memory for the optimizer", fname);
    }
    memset(o->per, 0, (size_t)n * sizeof *o->per);
    o->cap = (size_t)n;
    o->closed = 0;
    o->c = *c;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 1, i);  /* raw: both passes see the same list */
        Tensor *t = lib_totensor(L, -1);
        lua_pop(L, 1);
        tensor_retain(t);
        o->params[o->count++] = t;
        Err e;
        if (optim_init(&o->per[i - 1], c, tensor_numel(t), &e) != ST_OK)
            return luaL_error(L, "%s: %s", fname, e.msg);
    }
    return 1;
}

static int l_step(lua_State *L)
{
    OptimList *o = check_list(L);
    const char *fname = o->c.kind == OPTIM_ADAM ? "adam.step" : "sgd.step";
    o->steps++;
    for (size_t i = 0; i < o->count; i++) {
        Tensor *t = o->params[i];
        if (!t->grad) continue;
        optim_step(&o->per[i], t->data, t->grad->data);
        size_t n = tensor_numel(t), bad = array_find_nonfinite(t->data, n);
        if (bad < n) {
            char s[64];
            return luaL_error(L, "%s: element %I of parameter %I (shape %s) became %s at step "
                              "%I: training diverged (is the learning rate too large?)", fname,
                              (lua_Integer)bad + 1, (lua_Integer)i + 1,
                              tensor_shape_text(t, s, sizeof s), lib_num(L, t->data[bad]),
                              (lua_Integer)o->steps);
        }
    }
    return 0;
}

static int l_zero_grad(lua_State *L)
{
    OptimList *o = check_list(L);
    for (size_t i = 0; i < o->count; i++) {
        Tensor *g = o->params[i]->grad;
        if (g) memset(g->data, 0, tensor_numel(g) * sizeof(double));
    }
    return 0;
}

static int l_reset(lua_State *L)
{
    OptimList *o = check_list(L);
    for (size_t i = 0; i < o->count; i++) optim_reset(&o->per[i]);
    o->steps = 0;
    return 0;
}

static int list_index(lua_State *L)
{
    OptimList *o = check_list(L);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "lr") == 0) {
        lua_pushnumber(L, o->c.lr);
    } else if (strcmp(key, "steps") == 0) {
        lua_pushinteger(L, (lua_Integer)o->steps);
    } else if (strcmp(key, "params") == 0) {
        lua_createtable(L, (int)o->count, 0);
        for (size_t i = 0; i < o->count; i++) {
            lib_pushtensor(L, o->params[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    } else {
        lua_getmetatable(L, 1);
        lua_getfield(L, -1, "methods");
        if (lua_getfield(L, -1, key) == LUA_TNIL)
            return luaL_error(L, "optimizer: no field '%s' (it has lr, steps, params, step, "
                              "zero_grad, reset)", key);
    }
    return 1;
}

static int list_newindex(lua_State *L)
{
    OptimList *o = check_list(L);
    const char *key = luaL_checkstring(L, 2);
    if (strcmp(key, "lr") != 0)
        return luaL_error(L, "optimizer: cannot set '%s'; only lr can change", key);
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "optimizer: lr must be a number > 0, got %s", luaL_typename(L, 3));
    double lr = lua_tonumber(L, 3);
    if (!(lr > 0) || !isfinite(lr))
        return luaL_error(L, "optimizer: lr must be a number > 0, got %s", lib_num(L, lr));
    o->c.lr = lr;
    for (size_t i = 0; i < o->count; i++) o->per[i].c.lr = lr;
    return 0;
}

static int list_tostring(lua_State *L)
{
    OptimList *o = luaL_checkudata(L, 1, OPTIM_LIST_MT);
    if (o->closed) {
        lua_pushliteral(L, "optimizer (closed)");
        return 1;
    }
    lua_pushfstring(L, "optim.%s{lr = %s, steps = %I, %I tensors}", kind_name(o),
                    lib_num(L, o->c.lr), (lua_Integer)o->steps, (lua_Integer)o->count);
    return 1;
}

static const luaL_Reg list_methods[] = {
    {"reset", l_reset},
    {"step", l_step},
    {"zero_grad", l_zero_grad},
    {NULL, NULL}
};

static const luaL_Reg list_metamethods[] = {
    {"__close", list_gc},
    {"__gc", list_gc},
    {"__index", list_index},
    {"__newindex", list_newindex},
    {"__tostring", list_tostring},
    {NULL, NULL}
};

/* Called by luaopen_optim. */
void lib_optim_list_register(lua_State *L)
{
    luaL_newmetatable(L, OPTIM_LIST_MT);
    luaL_setfuncs(L, list_metamethods, 0);
    luaL_newlib(L, list_methods);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);
}
