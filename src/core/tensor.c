/* tensor.c: see tensor.h. */
#include "core/tensor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/autograd.h"
#include "core/bufcache.h"
#include "core/kernel.h"
#include "core/kernel_avx.h"
#include "core/mem.h"
#include "core/tensor_avx.h"

Status tensor_check_size(int ndim, size_t rows, size_t cols, Err *e)
{
    if (ndim == 1) cols = 1;
    if (rows > TENSOR_MAX_NUMEL || cols > TENSOR_MAX_NUMEL ||
        (cols != 0 && rows > TENSOR_MAX_NUMEL / cols)) {
        if (ndim == 1)
            return err_set(e, ST_EINVAL, "%zu elements are too many (at most 2^40)", rows);
        return err_set(e, ST_EINVAL, "%zu x %zu elements are too many (at most 2^40 in all, "
                       "and per side)", rows, cols);
    }
    return ST_OK;
}

static void init_handle(Tensor *t, Storage *st, int ndim, size_t rows, size_t cols)
{
    memset(t, 0, sizeof *t);
    t->refs = 1;
    t->st = st;
    st->refs++;
    t->data = st->data;
    t->ndim = ndim;
    t->rows = rows;
    t->cols = ndim == 1 ? 1 : cols;
    t->cs = 1;
    t->rs = ndim == 1 ? 1 : t->cols;
}

static Tensor *new_handle(Storage *st, int ndim, size_t rows, size_t cols, Err *e)
{
    Tensor *t = mem_alloc(sizeof *t);
    if (!t) {
        err_set(e, ST_ENOMEM, "not enough memory for a tensor");
        return NULL;
    }
    init_handle(t, st, ndim, rows, cols);
    return t;
}

/* A small tensor's one allocation. The block lives while its tensor or a
 * view of its storage does: the storage's count covers both (the tensor is
 * one of the views), so the last storage_release frees it. */
typedef struct SmallBlock {
    Tensor t;
    Storage st;
    double data[];
} SmallBlock;

static size_t small_bytes(size_t n) { return sizeof(SmallBlock) + n * sizeof(double); }

static SmallBlock *block_of(Storage *st)
{
    return (SmallBlock *)((char *)st - offsetof(SmallBlock, st));
}

static Tensor *small_new(int ndim, size_t rows, size_t cols, size_t n, int zero, Err *e)
{
    SmallBlock *b = mem_alloc(small_bytes(n));
    if (!b) {
        err_set(e, ST_ENOMEM, "not enough memory for %zu numbers", n);
        return NULL;
    }
    b->st = (Storage){.data = b->data, .size = n, .refs = 0, .small = 1};
    init_handle(&b->t, &b->st, ndim, rows, cols);
    if (zero) memset(b->data, 0, n * sizeof(double));
    return &b->t;
}

static void storage_release(Storage *st)
{
    if (--st->refs > 0) return;
    if (st->small) {
        mem_free(block_of(st), small_bytes(st->size));
        return;
    }
    bufcache_free(st->data, st->size ? st->size * sizeof(double) : 1);
    mem_free(st, sizeof *st);
}

/* Frees t's handle and drops its storage (t's references are gone). */
static void handle_free(Tensor *t)
{
    Storage *st = t->st;
    if (!st->small || &block_of(st)->t != t) mem_free(t, sizeof *t);
    storage_release(st);  /* frees a small block, t with it when t is its own */
}

static Storage *storage_new(double *data, size_t size, Err *e)
{
    Storage *st = mem_alloc(sizeof *st);
    if (!st) {
        err_set(e, ST_ENOMEM, "not enough memory for a tensor");
        return NULL;
    }
    st->data = data;
    st->size = size;
    st->refs = 0;
    st->small = 0;
    return st;
}

