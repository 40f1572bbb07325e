/* tensorlib.c: the Lua module `tensor`, vectors and matrices of doubles.
 *
 *   tensor{1, 2, 3}               a vector; tensor{{1, 2}, {3, 4}} a matrix
 *   tensor.zeros(n [, cols]), tensor.ones(n [, cols])
 *   tensor.linspace(a, b, n)      n values from a to b
 *   tensor.range(a, b, step)      a, a+step, ..., b (each value a + i*step)
 *   tensor.parse("1, 2, 3")       a vector from text (a key=value parameter)
 *   t[i], t[i] = v, #t            vectors (1-based); matrices: t:get(i, j),
 *                                 t:set(i, j, v), t:row(i), t:col(j), #t = rows
 *   t + u, t - u, t * u, t / u    element-wise, with a tensor of the same
 *                                 shape or a number; -t
 *   t:sum(), t:mean(), t:dot(u), t:min(), t:max(), t:totable(), t:copy(),
 *   t:shape(), t:numel(), t:reshape(rows [, cols]), tostring(t)
 *
 * A tensor can be closed early: local t <close> = tensor.zeros(1e8). */
#include "lib/tensorlib.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/numfmt.h"
#include "lib/openers.h"
#include "lib/util.h"

/* ---- the userdata --------------------------------------------------------- */

Tensor *lib_totensor(lua_State *L, int idx)
{
    Tensor *t = luaL_testudata(L, idx, TENSOR_MT);
    return t && t->data ? t : NULL;
}

Tensor *lib_checktensor(lua_State *L, int idx)
{
    Tensor *t = luaL_checkudata(L, idx, TENSOR_MT);
    if (!t->data) luaL_argerror(L, idx, "tensor has been closed");
    return t;
}

Tensor *lib_newtensor(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols)
{
    Tensor *t = lua_newuserdatauv(L, sizeof *t, 0);
    t->data = NULL;  /* safe to collect if the allocation below fails */
    luaL_setmetatable(L, TENSOR_MT);
    Err e;
    if (tensor_alloc(t, ndim, rows, cols, &e) != ST_OK)
        luaL_error(L, "%s: %s", fname, e.msg);
    return t;
}

Tensor *lib_adopttensor(lua_State *L, double *data, size_t n)
{
    Tensor *t = lua_newuserdatauv(L, sizeof *t, 0);
    t->data = NULL;
    luaL_setmetatable(L, TENSOR_MT);
    t->data = data;  /* nothing can raise from here on */
    t->ndim = 1;
    t->rows = n;
    t->cols = 1;
    return t;
}

static int tensor_gc(lua_State *L)
{
    Tensor *t = luaL_checkudata(L, 1, TENSOR_MT);
    tensor_release(t);
    return 0;
}

/* ---- from Lua tables ------------------------------------------------------- */

static double table_number(lua_State *L, int idx, lua_Integer i, const char *fname,
                           const char *argname)
{
    int isnum;
    lua_geti(L, idx, i);
    double v = lua_tonumberx(L, -1, &isnum);
    if (!isnum || lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "%s: %s[%I] is a %s, expected a number", fname, argname, i,
                   luaL_typename(L, -1));
    lua_pop(L, 1);
    return v;
}

/* Builds a tensor from the table at idx: numbers make a vector, tables of
 * numbers (all the same length) a matrix. Pushes it. */
static Tensor *tensor_from_table(lua_State *L, int idx, const char *fname, const char *argname)
{
    idx = lua_absindex(L, idx);
    lua_Integer rows = luaL_len(L, idx);
    if (rows > 0 && lua_geti(L, idx, 1) == LUA_TTABLE) {
        lua_Integer cols = luaL_len(L, -1);
        lua_pop(L, 1);
        Tensor *t = lib_newtensor(L, fname, 2, (size_t)rows, (size_t)cols);
        for (lua_Integer i = 1; i <= rows; i++) {
            if (lua_geti(L, idx, i) != LUA_TTABLE)
                luaL_error(L, "%s: %s[%I] is a %s, expected a row (a table of numbers)",
                           fname, argname, i, luaL_typename(L, -1));
            if (luaL_len(L, -1) != cols)
                luaL_error(L, "%s: %s[%I] has %I numbers, expected %I like %s[1]", fname,
                           argname, i, luaL_len(L, -1), cols, argname);
            for (lua_Integer j = 1; j <= cols; j++)
                t->data[(i - 1) * cols + (j - 1)] = table_number(L, -1, j, fname, argname);
            lua_pop(L, 1);
        }
        return t;
    }
    if (rows > 0) lua_pop(L, 1);
    Tensor *t = lib_newtensor(L, fname, 1, (size_t)rows, 1);
    for (lua_Integer i = 1; i <= rows; i++)
        t->data[i - 1] = table_number(L, idx, i, fname, argname);
    return t;
}

