/* tensorops.c: the operations of the Lua module `tensor` (the userdata and
 * views are in tensorlib.c).
 *
 *   t + u, t - u, t * u, t / u    element-wise with broadcasting: numbers,
 *                                 equal shapes, a row (a vector or a 1 x c
 *                                 matrix) over a matrix's rows, a column
 *                                 (r x 1) over its columns
 *   -t, t ^ p                     p a number
 *   t:exp() log sqrt abs tanh sigmoid relu, t:clamp(lo, hi)
 *   t:softmax(dim), t:log_softmax(dim)
 *   t:sum([dim]) mean var max min argmax argmin, t:dot(u), t:item()
 *   t:gt(u) lt ge le eq ne        0/1 tensors (u a tensor or a number)
 *
 * Products, joins, row selection and in-place updates are in tensorjoin.c.
 * Results are new contiguous tensors; sums follow the fixed order of
 * src/core/kernel.h. */
#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/tensorops.h"
#include "lib/tensorjoin.h"
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
        if (!(i == 1 ? a : b) && lib_ishandle(L, i))
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

/* ---- element-wise functions ----------------------------------------------- */

static int unary(lua_State *L, UnaryOp op, AgOp ag, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *r = lib_newresult(L, fname, t->ndim, t->rows, t->cols);
    tensor_unary(op, r, t);
    lib_record(L, r, ag, t, NULL, NULL);
    return 1;
}

static int l_tensor_exp(lua_State *L) { return unary(L, UN_EXP, AG_EXP, "t:exp"); }
static int l_tensor_log(lua_State *L) { return unary(L, UN_LOG, AG_LOG, "t:log"); }
static int l_tensor_sqrt(lua_State *L) { return unary(L, UN_SQRT, AG_SQRT, "t:sqrt"); }
static int l_tensor_abs(lua_State *L) { return unary(L, UN_ABS, AG_ABS, "t:abs"); }
static int l_tensor_tanh(lua_State *L) { return unary(L, UN_TANH, AG_TANH, "t:tanh"); }
static int l_tensor_sigmoid(lua_State *L) { return unary(L, UN_SIGMOID, AG_SIGMOID, "t:sigmoid"); }
static int l_tensor_relu(lua_State *L) { return unary(L, UN_RELU, AG_RELU, "t:relu"); }

/* A bound of clamp: a number, or nil for none (dflt). */
static double clamp_bound(lua_State *L, int idx, const char *name, double dflt)
{
    if (lua_isnoneornil(L, idx)) return dflt;
    if (lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "t:clamp: %s must be a number or nil (no bound), got %s", name,
                   luaL_typename(L, idx));
    double v = lua_tonumber(L, idx);
    if (v != v) luaL_error(L, "t:clamp: %s is nan", name);
    return v;
}

/* t:clamp(lo, hi): either bound may be nil. */
static int l_tensor_clamp(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (lua_isnoneornil(L, 2) && lua_isnoneornil(L, 3))
        return luaL_error(L, "t:clamp: give lo, hi or both; both are nil");
    double lo = clamp_bound(L, 2, "lo", -HUGE_VAL), hi = clamp_bound(L, 3, "hi", HUGE_VAL);
    if (lo > hi) return luaL_error(L, "t:clamp: lo (%f) is above hi (%f)", lo, hi);
    Tensor *r = lib_newresult(L, "t:clamp", t->ndim, t->rows, t->cols);
    tensor_clamp(r, t, lo, hi);
    lib_record(L, r, AG_CLAMP, t, NULL, &(AgAux){.scalar = lo, .scalar2 = hi});
    return 1;
}

/* The dim argument at idx: 1 or 2 for a matrix, 1 for a vector; dflt when
 * absent (0: absent is an error). */