Tensor *tensor_new(int ndim, size_t rows, size_t cols, int zero, Err *e)
{
    if (tensor_check_size(ndim, rows, cols, e) != ST_OK) return NULL;
    size_t n = rows * (ndim == 1 ? 1 : cols);
    if (n >= 1 && n <= TENSOR_SMALL_NUMEL) return small_new(ndim, rows, cols, n, zero, e);
    /* A zero-element tensor still gets a buffer: data is never NULL. */
    double *data = bufcache_alloc(n ? n * sizeof(double) : 1);
    if (!data) {
        err_set(e, ST_ENOMEM, "not enough memory for %zu numbers", n);
        return NULL;
    }
    if (zero) memset(data, 0, n * sizeof(double));
    Storage *st = storage_new(data, n, e);
    Tensor *t = st ? new_handle(st, ndim, rows, cols, e) : NULL;
    if (!t) {
        if (st) mem_free(st, sizeof *st);
        mem_free(data, n ? n * sizeof(double) : 1);
    }
    return t;
}

Tensor *tensor_adopt(double *data, size_t n, Err *e)
{
    Storage *st = storage_new(data, n, e);
    if (!st) return NULL;
    Tensor *t = new_handle(st, 1, n, 1, e);
    if (!t) mem_free(st, sizeof *st);
    return t;
}

Tensor *tensor_view(const Tensor *base, int ndim, size_t rows, size_t cols, size_t offset,
                    size_t rs, size_t cs, Err *e)
{
    Tensor *t = new_handle(base->st, ndim, rows, cols, e);
    if (!t) return NULL;
    t->data = base->data + offset;
    t->rs = rs;
    t->cs = ndim == 1 ? 1 : cs;
    return t;
}

int tensor_is_contiguous(const Tensor *t)
{
    if (t->ndim == 1) return t->rs == 1 || t->rows <= 1;
    return (t->cs == 1 || t->cols <= 1) && (t->rs == t->cols || t->rows <= 1);
}

void tensor_copy_into(Tensor *dst, const Tensor *src)
{
    if (tensor_is_contiguous(dst) && tensor_is_contiguous(src)) {
        memmove(dst->data, src->data, tensor_numel(src) * sizeof(double));
        return;
    }
    /* row-major order over src's shape; dst may have another shape */
    size_t k = 0, dcols = dst->cols;
    for (size_t i = 0; i < src->rows; i++)
        for (size_t j = 0; j < src->cols; j++, k++)
            dst->data[(k / dcols) * dst->rs + (k % dcols) * dst->cs] =
                src->data[i * src->rs + j * src->cs];
}

Tensor *tensor_clone(const Tensor *t, Err *e)
{
    Tensor *c = tensor_new(t->ndim, t->rows, t->cols, 0, e);
    if (c) tensor_copy_into(c, t);
    return c;
}

void tensor_retain(Tensor *t) { t->refs++; }

/* Freeing a tensor drops its node's references to its inputs, which may
 * free them in turn: a graph as long as a training run. The tensors whose
 * count reaches 0 go on a list instead of a recursive call, so the C stack
 * stays flat whatever the length of the chain. */
static void drop(Tensor *t, Tensor **dead)
{
    if (!t || --t->refs > 0) return;
    t->dead_next = *dead;
    *dead = t;
}

void tensor_release(Tensor *t)
{
    Tensor *dead = NULL;
    drop(t, &dead);
    while (dead) {
        t = dead;
        dead = t->dead_next;
        if (t->node) {
            Tensor *in[2];
            node_free(t->node, in);
            drop(in[0], &dead);
            drop(in[1], &dead);
        }
        drop(t->grad, &dead);
        handle_free(t);
    }
}

const char *tensor_shape_text(const Tensor *t, char *buf, size_t size)
{
    if (t->ndim == 1) snprintf(buf, size, "[%zu]", t->rows);
    else snprintf(buf, size, "[%zux%zu]", t->rows, t->cols);
    return buf;
}

int tensor_same_shape(const Tensor *a, const Tensor *b)
{
    return a->ndim == b->ndim && a->rows == b->rows && a->cols == b->cols;
}

void tensor_linspace(double *out, size_t n, double a, double b)
{
    if (n == 1) {
        out[0] = a;
        return;
    }
    double step = (b - a) / (double)(n - 1);
    for (size_t i = 0; i + 1 < n; i++) out[i] = a + (double)i * step;
    out[n - 1] = b;
}

