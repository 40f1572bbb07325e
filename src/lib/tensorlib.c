/* tensorlib.c: the Lua module `tensor`, vectors and matrices of doubles:
 * the userdata, constructors, indexing, views and printing. The operations
 * (arithmetic, reductions, ...) are in tensorops.c.
 *
 *   tensor{1, 2, 3}               a vector; tensor{{1, 2}, {3, 4}} a matrix
 *   tensor.zeros(n [, cols]), tensor.ones(n [, cols])
 *   tensor.linspace(a, b, n)      n values from a to b
 *   tensor.range(a, b, step)      a, a+step, ..., b (each value a + i*step)
 *   tensor.parse("1, 2, 3")       a vector from text (a key=value parameter)
 *   t[i], t[i] = v, #t            vectors (1-based); matrices: t:get(i, j),
 *                                 t:set(i, j, v), #t = rows
 *   views, sharing t's storage:   t:row(i), t:col(j), t:T(), t:narrow(dim, i, n)
 *   copies:                       t:clone(), t:contiguous(), t:copy()
 *   t:shape(), t:size(dim), t:numel(), t:reshape(rows [, cols]), t:totable()
 *
 * The userdata is a handle holding one reference to a Tensor (core/tensor.h);
 * views and autograd nodes hold others. Tensor memory is charged to Lua's
 * collector (lib_gc_charge), so temporaries are collected as fast as they
 * are made. A tensor can be closed early: local t <close> = tensor.zeros(1e8)
 * drops its reference at once (its storage goes when no view holds it). */
#include "lib/tensorlib.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "core/bufcache.h"
#include "core/mem.h"
#include "core/numfmt.h"
#include "lib/openers.h"
#include "lib/util.h"

/* ---- the userdata --------------------------------------------------------- */

/* The metatable is also in the registry under the address of MT_KEY, and
 * its methods, fields and setters tables in it under small integers:
 * luaL_checkudata and lua_getfield look a name up by interning the C
 * string, a strcmp per call, which the per-sample loops of W7 paid on
 * every operation (~10% of their time). */
static const char MT_KEY = 0;
enum { MT_METHODS = 1, MT_FIELDS, MT_SETTERS };

/* The userdata: the handle, then the address of MT_KEY as a tag. Telling a
 * tensor from other values is then two reads of the value (its size and the
 * tag), not a look at its metatable: that check ran on every argument and
 * every __gc and cost a sixth of W7's instructions. Only C code can write
 * a userdata's bytes, and none stores this address; a userdata given the
 * Tensor metatable with debug.setmetatable is still refused. */
typedef struct Handle {
    Tensor *t;
    const char *tag;
} Handle;

/* The handle at idx, or NULL when idx holds no tensor userdata. */
static Tensor **tensor_handle(lua_State *L, int idx)
{
    Handle *h = lua_touserdata(L, idx);
    if (!h || lua_rawlen(L, idx) != sizeof *h || h->tag != &MT_KEY) return NULL;
    return &h->t;
}

/* The handle at idx, or luaL_checkudata's "bad argument" error. */
static Tensor **check_handle(lua_State *L, int idx)
{
    Tensor **h = tensor_handle(L, idx);
    if (!h) luaL_typeerror(L, idx, TENSOR_MT);
    return h;
}

int lib_ishandle(lua_State *L, int idx) { return tensor_handle(L, idx) != NULL; }

Tensor *lib_totensor(lua_State *L, int idx)
{
    Tensor **h = tensor_handle(L, idx);
    return h ? *h : NULL;
}

Tensor *lib_checktensor(lua_State *L, int idx)
{
    Tensor **h = check_handle(L, idx);
    if (!*h) luaL_argerror(L, idx, "tensor has been closed");
    return *h;
}

/* The metatable is also at an integer key of the registry (its array part:
 * a lookup by light userdata cost ~110 instructions per new tensor). The
 * key and the table's address are those of the state that opened the module
 * last, forgotten when that state closes; in any other state they do not
 * match and the lookup by MT_KEY answers. */
static int mt_ref = LUA_NOREF;
static const void *mt_address;

static int forget_metatable(lua_State *L)
{
    if (lua_topointer(L, 1) == mt_address) {
        mt_address = NULL;
        mt_ref = LUA_NOREF;
    }
    return 0;
}