static int check_dim(lua_State *L, int idx, const Tensor *t, const char *fname, int dflt)
{
    char s[64];
    if (lua_isnoneornil(L, idx)) {
        if (dflt) return dflt;
        luaL_error(L, "%s: a matrix %s needs dim (1: down each column, 2: along each row)",
                   fname, tensor_shape_text(t, s, sizeof s));
    }
    int isint;
    lua_Integer d = lua_tointegerx(L, idx, &isint);
    if (!isint || lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "%s: dim must be 1 or 2, got %s", fname,
                   lua_type(L, idx) == LUA_TNUMBER ? lua_pushfstring(L, "%f", lua_tonumber(L, idx))
                                                   : luaL_typename(L, idx));
    if (t->ndim == 1 && d != 1)
        luaL_error(L, "%s: dim must be 1 for a vector %s, got %I", fname,
                   tensor_shape_text(t, s, sizeof s), d);
    if (d != 1 && d != 2)
        luaL_error(L, "%s: dim must be 1 or 2 for a matrix %s, got %I", fname,
                   tensor_shape_text(t, s, sizeof s), d);
    return (int)d;
}

static int softmax(lua_State *L, int take_log, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    int dim = check_dim(L, 2, t, fname, t->ndim == 1 ? 1 : 0);
    Tensor *r = lib_newresult(L, fname, t->ndim, t->rows, t->cols);
    tensor_softmax(r, t, dim, take_log);
    lib_record(L, r, take_log ? AG_LOG_SOFTMAX : AG_SOFTMAX, t, NULL, &(AgAux){.dim = dim});
    return 1;
}

static int l_tensor_softmax(lua_State *L) { return softmax(L, 0, "t:softmax"); }
static int l_tensor_log_softmax(lua_State *L) { return softmax(L, 1, "t:log_softmax"); }

/* ---- reductions ------------------------------------------------------------ */

/* The length of the lines along dim (which must not be empty for mean,
 * var, max and min). */
static size_t line_length(const Tensor *t, int dim)
{
    return t->ndim == 1 ? t->rows : dim == 1 ? t->rows : t->cols;
}

static void check_lines(lua_State *L, const Tensor *t, int dim, const char *fname)
{
    char s[64];
    if (tensor_numel(t) == 0 || line_length(t, dim) == 0)
        luaL_error(L, "%s: the tensor %s is empty along dim %d", fname,
                   tensor_shape_text(t, s, sizeof s), dim);
}

/* Pushes the vector that a reduction along dim fills. */
static Tensor *push_reduced(lua_State *L, const Tensor *t, int dim, const char *fname)
{
    size_t n = t->ndim == 1 ? 1 : dim == 1 ? t->cols : t->rows;
    return lib_newresult(L, fname, 1, n, 1);
}

/* var's options table: { unbiased = true|false } */
static int check_unbiased(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx)) return 1;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "t:var: options must be a table like {unbiased = false}, got %s",
                   luaL_typename(L, idx));
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING || strcmp(lua_tostring(L, -2), "unbiased") != 0)
            luaL_error(L, "t:var: unknown option '%s' (the option is unbiased)",
                       luaL_tolstring(L, -2, NULL));
        lua_pop(L, 1);
    }
    lua_getfield(L, idx, "unbiased");
    if (lua_type(L, -1) != LUA_TBOOLEAN)
        luaL_error(L, "t:var: unbiased must be true or false, got %s", luaL_typename(L, -1));
    int u = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return u;
}

/* A method that returns a number calls this last: its argument slot 1
 * holds self, and in (r * r):mean() that slot is a register of the caller
 * that keeps the temporary r * r reachable until some later expression
 * happens to reuse it. Cleared, the temporary is garbage as soon as the
 * call returns, and the next large tensor gets its buffer while it is
 * still in the processor's cache (core/bufcache.h). Nothing else sees the
 * slot: Lua copies self there for the call. */
static void drop_self(lua_State *L)
{
    lua_pushnil(L);
    lua_replace(L, 1);
}

/* sum, mean and var. Without dim a number, except that sum and mean of a
 * tensor that wants a gradient give a one-element tensor (recorded). */