/* How close (b - a) / step must be to a whole number k for b to count as
 * the k-th point: a few ulps of k, as the division rounds. */
#define RANGE_TOLERANCE 1e-9

/* The tolerance in steps, at most a thousandth of one: past a million
 * steps 1e-9 * k would let points beyond b in (0:1e10:1 had 10 extra;
 * found by tests/fuzz/range.c). */
static double range_tolerance(double k)
{
    double tol = RANGE_TOLERANCE * (1 + fabs(k));
    return tol < 1e-3 ? tol : 1e-3;
}

Status tensor_range_count(double a, double b, double step, size_t *n, Err *e)
{
    const double v[3] = {a, b, step};
    const char *name[3] = {"from", "to", "step"};
    for (int i = 0; i < 3; i++)
        if (!isfinite(v[i]))
            return err_set(e, ST_EINVAL, "%s is %s: from, to and step must be finite numbers",
                           name[i], isnan(v[i]) ? "nan" : v[i] > 0 ? "inf" : "-inf");
    if (step == 0) return err_set(e, ST_EINVAL, "step must not be 0");
    double k = (b - a) / step;
    if (k < -RANGE_TOLERANCE)
        return err_set(e, ST_EINVAL, "a step of %g never goes from %g to %g", step, a, b);
    if (k > (double)TENSOR_MAX_NUMEL)
        return err_set(e, ST_EINVAL, "from %g to %g in steps of %g is too many values", a, b, step);
    double whole = floor(k + range_tolerance(k));
    *n = (size_t)(whole < 0 ? 0 : whole) + 1;
    return ST_OK;
}

void tensor_range_fill(double *out, size_t n, double a, double b, double step)
{
    for (size_t i = 0; i < n; i++) out[i] = a + (double)i * step;
    /* The last point is b itself when b is on the grid (up to rounding);
     * a single point stays a (range(5, 5 + 1e-10) is {5}: found by
     * tests/fuzz/range.c). */
    double k = (b - a) / step;
    if (n > 1 && fabs(k - (double)(n - 1)) <= range_tolerance(k))
        out[n - 1] = b;
}

/* Sums in the fixed order of src/core/kernel.h: eight chains, combined
 * pairwise; the plain left-to-right sum for n <= 3. */
double array_sum(const double *x, size_t n) { return kernel_sum_best(x, n); }
double array_dot(const double *x, const double *y, size_t n) { return kernel_dot(x, y, n); }

/* min/max: nan propagates, like the arithmetic would. */
double array_min(const double *x, size_t n)
{
    double m = x[0];
    for (size_t i = 1; i < n; i++)
        if (x[i] < m || isnan(x[i])) m = x[i];
    return m;
}

double array_max(const double *x, size_t n)
{
    double m = x[0];
    for (size_t i = 1; i < n; i++)
        if (x[i] > m || isnan(x[i])) m = x[i];
    return m;
}

/* Element-wise loops, two doubles per instruction through kernel.h's Pair
 * (gcc 12 at -O2 leaves these loops scalar: its cheap vectoriser does not
 * version them for out aliasing a). Each element is one IEEE operation
 * either way, so the results are the same bits; where the processor has
 * AVX, src/core/tensor_avx.c does eight elements a step instead. */
static inline void pair_store(double *p, Pair v) { memcpy(p, &v, sizeof v); }

#define PAIRWISE(vexpr, sexpr)                                      \
    do {                                                            \
        size_t i = 0;                                               \
        for (; i + 4 <= n; i += 4) {                                \
            Pair u0, u1;                                            \
            { size_t j = i; u0 = (vexpr); }                         \
            { size_t j = i + 2; u1 = (vexpr); }                     \
            pair_store(out + i, u0);                                \
            pair_store(out + i + 2, u1);                            \
        }                                                           \
        for (; i < n; i++) out[i] = (sexpr);                        \
    } while (0)

#define VA pair_load(a + j)
#define VB pair_load(b + j)

