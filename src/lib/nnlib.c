/* nnlib.c: the module luagrad.nnc, the C half of nn's losses (required by
 * lua/luagrad/nn.lua, not a global). Each returns a one-element tensor
 * that records itself for backward (numerics: src/core/criterion.c,
 * backward.c).
 *
 *   nnc.mse(pred, target, reduction, fname)   target of pred's shape
 *   nnc.bce(pred, target, reduction, fname)   both in [0, 1]
 *   nnc.nll(logp, classes, reduction, fname)  logp n x C (or a vector of C:
 *                                             one sample), classes n numbers 1..C
 *   nnc.zero_grad(list)                       zeroes t.grad of each tensor (model:zero_grad)
 * reduction is "mean" or "sum"; fname names the caller in messages
 * ("nn.MSELoss"). */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/criterion.h"
#include "lib/openers.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

static int check_reduction(lua_State *L, int idx, const char *fname)
{
    const char *r = luaL_optstring(L, idx, "mean");
    if (strcmp(r, "mean") == 0) return 1;
    if (strcmp(r, "sum") == 0) return 0;
    return lib_error_at_script(L, "%s: reduction must be \"mean\" or \"sum\", got \"%s\"", fname, r);
}

/* pred at 1 and target at 2 (a table becomes a tensor); contiguous copies
 * of both are pushed (5 and 6), the originals stay for the graph. */
static void pair(lua_State *L, const char *fname, Tensor **p, Tensor **t, Tensor **pc,
                 Tensor **tc)
{
    *p = lib_checktensor(L, 1);
    *t = lib_checkdata(L, 2, fname, "target");
    if (!tensor_same_shape(*p, *t)) {
        char sp[64], st[64];
        lib_error_at_script(L, "%s: the prediction has shape %s but the target has shape %s", fname,
                   tensor_shape_text(*p, sp, sizeof sp), tensor_shape_text(*t, st, sizeof st));
    }
    if (tensor_numel(*p) == 0) lib_error_at_script(L, "%s: the prediction is empty", fname);
    lua_settop(L, 4);
    lua_pushvalue(L, 1);
    *pc = lib_contiguous(L, 5, fname);
    lua_pushvalue(L, 2);
    *tc = lib_contiguous(L, 6, fname);
}

static Tensor *push_loss(lua_State *L, const char *fname, double v)
{
    Tensor *r = lib_newresult(L, fname, 1, 1, 1);
    r->data[0] = v;
    return r;
}

static int l_mse(lua_State *L)
{
    const char *fname = luaL_optstring(L, 4, "mse");
    int mean = check_reduction(L, 3, fname);
    Tensor *p, *t, *pc, *tc;
    pair(L, fname, &p, &t, &pc, &tc);
    size_t n = tensor_numel(p);
    double div = mean ? (double)n : 1;
    Tensor *r = push_loss(L, fname, crit_mse(pc->data, tc->data, n, div));
    lib_record(L, r, AG_MSE, p, t, &(AgAux){.scalar = div});
    return 1;
}

static void check_unit(lua_State *L, const char *fname, const char *what, const Tensor *t)
{
    /* runs on every call of a training loop: first one pass without a
     * branch per element, then the search for the element to name */
    size_t n = tensor_numel(t);
    int ok = 1;
    for (size_t i = 0; i < n; i++) ok &= (t->data[i] >= 0) & (t->data[i] <= 1);
    if (ok) return;
    for (size_t i = 0; i < n; i++)
        if (!(t->data[i] >= 0 && t->data[i] <= 1))
            lib_error_at_script(L, "%s: every %s must be in [0, 1], element %I is %s", fname, what,
                       (lua_Integer)i + 1, lib_num(L, t->data[i]));
}

static int l_bce(lua_State *L)
{
    const char *fname = luaL_optstring(L, 4, "bce");
    int mean = check_reduction(L, 3, fname);
    Tensor *p, *t, *pc, *tc;
    pair(L, fname, &p, &t, &pc, &tc);
    if (t->requires_grad || t->node)
        return lib_error_at_script(L, "%s: the target must not require a gradient (use target:detach())",
                          fname);
    check_unit(L, fname, "prediction", pc);
    check_unit(L, fname, "target", tc);
    size_t n = tensor_numel(p);
    double div = mean ? (double)n : 1;
    double *scratch = lua_newuserdatauv(L, n * sizeof(double), 0);
    Tensor *r = push_loss(L, fname, crit_bce(pc->data, tc->data, n, div, scratch));
    lib_record(L, r, AG_BCE, p, t, &(AgAux){.scalar = div});
    return 1;
}

static int l_nll(lua_State *L)
{
    const char *fname = luaL_optstring(L, 4, "nll");
    int mean = check_reduction(L, 3, fname);
    Tensor *p = lib_checktensor(L, 1);
    Tensor *cls = lib_checkvector(L, 2, fname, "target");
    size_t n = p->ndim == 1 ? 1 : p->rows, C = p->ndim == 1 ? p->rows : p->cols;
    char sp[64];
    if (cls->rows != n)
        return lib_error_at_script(L, "%s: the input %s has %I rows (samples) but the target has %I "
                          "class indices", fname, tensor_shape_text(p, sp, sizeof sp),
                          (lua_Integer)n, (lua_Integer)cls->rows);
    if (n == 0 || C == 0) return lib_error_at_script(L, "%s: the input is empty", fname);
    size_t *index = lua_newuserdatauv(L, n * sizeof *index, 0);
    for (size_t i = 0; i < n; i++) {
        double c = cls->data[i];
        if (!(c >= 1 && c <= (double)C && c == floor(c)))
            return lib_error_at_script(L, "%s: target[%I] = %s is not a class index from 1 to %I", fname,
                              (lua_Integer)i + 1, lib_num(L, c), (lua_Integer)C);
        index[i] = (size_t)c - 1;
    }
    lua_pushvalue(L, 1);
    Tensor *pc = lib_contiguous(L, -1, fname);
    double div = mean ? (double)n : 1;
    double *scratch = lua_newuserdatauv(L, n * sizeof(double), 0);
    Tensor *r = push_loss(L, fname, crit_nll(pc->data, n, C, index, div, scratch));
    lib_record(L, r, AG_NLL, p, NULL, &(AgAux){.scalar = div, .index = index, .nindex = n});
    return 1;
}

static int l_zero_grad(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        Tensor *t = lib_totensor(L, -1);
        if (t && t->grad) memset(t->grad->data, 0, tensor_numel(t->grad) * sizeof(double));
        lua_pop(L, 1);
    }
    return 0;
}

static const luaL_Reg functions[] = {
    {"bce", l_bce},
    {"mse", l_mse},
    {"nll", l_nll},
    {"zero_grad", l_zero_grad},
    {NULL, NULL}
};

int luaopen_luagrad_nnc(lua_State *L)
{
    luaL_newlib(L, functions);
    return 1;
}