static int reduce(lua_State *L, ReduceOp op, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    int unbiased = 1;
    if (op == RED_VAR) {
        /* t:var({unbiased = false}) or t:var(dim, {...}) */
        int opts = lua_istable(L, 2) ? 2 : 3;
        unbiased = check_unbiased(L, opts);
        if (opts == 2) {
            lua_pushnil(L);
            lua_replace(L, 2);
        }
    }
    AgOp ag = op == RED_SUM ? AG_SUM : op == RED_MEAN ? AG_MEAN : AG_VAR;
    if (lua_isnoneornil(L, 2)) {
        size_t n = tensor_numel(t);
        if (n == 0 && op != RED_SUM) return luaL_error(L, "%s: the tensor is empty", fname);
        double v = op == RED_VAR ? tensor_var_all(t, unbiased) : tensor_sum_all(t);
        if (op == RED_MEAN) v /= (double)n;
        if (!ag_wanted(t, NULL)) {
            lua_pushnumber(L, v);
            drop_self(L);
            return 1;
        }
        Tensor *r = lib_newresult(L, fname, 1, 1, 1);
        r->data[0] = v;
        lib_record(L, r, ag, t, NULL, &(AgAux){.dim = 0, .scalar = (double)(n - (size_t)unbiased)});
        return 1;
    }
    int dim = check_dim(L, 2, t, fname, 0);
    if (op != RED_SUM) check_lines(L, t, dim, fname);
    Tensor *r = push_reduced(L, t, dim, fname);
    Err e;
    if (tensor_reduce(op, r, t, dim, unbiased, &e) != ST_OK)
        return luaL_error(L, "%s: %s", fname, e.msg);
    /* a vector reduced along its one dim is the whole tensor: dim 0 */
    size_t count = t->ndim == 1 ? t->rows : dim == 1 ? t->rows : t->cols;
    lib_record(L, r, ag, t, NULL,
               &(AgAux){.dim = t->ndim == 1 ? 0 : dim, .scalar = (double)(count - (size_t)unbiased)});
    return 1;
}

static int l_tensor_sum(lua_State *L) { return reduce(L, RED_SUM, "t:sum"); }
static int l_tensor_mean(lua_State *L) { return reduce(L, RED_MEAN, "t:mean"); }
static int l_tensor_var(lua_State *L) { return reduce(L, RED_VAR, "t:var"); }

/* max and min: without dim a number; with dim the values and the 1-based
 * indices (a float tensor); argmax and argmin only the indices (without
 * dim: the 1-based row-major position, an integer). */
/* For autograd, the values of max and min are the elements of t picked by
 * their row-major positions pos[0..n-1]: recorded as t seen as a vector
 * (a reshape) indexed at pos, so the gradient goes to the element chosen
 * (with dim, the first one on ties, as PyTorch's max(dim)). */
static void record_picked(lua_State *L, Tensor *vals, Tensor *t, const size_t *pos, size_t n,
                          const char *fname)
{
    size_t numel = tensor_numel(t);
    Tensor *flat;
    if (tensor_is_contiguous(t)) {
        flat = lib_pushview(L, fname, t, 1, numel, 1, 0, 1, 1);
    } else {
        flat = lib_newresult(L, fname, 1, numel, 1);
        tensor_copy_into(flat, t);
    }
    lib_record(L, flat, AG_RESHAPE, t, NULL, NULL);
    lib_record(L, vals, AG_INDEX, flat, NULL, &(AgAux){.index = pos, .nindex = n});
    lua_pop(L, 1);  /* the node holds flat */
}

/* Pushes max() or min() of t (v, first found at row-major position at)
 * as a recorded one-element tensor. As PyTorch's, the gradient is shared
 * evenly by the elements equal to v (all the nans, when v is nan): one
 * element is picked as above; several are gathered and their mean
 * recorded, the value being v itself. */
