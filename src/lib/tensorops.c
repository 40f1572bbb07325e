/* tensorops.c: the operations of the Lua module `tensor` (the userdata and
 * views are in tensorlib.c).
 *
 *   t + u, t - u, t * u, t / u    element-wise with broadcasting: numbers,
 *                                 equal shapes, a row (a vector or a 1 x c
 *                                 matrix) over a matrix's rows, a column
 *                                 (r x 1) over its columns
 *   -t, t ^ p                     p a number
 *   t:sum(), t:mean(), t:min(), t:max(), t:dot(u)   whole-tensor numbers
 *
 * Results are new contiguous tensors; sums follow the fixed order of
 * src/core/kernel.h. */
#include <lauxlib.h>
#include <string.h>

#include "lib/tensorlib.h"

/* ---- arithmetic ---------------------------------------------------------- */

static AgOp ag_of(ArrayOp op)
{
    return op == OP_ADD ? AG_ADD : op == OP_SUB ? AG_SUB : op == OP_MUL ? AG_MUL : AG_DIV;
}

static const char *side(int i) { return i == 1 ? "left" : "right"; }

static int arith(lua_State *L, ArrayOp op, const char *sym)
{
    /* a Lua table of numbers is a tensor here too: t + {1, 2, 3} */
    for (int i = 1; i <= 2; i++)
        if (lua_istable(L, i))
            lib_checkdata(L, i, "tensor arithmetic", i == 1 ? "the left operand" : "the right operand");
    Tensor *a = lib_totensor(L, 1), *b = lib_totensor(L, 2);
    if (a && b) {
        int ndim;
        size_t rows, cols;
        Err e;
        if (tensor_broadcast_shape(a, b, &ndim, &rows, &cols, &e) != ST_OK)
            return luaL_error(L, "tensor %s: %s", sym, e.msg);
        Tensor *r = lib_newresult(L, "tensor", ndim, rows, cols);
        tensor_binary(op, r, a, b);
        lib_record(L, r, ag_of(op), a, b, NULL);
        return 1;
    }
    for (int i = 1; i <= 2; i++)
        if (luaL_testudata(L, i, TENSOR_MT) && !lib_totensor(L, i))
            return luaL_error(L, "tensor %s: the %s operand is a closed tensor", sym, side(i));
    Tensor *t = a ? a : b;
    int sidx = a ? 2 : 1;
    if (!t || lua_type(L, sidx) != LUA_TNUMBER)
        return luaL_error(L, "tensor %s: expected tensors or numbers, got %s and %s", sym,
                          luaL_typename(L, 1), luaL_typename(L, 2));
    double s = lua_tonumber(L, sidx);
    Tensor *r = lib_newresult(L, "tensor", t->ndim, t->rows, t->cols);
    tensor_binary_scalar(op, r, t, s, a == NULL);
    lib_record(L, r, ag_of(op), t, NULL, &(AgAux){.scalar = s, .scalar_first = a == NULL});
    return 1;
}

static int tensor_add(lua_State *L) { return arith(L, OP_ADD, "+"); }
static int tensor_sub(lua_State *L) { return arith(L, OP_SUB, "-"); }
static int tensor_mul(lua_State *L) { return arith(L, OP_MUL, "*"); }
static int tensor_div(lua_State *L) { return arith(L, OP_DIV, "/"); }

static int tensor_unm(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *r = lib_newresult(L, "tensor", t->ndim, t->rows, t->cols);
    tensor_binary_scalar(OP_MUL, r, t, -1.0, 0);
    lib_record(L, r, AG_NEG, t, NULL, NULL);
    return 1;
}

/* t ^ p with a number p. */
static int tensor_pow(lua_State *L)
{
    if (!lib_totensor(L, 1))
        return luaL_error(L, "tensor ^: the base must be a tensor and the exponent a number, "
                          "got %s ^ %s", luaL_typename(L, 1), luaL_typename(L, 2));
    if (lua_type(L, 2) != LUA_TNUMBER)
        return luaL_error(L, "tensor ^: the exponent must be a number, got %s",
                          luaL_typename(L, 2));
    Tensor *t = lib_totensor(L, 1);
    double p = lua_tonumber(L, 2);
    Tensor *r = lib_newresult(L, "tensor", t->ndim, t->rows, t->cols);
    tensor_pow_scalar(r, t, p);
    lib_record(L, r, AG_POW, t, NULL, &(AgAux){.scalar = p});
    return 1;
}

/* ---- whole-tensor reductions ----------------------------------------------- */

static Tensor *check_nonempty(lua_State *L, const char *fname)
{
    Tensor *t = lib_contiguous(L, 1, fname);
    if (tensor_numel(t) == 0) luaL_error(L, "%s: the tensor is empty", fname);
    return t;
}

static int l_tensor_sum(lua_State *L)
{
    Tensor *t = lib_contiguous(L, 1, "t:sum");
    lua_pushnumber(L, array_sum(t->data, tensor_numel(t)));
    return 1;
}

static int l_tensor_mean(lua_State *L)
{
    Tensor *t = check_nonempty(L, "t:mean");
    lua_pushnumber(L, array_sum(t->data, tensor_numel(t)) / (double)tensor_numel(t));
    return 1;
}

static int l_tensor_min(lua_State *L)
{
    Tensor *t = check_nonempty(L, "t:min");
    lua_pushnumber(L, array_min(t->data, tensor_numel(t)));
    return 1;
}

static int l_tensor_max(lua_State *L)
{
    Tensor *t = check_nonempty(L, "t:max");
    lua_pushnumber(L, array_max(t->data, tensor_numel(t)));
    return 1;
}

static int l_tensor_dot(lua_State *L)
{
    Tensor *a = lib_contiguous(L, 1, "t:dot");
    Tensor *b = lib_checkdata(L, 2, "t:dot", "the second tensor");
    if (tensor_numel(a) != tensor_numel(b)) {
        char sa[64], sb[64];
        return luaL_error(L, "t:dot: shapes %s and %s have different numbers of elements",
                          tensor_shape_text(a, sa, sizeof sa), tensor_shape_text(b, sb, sizeof sb));
    }
    lua_pushnumber(L, array_dot(a->data, b->data, tensor_numel(a)));
    return 1;
}

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg op_methods[] = {
    {"dot", l_tensor_dot},
    {"max", l_tensor_max},
    {"mean", l_tensor_mean},
    {"min", l_tensor_min},
    {"sum", l_tensor_sum},
    {NULL, NULL}
};

static const luaL_Reg op_metamethods[] = {
    {"__add", tensor_add},
    {"__div", tensor_div},
    {"__mul", tensor_mul},
    {"__pow", tensor_pow},
    {"__sub", tensor_sub},
    {"__unm", tensor_unm},
    {NULL, NULL}
};

void lib_tensorops_register(lua_State *L, int mt, int methods, int module)
{
    lua_pushvalue(L, mt);
    luaL_setfuncs(L, op_metamethods, 0);
    lua_pushvalue(L, methods);
    luaL_setfuncs(L, op_methods, 0);
    lua_pushvalue(L, module);
    luaL_setfuncs(L, op_methods, 0);
    lua_pop(L, 3);
}
