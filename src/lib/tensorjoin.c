/* tensorjoin.c: tensor operations that combine tensors or change one in
 * place (the element-wise ones and reductions are in tensorops.c).
 *
 *   a:matmul(b), tensor.matmul(a, b)   matrix x matrix, matrix x vector (->
 *                                      vector), vector x matrix (-> vector),
 *                                      vector . vector (-> shape [1])
 *   tensor.stack(list [, dim])         vectors -> the rows (dim 1) or the
 *                                      columns (dim 2) of a matrix
 *   tensor.cat(list [, dim])           joined along dim (a vector is a row)
 *   t:index(rows)                      the rows of a matrix (elements of a
 *                                      vector) at 1-based indices
 *   t:add_(u [, alpha]) t:sub_(u [, alpha]) t:mul_(a) t:div_(a)
 *   t:zero_() t:fill_(v) t:copy_(u)    in place, through t's strides; -> t
 *
 * In-place updates are not recorded by autograd; on a leaf that requires a
 * gradient they raise, as PyTorch does. */
#include "lib/tensorjoin.h"

#include <lauxlib.h>
#include <math.h>

#include "core/tensorops.h"
#include "lib/tensorlib.h"

/* ---- matmul ------------------------------------------------------------------ */

static int l_tensor_matmul(lua_State *L)
{
    Tensor *a = lib_checktensor(L, 1), *b = lib_checktensor(L, 2);
    /* both as matrices: a vector on the left is a row, on the right a column */
    Tensor ma = a->ndim == 1 ? tensor_as_row(a) : *a;
    Tensor mb = b->ndim == 1 ? tensor_as_col(b) : *b;
    if (ma.cols != mb.rows) {
        char sa[64], sb[64];
        return luaL_error(L, "t:matmul: shapes %s and %s do not fit: %I %s against %I %s",
                          tensor_shape_text(a, sa, sizeof sa), tensor_shape_text(b, sb, sizeof sb),
                          (lua_Integer)ma.cols, a->ndim == 1 ? "elements" : "columns",
                          (lua_Integer)mb.rows, b->ndim == 1 ? "elements" : "rows");
    }
    Tensor *r;
    if (a->ndim == 2 && b->ndim == 2) r = lib_newresult(L, "t:matmul", 2, ma.rows, mb.cols);
    else if (a->ndim == 2) r = lib_newresult(L, "t:matmul", 1, ma.rows, 1);
    else if (b->ndim == 2) r = lib_newresult(L, "t:matmul", 1, mb.cols, 1);
    else r = lib_newresult(L, "t:matmul", 1, 1, 1);
    Err e;
    if (tensor_matmul(r, &ma, &mb, &e) != ST_OK) return luaL_error(L, "t:matmul: %s", e.msg);
    lib_record(L, r, AG_MATMUL, a, b, NULL);
    return 1;
}

/* ---- stack and cat --------------------------------------------------------------- */

/* The dim argument of stack and cat: 1 (the default) or 2. */
static int join_dim(lua_State *L, int idx, const char *fname)
{
    if (lua_isnoneornil(L, idx)) return 1;
    int isint;
    lua_Integer d = lua_tointegerx(L, idx, &isint);
    if (!isint || lua_type(L, idx) != LUA_TNUMBER || (d != 1 && d != 2))
        luaL_error(L, "%s: dim must be 1 (rows) or 2 (columns), got %s", fname,
                   luaL_tolstring(L, idx, NULL));
    return (int)d;
}

/* The list argument: a non-empty table of tensors. Returns its length. */
static lua_Integer check_list(lua_State *L, const char *fname)
{
    if (lua_type(L, 1) != LUA_TTABLE)
        luaL_error(L, "%s: list must be a table of tensors, got %s", fname,
                   lib_ishandle(L, 1) ? "one tensor (write {t})"
                                                   : luaL_typename(L, 1));
    lua_Integer n = luaL_len(L, 1);
    if (n == 0) luaL_error(L, "%s: the list is empty", fname);
    /* A join checks the items, allocates its result and then reads them
     * again; the allocation may run a __gc metamethod that rewrites the
     * list. So the items are read from a copy no Lua code can reach (it
     * stops at the first nil, where the checks will stop). */
    lua_createtable(L, n < 1024 ? (int)n : 1024, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, i) == LUA_TNIL) {
            lua_pop(L, 1);
            break;
        }
        lua_rawseti(L, -2, i);
    }
    lua_replace(L, 1);
    return n;
}