static void push_metatable(lua_State *L)
{
    if (mt_ref > 0 && lua_rawgeti(L, LUA_REGISTRYINDEX, mt_ref) == LUA_TTABLE &&
        lua_topointer(L, -1) == mt_address)
        return;
    if (mt_ref > 0) lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &MT_KEY);
}

Tensor **lib_newhandle(lua_State *L)
{
    Handle *h = lua_newuserdatauv(L, sizeof *h, TENSOR_NUV);
    h->t = NULL;  /* safe to collect until the caller stores a tensor */
    h->tag = &MT_KEY;
    push_metatable(L);
    lua_setmetatable(L, -2);
    return &h->t;
}

/* Tensor memory lives outside what Lua counts, so the collector would see a
 * few bytes per tensor and seldom run. Instead: whenever all memory in use
 * (Lua's and tensors', through the one allocator) has grown by a quarter of
 * what was live after the last collection (and at least GC_FLOOR bytes),
 * collect. A loop of temporaries then stays within about 1.25 times its live
 * data plus a MB; a full collection of a script's small heap costs less than
 * one pass over a large tensor. */
#define GC_FLOOR ((size_t)1 << 20)
static size_t gc_live;

/* Memory in use less the freed buffers core/bufcache.h keeps: a kept buffer
 * handed to a new tensor is growth like a fresh one. */
static size_t gc_used(void) { return mem_in_use() - bufcache_bytes(); }

void lib_gc_charge(lua_State *L)
{
    size_t used = gc_used(), grow = gc_live / 4;
    if (used - (used < gc_live ? used : gc_live) < (grow > GC_FLOOR ? grow : GC_FLOOR)) return;
    lua_gc(L, LUA_GCCOLLECT);
    gc_live = gc_used();
}

/* Before a large buffer is allocated: collect first when the allocation
 * would pass an eighth of the live memory (at least GC_FLOOR), so the
 * temporaries that died since the last collection are freed and the new
 * tensor gets one of their buffers (core/bufcache.h), still in the
 * processor's cache, instead of a fresh one; lib_gc_charge, afterwards,
 * sees no growth. An eighth rather than a quarter: with 8 MB temporaries
 * and 24 MB of live data (x, y and r of the tensor issue's loop at 10^6
 * samples) every other temporary would wait for a collection, and five
 * buffers in turn overflow the processor's 32 MB cache where three fit.
 * Small tensors (W7's loops) never come here. */
static void gc_before_alloc(lua_State *L, int ndim, size_t rows, size_t cols)
{
    /* Small tensors leave at the first test (a product that wraps skips
     * only this collection: tensor_new refuses the size and says why). */
    const size_t small = BUFCACHE_MIN / sizeof(double);
    if (rows < small && (ndim == 1 ? rows : rows * cols) < small) return;
    if (tensor_check_size(ndim, rows, cols, NULL) != ST_OK) return;
    size_t bytes = rows * (ndim == 1 ? 1 : cols) * sizeof(double);
    if (bytes < BUFCACHE_MIN) return;
    size_t used = gc_used() + bytes, grow = gc_live / 8;
    if (used - (used < gc_live ? used : gc_live) < (grow > GC_FLOOR ? grow : GC_FLOOR)) return;
    lua_gc(L, LUA_GCCOLLECT);
    gc_live = gc_used() + bytes;
}

/* Small tensors are charged to Lua's own incremental collector instead, as
 * debt in KB: lib_gc_charge's full collections, one per MB of them, were a
 * fifth of a scalar loop's time (W7), and these tensors are too small for
 * a full pass over the heap to pay for itself. The collector then counts
 * their memory as if Lua had allocated it, and paces itself by it. */
#define SMALL_CHARGE_STEP 16384
static size_t small_debt;

static void charge_small(lua_State *L, size_t bytes)
{
    small_debt += bytes;
    if (small_debt < SMALL_CHARGE_STEP) return;
    int kb = (int)(small_debt / 1024);
    small_debt %= 1024;
    lua_gc(L, LUA_GCSTEP, kb);
}

static Tensor *push_new(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols,
                        int zero)
{
    gc_before_alloc(L, ndim, rows, cols);
    Tensor **h = lib_newhandle(L);
    Err e;
    *h = tensor_new(ndim, rows, cols, zero, &e);
    if (!*h) luaL_error(L, "%s: %s", fname, e.msg);
    size_t n = tensor_numel(*h);
    if (n >= 1 && n <= TENSOR_SMALL_NUMEL)
        charge_small(L, sizeof(Tensor) + sizeof(Storage) + n * sizeof(double));
    else
        lib_gc_charge(L);
    return *h;
}