static void push_extreme_all(lua_State *L, Tensor *t, size_t at, double v, const char *fname)
{
    size_t numel = tensor_numel(t), cols = t->cols, c = 0;
    for (size_t k = 0; k < numel; k++) {
        double x = t->data[(k / cols) * t->rs + (k % cols) * t->cs];
        c += isnan(v) ? isnan(x) : x == v;
    }
    if (c <= 1) {
        Tensor *r = lib_newresult(L, fname, 1, 1, 1);
        r->data[0] = v;
        record_picked(L, r, t, &at, 1, fname);
        return;
    }
    size_t *pos = lua_newuserdatauv(L, c * sizeof *pos, 0);
    Tensor *ties = lib_newresult(L, fname, 1, c, 1);
    for (size_t k = 0, i = 0; k < numel; k++) {
        double x = t->data[(k / cols) * t->rs + (k % cols) * t->cs];
        if (isnan(v) ? isnan(x) : x == v) ties->data[i] = x, pos[i++] = k;
    }
    record_picked(L, ties, t, pos, c, fname);
    Tensor *r = lib_newresult(L, fname, 1, 1, 1);
    r->data[0] = v;
    lib_record(L, r, AG_MEAN, ties, NULL, &(AgAux){.dim = 0});
    lua_replace(L, -3);  /* r where pos was; the node holds ties */
    lua_pop(L, 1);
}

static int extreme(lua_State *L, int want_min, int want_values, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    int graded = want_values && ag_wanted(t, NULL);
    if (lua_isnoneornil(L, 2)) {
        if (tensor_numel(t) == 0) return luaL_error(L, "%s: the tensor is empty", fname);
        size_t at = tensor_argextreme_all(t, want_min);
        double v = t->data[(at / t->cols) * t->rs + (at % t->cols) * t->cs];
        if (graded) {
            push_extreme_all(L, t, at, v, fname);
        } else if (want_values) {
            lua_pushnumber(L, v);
        } else {
            lua_pushinteger(L, (lua_Integer)at + 1);
        }
        return 1;
    }
    int dim = check_dim(L, 2, t, fname, 0);
    check_lines(L, t, dim, fname);
    Tensor *vals = push_reduced(L, t, dim, fname);
    Tensor *idx = push_reduced(L, t, dim, fname);
    tensor_extreme(vals, idx, t, dim, want_min);
    if (graded) {
        /* idx holds 1-based positions along dim; as row-major positions in t */
        size_t n = idx->rows, cols = t->ndim == 1 ? 1 : t->cols;
        size_t *pos = lua_newuserdatauv(L, n * sizeof *pos, 0);
        for (size_t k = 0; k < n; k++) {
            size_t p = (size_t)idx->data[k] - 1;
            pos[k] = t->ndim == 1 ? p : dim == 1 ? p * cols + k : k * cols + p;
        }
        record_picked(L, vals, t, pos, n, fname);
        lua_pop(L, 1);
    }
    return want_values ? 2 : 1;
}

static int l_tensor_max(lua_State *L) { return extreme(L, 0, 1, "t:max"); }
static int l_tensor_min(lua_State *L) { return extreme(L, 1, 1, "t:min"); }
static int l_tensor_argmax(lua_State *L) { return extreme(L, 0, 0, "t:argmax"); }
static int l_tensor_argmin(lua_State *L) { return extreme(L, 1, 0, "t:argmin"); }

/* t:dot(u): a number; a one-element tensor (recorded) when an operand wants
 * a gradient, as sum does. */