Tensor *lib_checkdata(lua_State *L, int idx, const char *fname, const char *argname)
{
    Tensor *t = lib_totensor(L, idx);
    if (t) return t;
    if (lua_type(L, idx) != LUA_TTABLE) {
        if (luaL_testudata(L, idx, TENSOR_MT))
            luaL_error(L, "%s: %s is a closed tensor", fname, argname);
        luaL_error(L, "%s: %s must be a tensor or a table of numbers, got %s", fname,
                   argname, luaL_typename(L, idx));
    }
    idx = lua_absindex(L, idx);
    t = tensor_from_table(L, idx, fname, argname);
    lua_replace(L, idx);
    return t;
}

Tensor *lib_checkvector(lua_State *L, int idx, const char *fname, const char *argname)
{
    Tensor *t = lib_checkdata(L, idx, fname, argname);
    if (t->ndim != 1) {
        char shape[64];
        luaL_error(L, "%s: %s must be a vector, got a matrix %s", fname, argname,
                   tensor_shape_text(t, shape, sizeof shape));
    }
    return t;
}

/* ---- constructors -------------------------------------------------------- */

static int l_tensor_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    tensor_from_table(L, 1, "tensor", "t");
    return 1;
}

/* tensor(...) is tensor.new(...): the module table is callable. */
static int l_tensor_call(lua_State *L)
{
    lua_remove(L, 1);
    return l_tensor_new(L);
}

static size_t check_size(lua_State *L, int idx, const char *fname, const char *what)
{
    lua_Integer n = luaL_checkinteger(L, idx);
    if (n < 0) luaL_error(L, "%s: %s must be >= 0, got %I", fname, what, n);
    return (size_t)n;
}

static int filled(lua_State *L, const char *fname, double value)
{
    size_t rows = check_size(L, 1, fname, "the number of elements");
    int matrix = !lua_isnoneornil(L, 2);
    size_t cols = matrix ? check_size(L, 2, fname, "the number of columns") : 1;
    Tensor *t = lib_newtensor(L, fname, matrix ? 2 : 1, rows, cols);
    if (value != 0)
        for (size_t i = 0; i < tensor_numel(t); i++) t->data[i] = value;
    return 1;
}

static int l_tensor_zeros(lua_State *L) { return filled(L, "tensor.zeros", 0.0); }
static int l_tensor_ones(lua_State *L) { return filled(L, "tensor.ones", 1.0); }

static int l_tensor_linspace(lua_State *L)
{
    double a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
    lua_Integer n = luaL_checkinteger(L, 3);
    if (n < 1) return luaL_error(L, "tensor.linspace: n must be >= 1, got %I", n);
    lib_check_finite(L, "tensor.linspace", "a", &a, 1, 1);
    lib_check_finite(L, "tensor.linspace", "b", &b, 1, 1);
    Tensor *t = lib_newtensor(L, "tensor.linspace", 1, (size_t)n, 1);
    tensor_linspace(t->data, (size_t)n, a, b);
    return 1;
}

static int l_tensor_range(lua_State *L)
{
    double a = luaL_checknumber(L, 1), b = luaL_checknumber(L, 2);
    double step = luaL_optnumber(L, 3, 1.0);
    size_t n;
    Err e;
    if (tensor_range_count(a, b, step, &n, &e) != ST_OK)
        return luaL_error(L, "tensor.range: %s", e.msg);
    Tensor *t = lib_newtensor(L, "tensor.range", 1, n, 1);
    tensor_range_fill(t->data, n, a, b, step);
    return 1;
}

/* Numbers separated by commas and/or spaces. */
static int l_tensor_parse(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    size_t count = 0;
    for (const char *p = text; *p;) {
        p += strspn(p, ", \t");
        if (!*p) break;
        count++;
        p += strcspn(p, ", \t");
    }
    Tensor *t = lib_newtensor(L, "tensor.parse", 1, count, 1);
    const char *p = text;
    for (size_t i = 0; i < count; i++) {
        p += strspn(p, ", \t");
        size_t n = strcspn(p, ", \t");
        lua_pushlstring(L, p, n);
        int isnum;
        t->data[i] = lua_tonumberx(L, -1, &isnum);
        if (!isnum)
            return luaL_error(L, "tensor.parse: '%s' is not a number (item %I of '%s')",
                              lua_tostring(L, -1), (lua_Integer)i + 1, text);
        if (!isfinite(t->data[i]))
            return luaL_error(L, "tensor.parse: '%s' is out of the range of a double (item %I of '%s')",
                              lua_tostring(L, -1), (lua_Integer)i + 1, text);
        lua_pop(L, 1);
        p += n;
    }
    return 1;
}