Tensor *lib_newtensor(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols)
{
    return push_new(L, fname, ndim, rows, cols, 1);
}

Tensor *lib_newresult(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols)
{
    return push_new(L, fname, ndim, rows, cols, 0);
}

Tensor *lib_pushview(lua_State *L, const char *fname, const Tensor *base, int ndim, size_t rows,
                     size_t cols, size_t offset, size_t rs, size_t cs)
{
    Tensor **h = lib_newhandle(L);
    Err e;
    *h = tensor_view(base, ndim, rows, cols, offset, rs, cs, &e);
    if (!*h) luaL_error(L, "%s: %s", fname, e.msg);
    return *h;
}

Tensor *lib_pushtensor(lua_State *L, Tensor *t)
{
    Tensor **h = lib_newhandle(L);
    tensor_retain(t);
    *h = t;
    return t;
}

Tensor *lib_adopttensor(lua_State *L, double *data, size_t n)
{
    Tensor **h = lib_newhandle(L);
    Err e;
    *h = tensor_adopt(data, n, &e);
    if (!*h) luaL_error(L, "csv.read: %s", e.msg);
    lib_gc_charge(L);
    return *h;
}

void lib_record(lua_State *L, Tensor *out, AgOp op, Tensor *a, Tensor *b, const AgAux *aux)
{
    if (!ag_wanted(a, b)) return;
    Err e;
    if (ag_record(out, op, a, b, aux, &e) != ST_OK) luaL_error(L, "autograd: %s", e.msg);
}

static int tensor_gc(lua_State *L)
{
    Tensor **h = check_handle(L, 1);
    tensor_release(*h);
    *h = NULL;
    return 0;
}

/* The tensor at idx as one contiguous block: a view that is not is replaced
 * at idx by a contiguous copy. */
Tensor *lib_contiguous(lua_State *L, int idx, const char *fname)
{
    Tensor *t = lib_checktensor(L, idx);
    if (tensor_is_contiguous(t)) return t;
    idx = lua_absindex(L, idx);
    Tensor *c = lib_newresult(L, fname, t->ndim, t->rows, t->cols);
    tensor_copy_into(c, t);
    lua_replace(L, idx);
    return c;
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
                luaL_error(L, "%s: %s[%I] has %I number%s, expected %I like %s[1]", fname,
                           argname, i, luaL_len(L, -1), luaL_len(L, -1) == 1 ? "" : "s", cols,
                           argname);
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
    if (t) return tensor_is_contiguous(t) ? t : lib_contiguous(L, idx, fname);
    if (lua_type(L, idx) != LUA_TTABLE) {
        if (lib_ishandle(L, idx))
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
    if (lua_gettop(L) > 2)
        luaL_error(L, "%s: at most 2 sizes (tensors are vectors or matrices), got %d", fname,
                   lua_gettop(L));
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
    if (strlen(text) != len)
        return luaL_error(L, "tensor.parse: the text holds a NUL byte (byte %I of %I)",
                          (lua_Integer)strlen(text) + 1, (lua_Integer)len);
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
    Tensor **h = check_handle(L, 1);
    if (!*h) luaL_error(L, "tensor: this tensor has been closed");
    return *h;
}

/* The open tensor at 1 of __index, or NULL. By the tag, as everywhere: a
 * metatable check alone let a model given the Tensor metatable with
 * debug.setmetatable be read as a tensor handle. */
static Tensor *index_self(lua_State *L)
{
    Tensor **h = tensor_handle(L, 1);
    return h ? *h : NULL;
}

static int tensor_index(lua_State *L)
{
    /* The fast path of x[i] in a loop: an integer in range on a vector.
     * Anything else takes the checked way below, with its messages. */
    Tensor *t = index_self(L);
    if (t && t->ndim == 1 && lua_isinteger(L, 2)) {
        lua_Integer i = lua_tointeger(L, 2);
        if (i >= 1 && (lua_Unsigned)i <= t->rows) {
            lua_pushnumber(L, t->data[(size_t)(i - 1) * t->rs]);
            return 1;
        }
    }
    t = self_tensor(L);
    if (lua_type(L, 2) == LUA_TNUMBER) {
        check_vector_index(L, t);
        lua_pushnumber(L, t->data[check_index(L, 2, t->rows, "index") * t->rs]);
        return 1;
    }
    lua_getmetatable(L, 1);
    lua_rawgeti(L, -1, MT_METHODS);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL) return 1;
    /* fields computed on the fly (autograd's t.grad, t.data, ...) */
    lua_rawgeti(L, -3, MT_FIELDS);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) == LUA_TFUNCTION) {
        /* a C field is called directly, t its only argument: lua_call
         * cost a fifth of t.data's time */
        lua_CFunction f = lua_tocfunction(L, -1);
        if (f) {
            lua_settop(L, 1);
            return f(L);
        }
        lua_pushvalue(L, 1);
        lua_call(L, 1, 1);
        return 1;
    }
    return luaL_error(L, "tensor: no method or field '%s' (see README.md, \"Tensors\")",
                      luaL_tolstring(L, 2, NULL));
}