void array_op(ArrayOp op, double *out, const double *a, const double *b, size_t n)
{
    if (n >= 8 && array_op_avx(op, out, a, b, n)) return;
    switch (op) {
    case OP_ADD: PAIRWISE(VA + VB, a[i] + b[i]); break;
    case OP_SUB: PAIRWISE(VA - VB, a[i] - b[i]); break;
    case OP_MUL: PAIRWISE(VA * VB, a[i] * b[i]); break;
    case OP_DIV: PAIRWISE(VA / VB, a[i] / b[i]); break;
    }
}

void array_op_scalar(ArrayOp op, double *out, const double *a, double s, size_t n,
                     int scalar_first)
{
    if (n >= 8 && array_op_scalar_avx(op, out, a, s, n, scalar_first)) return;
    Pair S = pair_of(s);
    switch (op) {
    case OP_ADD: PAIRWISE(VA + S, a[i] + s); break;
    case OP_MUL: PAIRWISE(VA * S, a[i] * s); break;
    case OP_SUB:
        if (scalar_first) PAIRWISE(S - VA, s - a[i]);
        else PAIRWISE(VA - S, a[i] - s);
        break;
    case OP_DIV:
        if (scalar_first) PAIRWISE(S / VA, s / a[i]);
        else PAIRWISE(VA / S, a[i] / s);
        break;
    }
}

#undef VA
#undef VB
#undef PAIRWISE

/* ---- broadcasting ----------------------------------------------------------
 * Each operand is seen as a matrix: a vector of n elements as one row (1 x n),
 * as NumPy does. Along each side the sizes must be equal or one of them 1,
 * which then repeats (stride 0). */

typedef struct Bcast {
    size_t rows, cols, rs, cs;
} Bcast;

static Bcast as_matrix(const Tensor *t)
{
    if (t->ndim == 1) return (Bcast){1, t->rows, 0, t->rs};
    return (Bcast){t->rows, t->cols, t->rs, t->cs};
}

static int fit_side(size_t a, size_t b, size_t *out)
{
    if (a == b || b == 1) *out = a;
    else if (a == 1) *out = b;
    else return 0;
    return 1;
}

Status tensor_broadcast_shape(const Tensor *a, const Tensor *b, int *ndim, size_t *rows,
                              size_t *cols, Err *e)
{
    Bcast x = as_matrix(a), y = as_matrix(b);
    size_t r, c;
    if (!fit_side(x.rows, y.rows, &r) || !fit_side(x.cols, y.cols, &c)) {
        char sa[64], sb[64];
        return err_set(e, ST_EINVAL, "shapes %s and %s do not broadcast (each side must be "
                       "equal, or 1 in one of them; a vector counts as one row)",
                       tensor_shape_text(a, sa, sizeof sa), tensor_shape_text(b, sb, sizeof sb));
    }
    *ndim = a->ndim > b->ndim ? a->ndim : b->ndim;
    *rows = *ndim == 1 ? c : r;
    *cols = *ndim == 1 ? 1 : c;
    return ST_OK;
}

static Bcast stretch(Bcast v, size_t rows, size_t cols)
{
    if (v.rows == 1) v.rs = 0;
    if (v.cols == 1) v.cs = 0;
    v.rows = rows;
    v.cols = cols;
    return v;
}

/* rows_op for rows of up to 8 (a small network's layer, over a batch): a row of 6 is
 * too short for a loop per row, so the whole block is one flat pass, four
 * at a time, against b repeated to a pattern of lcm(cols, 4) values (at
 * most 28). Each element is still a[k] op b[k mod cols]: the same bits. */
typedef double RowV4 __attribute__((vector_size(32)));