/* list[i] (the list at stack index 1): a tensor. The list keeps it alive,
 * so it is not left on the stack (a list of thousands would overflow it);
 * read raw, so no Lua code runs while a join holds these pointers. */
static Tensor *list_item(lua_State *L, lua_Integer i, const char *fname)
{
    lua_rawgeti(L, 1, i);
    Tensor *t = lib_totensor(L, -1);
    if (!t) {
        if (lib_ishandle(L, -1))
            luaL_error(L, "%s: list[%I] is a closed tensor", fname, i);
        luaL_error(L, "%s: list[%I] is a %s, expected a tensor", fname, i, luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return t;
}

/* ---- joins that autograd records ---------------------------------------------
 * A node has two inputs, so a join of k tensors of which one wants a
 * gradient is recorded as a balanced tree of two-matrix joins (AG_CAT), each
 * a tensor of its own: the data is copied about log2(k) times. The values
 * are the same copies as the plain join's. */

/* Pushes the vector or matrix t as a rows x cols matrix: t itself when it is
 * one, else a view of the vector (recorded as a reshape). */
static Tensor *push_matrix(lua_State *L, Tensor *t, int as_col, const char *fname)
{
    if (t->ndim == 2) return lib_pushtensor(L, t);
    Tensor *m = as_col ? lib_pushview(L, fname, t, 2, t->rows, 1, 0, t->rs, 1)
                       : lib_pushview(L, fname, t, 2, 1, t->rows, 0, t->rows * t->rs, t->rs);
    lib_record(L, m, AG_RESHAPE, t, NULL, NULL);
    return m;
}

/* Pushes the join along dim of the matrices mats[lo .. hi] (mats a table
 * at stack index mats). */
static Tensor *join_tree(lua_State *L, int mats, lua_Integer lo, lua_Integer hi, int dim,
                         const char *fname)
{
    luaL_checkstack(L, 4, fname);
    if (lo == hi) {
        lua_rawgeti(L, mats, lo);
        return lib_totensor(L, -1);
    }
    lua_Integer mid = lo + (hi - lo) / 2;
    Tensor *a = join_tree(L, mats, lo, mid, dim, fname);
    Tensor *b = join_tree(L, mats, mid + 1, hi, dim, fname);
    size_t rows = dim == 1 ? a->rows + b->rows : a->rows;
    size_t cols = dim == 2 ? a->cols + b->cols : a->cols;
    Tensor *r = lib_newresult(L, fname, 2, rows, cols);
    tensor_place(r, 0, 0, a, 0);
    tensor_place(r, dim == 1 ? a->rows : 0, dim == 2 ? a->cols : 0, b, 0);
    lib_record(L, r, AG_CAT, a, b, &(AgAux){.dim = dim});
    lua_replace(L, -3);  /* r where a was; the node holds a and b */
    lua_pop(L, 1);
    return r;
}

/* The n items of the list, each seen as a matrix (a vector as a row, or as
 * a column when as_col), joined along dim and recorded; a result that is one
 * row of joined vectors (vectors_end_to_end) is pushed as a vector. */
static int join_recorded(lua_State *L, lua_Integer n, int dim, int as_col, int vectors_end_to_end,
                         const char *fname)
{
    lua_createtable(L, (int)n, 0);
    int mats = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        push_matrix(L, list_item(L, i, fname), as_col, fname);
        lua_rawseti(L, mats, i);
    }
    Tensor *r = join_tree(L, mats, 1, n, dim, fname);
    if (n == 1) {  /* a join is a new tensor, as PyTorch's: not the item or a view of it */
        Tensor *c = lib_newresult(L, fname, 2, r->rows, r->cols);
        tensor_copy_into(c, r);
        lib_record(L, c, AG_RESHAPE, r, NULL, NULL);
        lua_replace(L, -2);
        r = c;
    }
    if (vectors_end_to_end) {
        Tensor *v = lib_pushview(L, fname, r, 1, r->cols, 1, 0, 1, 1);
        lib_record(L, v, AG_RESHAPE, r, NULL, NULL);
    }
    return 1;
}

/* Does an item of the list want a gradient? */
static int any_graded(lua_State *L, lua_Integer n, const char *fname)
{
    for (lua_Integer i = 1; i <= n; i++)
        if (ag_wanted(list_item(L, i, fname), NULL)) return 1;
    return 0;
}

/* tensor.stack(list [, dim]): n vectors of length m -> n x m (dim 1, each a
 * row) or m x n (dim 2, each a column). */
static int l_tensor_stack(lua_State *L)
{
    lua_Integer n = check_list(L, "tensor.stack");
    int dim = join_dim(L, 2, "tensor.stack");
    lua_settop(L, 1);
    char s1[64], si[64];
    Tensor *first = NULL;
    for (lua_Integer i = 1; i <= n; i++) {
        Tensor *t = list_item(L, i, "tensor.stack");
        if (i == 1) first = t;
        if (t->ndim != 1)
            return luaL_error(L, "tensor.stack: list[%I] is a matrix %s; stack joins vectors "
                              "(tensor.cat joins matrices)", i,
                              tensor_shape_text(t, si, sizeof si));
        if (t->rows != first->rows)
            return luaL_error(L, "tensor.stack: list[%I] has shape %s, expected %s like list[1]",
                              i, tensor_shape_text(t, si, sizeof si),
                              tensor_shape_text(first, s1, sizeof s1));
    }
    if (any_graded(L, n, "tensor.stack")) return join_recorded(L, n, dim, dim == 2, 0, "tensor.stack");
    size_t m = first->rows;
    Tensor *r = dim == 1 ? lib_newresult(L, "tensor.stack", 2, (size_t)n, m)
                         : lib_newresult(L, "tensor.stack", 2, m, (size_t)n);
    for (lua_Integer i = 1; i <= n; i++) {
        const Tensor *t = list_item(L, i, "tensor.stack");
        if (dim == 1) tensor_place(r, (size_t)i - 1, 0, t, 0);
        else tensor_place(r, 0, (size_t)i - 1, t, 1);
    }
    return 1;
}

/* tensor.cat(list [, dim]): vectors end to end (dim 1); or matrices, a
 * vector counting as one row, one under the other (dim 1, equal columns)
 * or side by side (dim 2, equal rows). */
static int l_tensor_cat(lua_State *L)
{
    lua_Integer n = check_list(L, "tensor.cat");
    int dim = join_dim(L, 2, "tensor.cat");
    lua_settop(L, 1);
    char s1[64], si[64];
    int all_vectors = 1;
    size_t total = 0;
    Tensor *first = NULL, f;
    for (lua_Integer i = 1; i <= n; i++) {
        Tensor *t = list_item(L, i, "tensor.cat");
        if (i == 1) {
            first = t;
            f = t->ndim == 1 ? tensor_as_row(t) : *t;
        }
        if (t->ndim == 1 && dim == 2)
            return luaL_error(L, "tensor.cat: list[%I] is a vector %s; dim 2 joins matrices side "
                              "by side (tensor.stack(list, 2) makes vectors columns)", i,
                              tensor_shape_text(t, si, sizeof si));
        all_vectors = all_vectors && t->ndim == 1;
        total += t->rows;
    }
    /* unless all are vectors (joined end to end), the other sides must match */
    for (lua_Integer i = 2; i <= n && !all_vectors; i++) {
        const Tensor *t = list_item(L, i, "tensor.cat");
        Tensor m = t->ndim == 1 ? tensor_as_row(t) : *t;
        size_t need = dim == 1 ? f.cols : f.rows, got = dim == 1 ? m.cols : m.rows;
        if (got != need)
            return luaL_error(L, "tensor.cat: list[%I] has shape %s, but joining along dim %d "
                              "needs %I %s like list[1] %s", i, tensor_shape_text(t, si, sizeof si),
                              dim, (lua_Integer)need, dim == 1 ? "columns" : "rows",
                              tensor_shape_text(first, s1, sizeof s1));
    }
    if (any_graded(L, n, "tensor.cat"))
        return all_vectors ? join_recorded(L, n, 2, 0, 1, "tensor.cat")
                           : join_recorded(L, n, dim, 0, 0, "tensor.cat");
    Tensor *r;
    if (all_vectors) {
        r = lib_newresult(L, "tensor.cat", 1, total, 1);
        size_t at = 0;
        for (lua_Integer i = 1; i <= n; i++) {
            const Tensor *t = list_item(L, i, "tensor.cat");
            tensor_place(r, 0, at, t, 0);
            at += t->rows;
        }
        return 1;
    }
    /* matrices, a vector being one row */
    size_t rows = 0, cols = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        const Tensor *t = list_item(L, i, "tensor.cat");
        Tensor m = t->ndim == 1 ? tensor_as_row(t) : *t;
        rows = dim == 1 ? rows + m.rows : m.rows;
        cols = dim == 2 ? cols + m.cols : m.cols;
    }
    r = lib_newresult(L, "tensor.cat", 2, rows, cols);
    size_t at = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        const Tensor *t = list_item(L, i, "tensor.cat");
        Tensor m = t->ndim == 1 ? tensor_as_row(t) : *t;
        if (dim == 1) tensor_place(r, at, 0, &m, 0);
        else tensor_place(r, 0, at, &m, 0);
        at += dim == 1 ? m.rows : m.cols;
    }
    return 1;
}