static int tensor_newindex(lua_State *L)
{
    Tensor *t = self_tensor(L);
    if (lua_type(L, 2) != LUA_TNUMBER) {
        lua_getmetatable(L, 1);
        lua_rawgeti(L, -1, MT_SETTERS);
        lua_pushvalue(L, 2);
        if (lua_rawget(L, -2) == LUA_TFUNCTION) {
            lua_CFunction f = lua_tocfunction(L, -1);
            if (f) {  /* as in tensor_index: called directly with (t, v) */
                lua_settop(L, 3);
                lua_remove(L, 2);
                f(L);
                return 0;
            }
            lua_pushvalue(L, 1);
            lua_pushvalue(L, 3);
            lua_call(L, 2, 0);
            return 0;
        }
        return luaL_error(L, "tensor: cannot set field '%s'; elements are set with t[i] = v",
                          luaL_tolstring(L, 2, NULL));
    }
    check_vector_index(L, t);
    size_t i = check_index(L, 2, t->rows, "index");
    if (lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "tensor: t[i] = v needs a number v, got %s", luaL_typename(L, 3));
    t->data[i * t->rs] = lua_tonumber(L, 3);
    return 0;
}

static int tensor_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)self_tensor(L)->rows);
    return 1;
}

/* The address of t:get(i, j) / t:set(i, j, v)'s element; for a vector j is
 * absent. vidx is the index of the first argument after the indices. */
static double *element(lua_State *L, Tensor *t, int nargs_vector, int *vidx)
{
    if (t->ndim == 1 && lua_gettop(L) <= nargs_vector) {
        *vidx = 3;
        return &t->data[check_index(L, 2, t->rows, "index") * t->rs];
    }
    size_t i = check_index(L, 2, t->rows, "row");
    size_t j = check_index(L, 3, t->cols, "column");
    *vidx = 4;
    return &t->data[i * t->rs + j * t->cs];
}

static int l_tensor_get(lua_State *L)
{
    int vidx;
    lua_pushnumber(L, *element(L, lib_checktensor(L, 1), 2, &vidx));
    return 1;
}

static int l_tensor_set(lua_State *L)
{
    int vidx;
    double *p = element(L, lib_checktensor(L, 1), 3, &vidx);
    *p = luaL_checknumber(L, vidx);
    return 0;
}

/* ---- views: they share the storage and write through to it ----------------- */

static int l_tensor_row(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (t->ndim == 1)
        return luaL_error(L, "t:row: this is a vector of %I elements; t:row is for matrices "
                          "(t[i] gives an element)", (lua_Integer)t->rows);
    size_t i = check_index(L, 2, t->rows, "row");
    Tensor *r = lib_pushview(L, "t:row", t, 1, t->cols, 1, i * t->rs, t->cs, 1);
    lib_record(L, r, AG_NARROW, t, NULL, &(AgAux){.dim = 1, .start = i, .len = 1});
    return 1;
}

static int l_tensor_col(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    size_t j = check_index(L, 2, t->cols, "column");
    Tensor *c = lib_pushview(L, "t:col", t, 1, t->rows, 1, j * t->cs, t->rs, 1);
    lib_record(L, c, AG_NARROW, t, NULL, &(AgAux){.dim = 2, .start = j, .len = 1});
    return 1;
}

/* t:T(): the transpose of a matrix, a view; a vector is its own transpose. */
static int l_tensor_t(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *r = t->ndim == 1 ? lib_pushview(L, "t:T", t, 1, t->rows, 1, 0, t->rs, 1)
                             : lib_pushview(L, "t:T", t, 2, t->cols, t->rows, 0, t->cs, t->rs);
    lib_record(L, r, AG_T, t, NULL, NULL);
    return 1;
}