static int l_tensor_is(lua_State *L)
{
    lua_pushboolean(L, lib_totensor(L, 1) != NULL);
    return 1;
}

/* ---- indexing ------------------------------------------------------------ */

static size_t check_index(lua_State *L, int idx, size_t n, const char *what)
{
    lua_Integer i = luaL_checkinteger(L, idx);
    if (i < 1 || (size_t)i > n)
        luaL_error(L, "tensor: %s %I is out of range 1..%I", what, i, (lua_Integer)n);
    return (size_t)(i - 1);
}

static void check_vector_index(lua_State *L, const Tensor *t)
{
    if (t->ndim != 1)
        luaL_error(L, "tensor: t[i] is for vectors; this is a %Ix%I matrix: use "
                      "t:get(i, j), t:set(i, j, v) or t:row(i)", (lua_Integer)t->rows,
                 (lua_Integer)t->cols);
}

/* The tensor of a metamethod: its own message when closed. */
static Tensor *self_tensor(lua_State *L)
{
    Tensor *t = luaL_checkudata(L, 1, TENSOR_MT);
    if (!t->data) luaL_error(L, "tensor: this tensor has been closed");
    return t;
}

static int tensor_index(lua_State *L)
{
    Tensor *t = self_tensor(L);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        check_vector_index(L, t);
        lua_pushnumber(L, t->data[check_index(L, 2, t->rows, "index")]);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) == LUA_TNIL)
        return luaL_error(L, "tensor: no method '%s' (see the list at the top of "
                          "src/lib/tensorlib.c, or README.md)", luaL_tolstring(L, 2, NULL));
    return 1;
}

static int tensor_newindex(lua_State *L)
{
    Tensor *t = self_tensor(L);
    if (lua_type(L, 2) != LUA_TNUMBER)
        return luaL_error(L, "tensor: cannot set field '%s'; elements are set with t[i] = v",
                          luaL_tolstring(L, 2, NULL));
    check_vector_index(L, t);
    size_t i = check_index(L, 2, t->rows, "index");
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "tensor: t[i] = v needs a number v, got %s", luaL_typename(L, 3));
    t->data[i] = lua_tonumber(L, 3);
    return 0;
}

static int tensor_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)self_tensor(L)->rows);
    return 1;
}

static int l_tensor_get(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (t->ndim == 1 && lua_isnoneornil(L, 3)) {
        lua_pushnumber(L, t->data[check_index(L, 2, t->rows, "index")]);
        return 1;
    }
    size_t i = check_index(L, 2, t->rows, "row");
    size_t j = check_index(L, 3, t->cols, "column");
    lua_pushnumber(L, t->data[i * t->cols + j]);
    return 1;
}

static int l_tensor_set(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (t->ndim == 1 && lua_isnoneornil(L, 4)) {
        t->data[check_index(L, 2, t->rows, "index")] = luaL_checknumber(L, 3);
        return 0;
    }
    size_t i = check_index(L, 2, t->rows, "row");
    size_t j = check_index(L, 3, t->cols, "column");
    t->data[i * t->cols + j] = luaL_checknumber(L, 4);
    return 0;
}

static int l_tensor_row(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    size_t i = check_index(L, 2, t->rows, "row");
    Tensor *r = lib_newtensor(L, "t:row", 1, t->cols, 1);
    memcpy(r->data, t->data + i * t->cols, t->cols * sizeof(double));
    return 1;
}

static int l_tensor_col(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    size_t j = check_index(L, 2, t->cols, "column");
    Tensor *c = lib_newtensor(L, "t:col", 1, t->rows, 1);
    for (size_t i = 0; i < t->rows; i++) c->data[i] = t->data[i * t->cols + j];
    return 1;
}

/* ---- arithmetic ---------------------------------------------------------- */