/* ---- index -------------------------------------------------------------------- */

/* rows[i] of the rows argument (a tensor or a table), as a 0-based index
 * below n. */
static size_t row_index(lua_State *L, const Tensor *rt, lua_Integer i, size_t n,
                        const Tensor *t)
{
    double v;
    if (rt) {
        size_t k = (size_t)i - 1;
        v = rt->data[(k / rt->cols) * rt->rs + (k % rt->cols) * rt->cs];
    } else {
        lua_geti(L, 2, i);
        if (lua_type(L, -1) != LUA_TNUMBER)
            luaL_error(L, "t:index: rows[%I] is a %s, expected a number", i, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    char s[64];
    if (v != v)
        luaL_error(L, "t:index: rows[%I] is nan, expected a whole number in 1..%I", i,
                   (lua_Integer)n);
    if (v < 1 || v > (double)n || v != floor(v))
        luaL_error(L, "t:index: rows[%I] is %f, expected a whole number in 1..%I (the %s of %s)",
                   i, v, (lua_Integer)n, t->ndim == 1 ? "elements" : "rows",
                   tensor_shape_text(t, s, sizeof s));
    return (size_t)v - 1;
}

static int l_tensor_index(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *rt = lib_totensor(L, 2);
    if (!rt && lua_type(L, 2) != LUA_TTABLE)
        return luaL_error(L, "t:index: rows must be a tensor or a table of 1-based indices, "
                          "got %s", luaL_typename(L, 2));
    lua_Integer n = rt ? (lua_Integer)tensor_numel(rt) : luaL_len(L, 2);
    /* the 0-based indices, in a userdata so an error frees them */
    size_t *index = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *index, 0);
    for (lua_Integer i = 1; i <= n; i++) index[i - 1] = row_index(L, rt, i, t->rows, t);
    Tensor *r = lib_newresult(L, "t:index", t->ndim, (size_t)n, t->cols);
    tensor_index_rows(r, t, index, (size_t)n);
    lib_record(L, r, AG_INDEX, t, NULL, &(AgAux){.index = index, .nindex = (size_t)n});
    return 1;
}

/* ---- in place --------------------------------------------------------------------- */

/* The receiver of an in-place method: not a leaf that wants a gradient. */
static Tensor *check_target(lua_State *L, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    if (t->requires_grad && !t->node && ag_enabled())
        luaL_error(L, "%s: a leaf tensor that requires grad cannot be changed in place "
                   "(use autograd.no_grad or t.data)", fname);
    return t;
}

/* The tensor operand u at idx (a table is converted), checked to broadcast
 * to t's shape; a copy when it shares memory with t. */
static Tensor *check_operand(lua_State *L, int idx, Tensor *t, const char *fname)
{
    Tensor *u = lib_checkdata(L, idx, fname, "u");
    int ndim;
    size_t rows, cols;
    Err e;
    char st[64], su[64];
    if (tensor_broadcast_shape(t, u, &ndim, &rows, &cols, &e) != ST_OK || ndim != t->ndim ||
        rows != t->rows || cols != t->cols)
        luaL_error(L, "%s: shapes %s and %s do not fit: u must broadcast to t's shape %s", fname,
                   tensor_shape_text(t, st, sizeof st), tensor_shape_text(u, su, sizeof su), st);
    if (tensor_overlap(t, u)) {
        Tensor *c = lib_newresult(L, fname, u->ndim, u->rows, u->cols);
        tensor_copy_into(c, u);
        lua_replace(L, idx);
        u = c;
    }
    return u;
}

/* add_, sub_ (with alpha), mul_, div_: u a tensor or a number. */
static int inplace(lua_State *L, ArrayOp op, const char *fname)
{
    Tensor *t = check_target(L, fname);
    double alpha = 1.0;
    if (op == OP_ADD || op == OP_SUB) {
        if (!lua_isnoneornil(L, 3) && lua_type(L, 3) != LUA_TNUMBER)
            return luaL_error(L, "%s: alpha must be a number, got %s", fname,
                              luaL_typename(L, 3));
        alpha = luaL_optnumber(L, 3, 1.0);
    }
    if (lua_type(L, 2) == LUA_TNUMBER) {
        tensor_inplace_scalar(op, t, alpha * lua_tonumber(L, 2));
    } else {
        if (!lua_istable(L, 2) && !lib_ishandle(L, 2))
            return luaL_error(L, "%s: u must be a tensor or a number, got %s", fname,
                              luaL_typename(L, 2));
        tensor_inplace(op, t, check_operand(L, 2, t, fname), alpha);
    }
    lua_settop(L, 1);
    return 1;
}

static int l_tensor_add_(lua_State *L) { return inplace(L, OP_ADD, "t:add_"); }
static int l_tensor_sub_(lua_State *L) { return inplace(L, OP_SUB, "t:sub_"); }
static int l_tensor_mul_(lua_State *L) { return inplace(L, OP_MUL, "t:mul_"); }
static int l_tensor_div_(lua_State *L) { return inplace(L, OP_DIV, "t:div_"); }

static int l_tensor_fill_(lua_State *L)
{
    Tensor *t = check_target(L, "t:fill_");
    if (lua_type(L, 2) != LUA_TNUMBER)
        return luaL_error(L, "t:fill_: v must be a number, got %s", luaL_typename(L, 2));
    tensor_fill(t, lua_tonumber(L, 2));
    lua_settop(L, 1);
    return 1;
}

static int l_tensor_zero_(lua_State *L)
{
    tensor_fill(check_target(L, "t:zero_"), 0.0);
    lua_settop(L, 1);
    return 1;
}

/* t:copy_(u): u's elements in row-major order into t's; the same count. */
static int l_tensor_copy_(lua_State *L)
{
    Tensor *t = check_target(L, "t:copy_");
    Tensor *u = lib_checkdata(L, 2, "t:copy_", "u");
    if (tensor_numel(u) != tensor_numel(t)) {
        char st[64], su[64];
        return luaL_error(L, "t:copy_: shapes %s and %s have %I and %I elements",
                          tensor_shape_text(t, st, sizeof st), tensor_shape_text(u, su, sizeof su),
                          (lua_Integer)tensor_numel(t), (lua_Integer)tensor_numel(u));
    }
    if (tensor_overlap(t, u) && u->data != t->data) {
        Tensor *c = lib_newresult(L, "t:copy_", u->ndim, u->rows, u->cols);
        tensor_copy_into(c, u);
        u = c;
    }
    tensor_copy_into(t, u);
    lua_settop(L, 1);
    return 1;
}

/* ---- registration ------------------------------------------------------------------ */

static const luaL_Reg join_methods[] = {
    {"add_", l_tensor_add_},
    {"copy_", l_tensor_copy_},
    {"div_", l_tensor_div_},
    {"fill_", l_tensor_fill_},
    {"index", l_tensor_index},
    {"matmul", l_tensor_matmul},
    {"mul_", l_tensor_mul_},
    {"sub_", l_tensor_sub_},
    {"zero_", l_tensor_zero_},
    {NULL, NULL}
};

static const luaL_Reg join_functions[] = {
    {"cat", l_tensor_cat},
    {"stack", l_tensor_stack},
    {NULL, NULL}
};

void lib_tensorjoin_register(lua_State *L, int methods, int module)
{
    lua_pushvalue(L, methods);
    luaL_setfuncs(L, join_methods, 0);
    lua_pushvalue(L, module);
    luaL_setfuncs(L, join_methods, 0);
    luaL_setfuncs(L, join_functions, 0);
    lua_pop(L, 2);
}