static void rows_op_narrow(ArrayOp op, double *out, const double *a, const double *b,
                           size_t rows, size_t cols)
{
    double pat[28];
    size_t period = cols % 4 == 0 ? cols : cols % 2 == 0 ? 2 * cols : 4 * cols;
    for (size_t q = 0; q < period; q++) pat[q] = b[q % cols];
    size_t n = rows * cols, k = 0, j = 0;
#define NARROW(sym)                                                          \
    for (; k + 4 <= n; k += 4) {                                             \
        RowV4 u, v;                                                          \
        memcpy(&u, a + k, sizeof u);                                         \
        memcpy(&v, pat + j, sizeof v);                                       \
        u = u sym v;                                                         \
        memcpy(out + k, &u, sizeof u);                                       \
        j = j + 4 == period ? 0 : j + 4;                                     \
    }                                                                        \
    for (; k < n; k++) out[k] = a[k] sym pat[k % period]
    switch (op) {
    case OP_ADD: NARROW(+); break;
    case OP_SUB: NARROW(-); break;
    case OP_MUL: NARROW(*); break;
    case OP_DIV: NARROW(/); break;
    }
#undef NARROW
}

/* out = a op b, a contiguous rows x cols, b one row repeated over the rows
 * (a layer's bias): the op chosen once, no call per row or element. */
static void rows_op(ArrayOp op, double *out, const double *a, const double *b, size_t rows,
                    size_t cols)
{
    if (cols <= 8 && rows >= 8) {
        rows_op_narrow(op, out, a, b, rows, cols);
        return;
    }
#define ROWS(expr)                                                          \
    for (size_t i = 0; i < rows; i++, a += cols, out += cols)               \
        for (size_t j = 0; j < cols; j++) out[j] = (expr)
    switch (op) {
    case OP_ADD: ROWS(a[j] + b[j]); break;
    case OP_SUB: ROWS(a[j] - b[j]); break;
    case OP_MUL: ROWS(a[j] * b[j]); break;
    case OP_DIV: ROWS(a[j] / b[j]); break;
    }
#undef ROWS
}

void tensor_binary(ArrayOp op, Tensor *out, const Tensor *a, const Tensor *b)
{
    size_t rows = out->ndim == 1 ? 1 : out->rows, cols = out->ndim == 1 ? out->rows : out->cols;
    if (tensor_is_contiguous(a) && tensor_is_contiguous(b) && tensor_numel(a) == tensor_numel(out) &&
        tensor_numel(b) == tensor_numel(out)) {
        array_op(op, out->data, a->data, b->data, tensor_numel(out));
        return;
    }
    Bcast x = stretch(as_matrix(a), rows, cols), y = stretch(as_matrix(b), rows, cols);
    if (tensor_is_contiguous(a) && tensor_numel(a) == rows * cols && y.rs == 0 &&
        (y.cs == 1 || cols == 1)) {
        rows_op(op, out->data, a->data, b->data, rows, cols);
        return;
    }
    for (size_t i = 0; i < rows; i++) {
        const double *ar = a->data + i * x.rs, *br = b->data + i * y.rs;
        double *o = out->data + i * cols;
        if (x.cs == 1 && y.cs == 1) {
            array_op(op, o, ar, br, cols);
        } else if (x.cs == 1 && y.cs == 0) {
            array_op_scalar(op, o, ar, br[0], cols, 0);
        } else if (x.cs == 0 && y.cs == 1) {
            array_op_scalar(op, o, br, ar[0], cols, 1);
        } else {
            for (size_t j = 0; j < cols; j++) {
                double u = ar[j * x.cs], v = br[j * y.cs];
                array_op(op, o + j, &u, &v, 1);
            }
        }
    }
}

void tensor_binary_scalar(ArrayOp op, Tensor *out, const Tensor *a, double s, int scalar_first)
{
    if (tensor_is_contiguous(a)) {
        array_op_scalar(op, out->data, a->data, s, tensor_numel(a), scalar_first);
        return;
    }
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++)
            array_op_scalar(op, out->data + i * a->cols + j, a->data + i * a->rs + j * a->cs, s,
                            1, scalar_first);
}

void tensor_pow_scalar(Tensor *out, const Tensor *a, double p)
{
    size_t k = 0;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++) {
            double x = a->data[i * a->rs + j * a->cs];
            /* x*x is what x^2 means to everyone, and pow may differ by an ulp */
            out->data[k] = p == 2 ? x * x : p == 1 ? x : pow(x, p);
        }
}

size_t array_find_nonfinite(const double *x, size_t n) { return kernel_find_nonfinite(x, n); }