static int arith(lua_State *L, ArrayOp op, const char *sym)
{
    /* a Lua table of numbers is a tensor here too: t + {1, 2, 3} */
    for (int i = 1; i <= 2; i++)
        if (lua_istable(L, i))
            lib_checkdata(L, i, "tensor arithmetic", i == 1 ? "the left operand" : "the right operand");
    Tensor *a = lib_totensor(L, 1), *b = lib_totensor(L, 2);
    if (a && b) {
        if (!tensor_same_shape(a, b)) {
            char sa[64], sb[64];
            return luaL_error(L, "tensor %s: shapes %s and %s differ", sym,
                              tensor_shape_text(a, sa, sizeof sa),
                              tensor_shape_text(b, sb, sizeof sb));
        }
        Tensor *r = lib_newtensor(L, "tensor", a->ndim, a->rows, a->cols);
        array_op(op, r->data, a->data, b->data, tensor_numel(a));
        return 1;
    }
    for (int i = 1; i <= 2; i++)
        if (luaL_testudata(L, i, TENSOR_MT) && !lib_totensor(L, i))
            return luaL_error(L, "tensor %s: the %s operand is a closed tensor", sym,
                              i == 1 ? "left" : "right");
    int scalar_first = a == NULL;
    Tensor *t = a ? a : b;
    int sidx = a ? 2 : 1;
    if (!t || lua_type(L, sidx) != LUA_TNUMBER)
        return luaL_error(L, "tensor %s: expected tensors or numbers, got %s and %s", sym,
                          luaL_typename(L, 1), luaL_typename(L, 2));
    double s = lua_tonumber(L, sidx);
    Tensor *r = lib_newtensor(L, "tensor", t->ndim, t->rows, t->cols);
    array_op_scalar(op, r->data, t->data, s, tensor_numel(t), scalar_first);
    return 1;
}

static int tensor_add(lua_State *L) { return arith(L, OP_ADD, "+"); }
static int tensor_sub(lua_State *L) { return arith(L, OP_SUB, "-"); }
static int tensor_mul(lua_State *L) { return arith(L, OP_MUL, "*"); }
static int tensor_div(lua_State *L) { return arith(L, OP_DIV, "/"); }

static int tensor_unm(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *r = lib_newtensor(L, "tensor", t->ndim, t->rows, t->cols);
    for (size_t i = 0; i < tensor_numel(t); i++) r->data[i] = -t->data[i];
    return 1;
}

/* ---- reductions and conversions ------------------------------------------ */

static Tensor *check_nonempty(lua_State *L, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    if (tensor_numel(t) == 0) luaL_error(L, "%s: the tensor is empty", fname);
    return t;
}

static int l_tensor_sum(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
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
    Tensor *a = lib_checktensor(L, 1);
    Tensor *b = lib_checkdata(L, 2, "t:dot", "the second tensor");
    if (tensor_numel(a) != tensor_numel(b)) {
        char sa[64], sb[64];
        return luaL_error(L, "t:dot: shapes %s and %s have different numbers of elements",
                          tensor_shape_text(a, sa, sizeof sa), tensor_shape_text(b, sb, sizeof sb));
    }
    lua_pushnumber(L, array_dot(a->data, b->data, tensor_numel(a)));
    return 1;
}