/* t:narrow(dim, start, length): rows (dim 1) or columns (dim 2) start ..
 * start+length-1, a view. */
static int l_tensor_narrow(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_Integer dim = luaL_checkinteger(L, 2);
    if (dim != 1 && !(dim == 2 && t->ndim == 2))
        return luaL_error(L, "t:narrow: dim must be 1%s, got %I", t->ndim == 2 ? " or 2" : "",
                          dim);
    size_t n = dim == 1 ? t->rows : t->cols;
    lua_Integer start = luaL_checkinteger(L, 3), len = luaL_checkinteger(L, 4);
    if (start < 1 || len < 0 || (size_t)start > n + 1 || (size_t)(start - 1 + len) > n)
        return luaL_error(L, "t:narrow: %I elements from %I do not fit in 1..%I", len, start,
                          (lua_Integer)n);
    size_t off = (size_t)(start - 1) * (dim == 1 ? t->rs : t->cs);
    Tensor *r = dim == 1
        ? lib_pushview(L, "t:narrow", t, t->ndim, (size_t)len, t->cols, off, t->rs, t->cs)
        : lib_pushview(L, "t:narrow", t, 2, t->rows, (size_t)len, off, t->rs, t->cs);
    lib_record(L, r, AG_NARROW, t, NULL,
               &(AgAux){.dim = (int)dim, .start = (size_t)(start - 1), .len = (size_t)len});
    return 1;
}

/* ---- copies and shapes ----------------------------------------------------- */

static int l_tensor_clone(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *c = lib_newresult(L, "t:clone", t->ndim, t->rows, t->cols);
    tensor_copy_into(c, t);
    lib_record(L, c, AG_RESHAPE, t, NULL, NULL);
    return 1;
}

static int l_tensor_contiguous(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (tensor_is_contiguous(t)) {
        lua_settop(L, 1);
        return 1;
    }
    Tensor *c = lib_newresult(L, "t:contiguous", t->ndim, t->rows, t->cols);
    tensor_copy_into(c, t);
    lib_record(L, c, AG_RESHAPE, t, NULL, NULL);
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

static int l_tensor_size(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (lua_isnoneornil(L, 2)) return l_tensor_shape(L);
    lua_Integer dim = luaL_checkinteger(L, 2);
    if (dim != 1 && !(dim == 2 && t->ndim == 2))
        return luaL_error(L, "t:size: dim must be 1%s, got %I", t->ndim == 2 ? " or 2" : "", dim);
    lua_pushinteger(L, (lua_Integer)(dim == 1 ? t->rows : t->cols));
    return 1;
}

static int l_tensor_numel(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)tensor_numel(lib_checktensor(L, 1)));
    return 1;
}

static size_t check_reshape(lua_State *L, const Tensor *t, int *matrix)
{
    size_t rows = check_size(L, 2, "t:reshape", "rows");
    *matrix = !lua_isnoneornil(L, 3);
    size_t cols = *matrix ? check_size(L, 3, "t:reshape", "cols") : 1;
    /* rows * cols must not wrap around */
    int fits = cols == 0 ? rows == 0 || tensor_numel(t) == 0 : rows <= tensor_numel(t) / cols;
    if (!fits || rows * cols != tensor_numel(t)) {
        char s[64];
        tensor_shape_text(t, s, sizeof s);
        if (!fits)
            luaL_error(L, "t:reshape: %s has %I elements, not %I x %I (too many)", s,
                       (lua_Integer)tensor_numel(t), (lua_Integer)rows, (lua_Integer)cols);
        luaL_error(L, "t:reshape: %s has %I elements, not %I x %I = %I", s,
                   (lua_Integer)tensor_numel(t), (lua_Integer)rows, (lua_Integer)cols,
                   (lua_Integer)(rows * cols));
    }
    return cols;
}

/* t:reshape(rows [, cols]): a view when t is contiguous, else a copy. */
static int l_tensor_reshape(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    int matrix;
    size_t cols = check_reshape(L, t, &matrix);
    size_t rows = (size_t)lua_tointeger(L, 2);
    Tensor *r;
    if (tensor_is_contiguous(t)) {
        r = lib_pushview(L, "t:reshape", t, matrix ? 2 : 1, rows, cols, 0, matrix ? cols : 1, 1);
    } else {
        r = lib_newresult(L, "t:reshape", matrix ? 2 : 1, rows, cols);
        tensor_copy_into(r, t);
    }
    lib_record(L, r, AG_RESHAPE, t, NULL, NULL);
    return 1;
}