static int l_tensor_dot(lua_State *L)
{
    Tensor *a0 = lib_checktensor(L, 1), *b0 = lib_totensor(L, 2);
    int graded = ag_wanted(a0, b0);
    lua_settop(L, 2);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);  /* contiguous copies replace these, the operands stay at 1, 2 */
    Tensor *a = lib_contiguous(L, 3, "t:dot");
    Tensor *b = lib_checkdata(L, 4, "t:dot", "the second tensor");
    if (tensor_numel(a) != tensor_numel(b)) {
        char sa[64], sb[64];
        return luaL_error(L, "t:dot: shapes %s and %s have different numbers of elements",
                          tensor_shape_text(a, sa, sizeof sa), tensor_shape_text(b, sb, sizeof sb));
    }
    double v = array_dot(a->data, b->data, tensor_numel(a));
    if (!graded) {
        lua_pushnumber(L, v);
        return 1;
    }
    Tensor *r = lib_newresult(L, "t:dot", 1, 1, 1);
    r->data[0] = v;
    lib_record(L, r, AG_DOT, a0, b0 ? b0 : b, NULL);  /* b: a table of numbers, converted */
    return 1;
}

/* t:item(): the one element of a one-element tensor. */
static int l_tensor_item(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (tensor_numel(t) != 1) {
        char s[64];
        return luaL_error(L, "t:item: the tensor has shape %s (%I elements); item needs "
                          "exactly one", tensor_shape_text(t, s, sizeof s),
                          (lua_Integer)tensor_numel(t));
    }
    lua_pushnumber(L, t->data[0]);
    return 1;
}

/* ---- comparisons ------------------------------------------------------------- */

static int comparison(lua_State *L, CmpOp op, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        double s = lua_tonumber(L, 2);
        Tensor *r = lib_newresult(L, fname, t->ndim, t->rows, t->cols);
        tensor_compare_scalar(op, r, t, s);
        return 1;
    }
    if (!lua_istable(L, 2) && !lib_ishandle(L, 2))
        return luaL_error(L, "%s: u must be a tensor or a number, got %s", fname,
                          luaL_typename(L, 2));
    Tensor *u = lib_checkdata(L, 2, fname, "u");
    int ndim;
    size_t rows, cols;
    Err e;
    if (tensor_broadcast_shape(t, u, &ndim, &rows, &cols, &e) != ST_OK)
        return luaL_error(L, "%s: %s", fname, e.msg);
    Tensor *r = lib_newresult(L, fname, ndim, rows, cols);
    tensor_compare(op, r, t, u);
    return 1;
}

static int l_tensor_gt(lua_State *L) { return comparison(L, CMP_GT, "t:gt"); }
static int l_tensor_lt(lua_State *L) { return comparison(L, CMP_LT, "t:lt"); }
static int l_tensor_ge(lua_State *L) { return comparison(L, CMP_GE, "t:ge"); }
static int l_tensor_le(lua_State *L) { return comparison(L, CMP_LE, "t:le"); }
static int l_tensor_eq(lua_State *L) { return comparison(L, CMP_EQ, "t:eq"); }
static int l_tensor_ne(lua_State *L) { return comparison(L, CMP_NE, "t:ne"); }

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg op_methods[] = {
    {"abs", l_tensor_abs},
    {"argmax", l_tensor_argmax},
    {"argmin", l_tensor_argmin},
    {"clamp", l_tensor_clamp},
    {"dot", l_tensor_dot},
    {"eq", l_tensor_eq},
    {"exp", l_tensor_exp},
    {"ge", l_tensor_ge},
    {"gt", l_tensor_gt},
    {"item", l_tensor_item},
    {"le", l_tensor_le},
    {"log", l_tensor_log},
    {"log_softmax", l_tensor_log_softmax},
    {"lt", l_tensor_lt},
    {"max", l_tensor_max},
    {"mean", l_tensor_mean},
    {"min", l_tensor_min},
    {"ne", l_tensor_ne},
    {"relu", l_tensor_relu},
    {"sigmoid", l_tensor_sigmoid},
    {"softmax", l_tensor_softmax},
    {"sqrt", l_tensor_sqrt},
    {"sum", l_tensor_sum},
    {"tanh", l_tensor_tanh},
    {"var", l_tensor_var},
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
    lib_tensorjoin_register(L, methods, module);
}