static int l_tensor_totable(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_createtable(L, (int)t->rows, 0);
    for (size_t i = 0; i < t->rows; i++) {
        if (t->ndim == 1) {
            lua_pushnumber(L, t->data[i]);
        } else {
            lua_createtable(L, (int)t->cols, 0);
            for (size_t j = 0; j < t->cols; j++) {
                lua_pushnumber(L, t->data[i * t->cols + j]);
                lua_rawseti(L, -2, (lua_Integer)j + 1);
            }
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int l_tensor_copy(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *c = lib_newtensor(L, "t:copy", t->ndim, t->rows, t->cols);
    memcpy(c->data, t->data, tensor_numel(t) * sizeof(double));
    return 1;
}

static int l_tensor_shape(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_pushinteger(L, (lua_Integer)t->rows);
    if (t->ndim == 1) return 1;
    lua_pushinteger(L, (lua_Integer)t->cols);
    return 2;
}

static int l_tensor_numel(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)tensor_numel(lib_checktensor(L, 1)));
    return 1;
}

static int l_tensor_reshape(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    size_t rows = check_size(L, 2, "t:reshape", "rows");
    int matrix = !lua_isnoneornil(L, 3);
    size_t cols = matrix ? check_size(L, 3, "t:reshape", "cols") : 1;
    /* rows * cols must not wrap around */
    int fits = cols == 0 ? rows == 0 || tensor_numel(t) == 0 : rows <= tensor_numel(t) / cols;
    if (!fits || rows * cols != tensor_numel(t)) {
        char s[64];
        tensor_shape_text(t, s, sizeof s);
        if (!fits)
            return luaL_error(L, "t:reshape: %s has %I elements, not %I x %I (too many)", s,
                              (lua_Integer)tensor_numel(t), (lua_Integer)rows, (lua_Integer)cols);
        return luaL_error(L, "t:reshape: %s has %I elements, not %I x %I = %I", s,
                          (lua_Integer)tensor_numel(t), (lua_Integer)rows, (lua_Integer)cols,
                          (lua_Integer)(rows * cols));
    }
    Tensor *r = lib_newtensor(L, "t:reshape", matrix ? 2 : 1, rows, cols);
    memcpy(r->data, t->data, tensor_numel(t) * sizeof(double));
    return 1;
}

/* tensor{1, 2, 3}; long ones elided: tensor[1000]{0, 1, 2, ..., 999}. */
#define SHOW_ALL 12
#define SHOW_HEAD 6
#define SHOW_TAIL 3

static void add_numbers(luaL_Buffer *b, const double *x, size_t n)
{
    char num[NUMFMT_SIZE];
    luaL_addchar(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (n > SHOW_ALL && i == SHOW_HEAD) {
            luaL_addstring(b, "..., ");
            i = n - SHOW_TAIL;
        }
        luaL_addlstring(b, num, numfmt_double(x[i], num));
        if (i + 1 < n) luaL_addstring(b, ", ");
    }
    luaL_addchar(b, '}');
}

static int tensor_tostring(lua_State *L)
{
    Tensor *t = luaL_checkudata(L, 1, TENSOR_MT);
    if (!t->data) {
        lua_pushliteral(L, "tensor (closed)");
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "tensor");
    if (t->rows > SHOW_ALL || t->cols > SHOW_ALL) {
        char s[64];
        luaL_addstring(&b, tensor_shape_text(t, s, sizeof s));
    }
    if (t->ndim == 1) {
        add_numbers(&b, t->data, t->rows);
    } else {
        luaL_addchar(&b, '{');
        for (size_t i = 0; i < t->rows; i++) {
            if (t->rows > SHOW_ALL && i == SHOW_HEAD) {
                luaL_addstring(&b, "..., ");
                i = t->rows - SHOW_TAIL;
            }
            add_numbers(&b, t->data + i * t->cols, t->cols);
            if (i + 1 < t->rows) luaL_addstring(&b, ", ");
        }
        luaL_addchar(&b, '}');
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg tensor_methods[] = {
    {"col", l_tensor_col},
    {"copy", l_tensor_copy},
    {"dot", l_tensor_dot},
    {"get", l_tensor_get},
    {"max", l_tensor_max},
    {"mean", l_tensor_mean},
    {"min", l_tensor_min},
    {"numel", l_tensor_numel},
    {"reshape", l_tensor_reshape},
    {"row", l_tensor_row},
    {"set", l_tensor_set},
    {"shape", l_tensor_shape},
    {"sum", l_tensor_sum},
    {"totable", l_tensor_totable},
    {NULL, NULL}
};

static const luaL_Reg tensor_metamethods[] = {
    {"__add", tensor_add},
    {"__close", tensor_gc},
    {"__div", tensor_div},
    {"__gc", tensor_gc},
    {"__index", tensor_index},
    {"__len", tensor_len},
    {"__mul", tensor_mul},
    {"__newindex", tensor_newindex},
    {"__sub", tensor_sub},
    {"__tostring", tensor_tostring},
    {"__unm", tensor_unm},
    {NULL, NULL}
};

static const luaL_Reg tensor_functions[] = {
    {"is", l_tensor_is},
    {"linspace", l_tensor_linspace},
    {"new", l_tensor_new},
    {"ones", l_tensor_ones},
    {"parse", l_tensor_parse},
    {"range", l_tensor_range},
    {"zeros", l_tensor_zeros},
    {NULL, NULL}
};

int luaopen_tensor(lua_State *L)
{
    luaL_newmetatable(L, TENSOR_MT);
    luaL_setfuncs(L, tensor_metamethods, 0);
    luaL_newlib(L, tensor_methods);
    lua_setfield(L, -2, "methods");
    lua_pop(L, 1);

    luaL_newlib(L, tensor_functions);
    /* the reductions also as functions: tensor.sum(t) */
    luaL_setfuncs(L, tensor_methods, 0);
    lua_newtable(L);
    lua_pushcfunction(L, l_tensor_call);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    return 1;
}