static int l_tensor_totable(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_createtable(L, (int)t->rows, 0);
    for (size_t i = 0; i < t->rows; i++) {
        if (t->ndim == 1) {
            lua_pushnumber(L, t->data[i * t->rs]);
        } else {
            lua_createtable(L, (int)t->cols, 0);
            for (size_t j = 0; j < t->cols; j++) {
                lua_pushnumber(L, t->data[i * t->rs + j * t->cs]);
                lua_rawseti(L, -2, (lua_Integer)j + 1);
            }
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* tensor{1, 2, 3}; long ones elided: tensor[1000]{0, 1, 2, ..., 999}. */
#define SHOW_ALL 12
#define SHOW_HEAD 6
#define SHOW_TAIL 3

static void add_numbers(luaL_Buffer *b, const double *x, size_t n, size_t stride)
{
    char num[NUMFMT_SIZE];
    luaL_addchar(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (n > SHOW_ALL && i == SHOW_HEAD) {
            luaL_addstring(b, "..., ");
            i = n - SHOW_TAIL;
        }
        luaL_addlstring(b, num, numfmt_double(x[i * stride], num));
        if (i + 1 < n) luaL_addstring(b, ", ");
    }
    luaL_addchar(b, '}');
}

static int tensor_tostring(lua_State *L)
{
    Tensor **h = check_handle(L, 1);
    Tensor *t = *h;
    if (!t) {
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
        add_numbers(&b, t->data, t->rows, t->rs);
    } else {
        luaL_addchar(&b, '{');
        for (size_t i = 0; i < t->rows; i++) {
            if (t->rows > SHOW_ALL && i == SHOW_HEAD) {
                luaL_addstring(&b, "..., ");
                i = t->rows - SHOW_TAIL;
            }
            add_numbers(&b, t->data + i * t->rs, t->cols, t->cs);
            if (i + 1 < t->rows) luaL_addstring(&b, ", ");
        }
        luaL_addchar(&b, '}');
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- registration -------------------------------------------------------- */

static const luaL_Reg tensor_methods[] = {
    {"T", l_tensor_t},
    {"clone", l_tensor_clone},
    {"col", l_tensor_col},
    {"contiguous", l_tensor_contiguous},
    {"copy", l_tensor_clone},
    {"get", l_tensor_get},
    {"narrow", l_tensor_narrow},
    {"numel", l_tensor_numel},
    {"reshape", l_tensor_reshape},
    {"row", l_tensor_row},
    {"set", l_tensor_set},
    {"shape", l_tensor_shape},
    {"size", l_tensor_size},
    {"totable", l_tensor_totable},
    {NULL, NULL}
};

static const luaL_Reg tensor_metamethods[] = {
    {"__close", tensor_gc},
    {"__gc", tensor_gc},
    {"__len", tensor_len},
    {"__newindex", tensor_newindex},
    {"__tostring", tensor_tostring},
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
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MT_KEY);
    lua_pushvalue(L, -1);
    mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    mt_address = lua_topointer(L, -1);
    lua_createtable(L, 0, 1);  /* the metatable's own: forget it at lua_close */
    lua_pushcfunction(L, forget_metatable);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    luaL_setfuncs(L, tensor_metamethods, 0);
    lua_pushcfunction(L, tensor_index);
    lua_setfield(L, -2, "__index");
    lua_newtable(L);  /* fields computed on read: name -> function(t) */
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, MT_FIELDS);
    lua_setfield(L, -2, "fields");
    lua_newtable(L);  /* fields with a setter: name -> function(t, v) */
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, MT_SETTERS);
    lua_setfield(L, -2, "setters");
    luaL_newlib(L, tensor_methods);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, MT_METHODS);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "methods");
    /* the module: its functions, and every method as a function too
     * (tensor.sum(t)) */
    luaL_newlib(L, tensor_functions);
    luaL_setfuncs(L, tensor_methods, 0);
    /* the operations (tensorops.c): metamethods, methods and functions */
    lib_tensorops_register(L, lua_absindex(L, -3), lua_absindex(L, -2), lua_absindex(L, -1));
    lua_newtable(L);
    lua_pushcfunction(L, l_tensor_call);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    return 1;
}
