/* backward.c: see backward.h. One function per operation; each says the
 * shapes it works on. Every gradient is ADDED (+=) into ga and gb, so a
 * tensor used twice gets the sum of both shares.
 *
 * Element (i, j) of a tensor t is t->data[i*rs + j*cs]; a vector has cols 1,
 * so the same loops serve it with j = 0. g, ga and gb are contiguous:
 * element (i, j) is at [i*cols + j]. The order of the floating-point
 * operations follows PyTorch's backward formulas (noted on each), so that
 * gradients agree with PyTorch's in float64. */
#include "core/backward.h"

#include "core/matmul.h"

#include <math.h>
#include <string.h>

/* Four doubles at a time (GCC's vector extension: AVX where the build
 * has it, else two SSE2 pairs). -O2 does not vectorise a loop whose
 * count is unknown, so the flat loops below are written with it; each
 * lane does the same operations as the one-value tail. */
#define EACH4(k, n) for (; (k) + 4 <= (n); (k) += 4)
typedef double V4 __attribute__((vector_size(32)));
typedef long long I4 __attribute__((vector_size(32)));

#define v4_load(p) __extension__({ V4 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define v4_store(p, v) do { V4 w_ = (v); memcpy((p), &w_, sizeof w_); } while (0)


static inline double at(const Tensor *t, size_t i, size_t j)
{
    return t->data[i * t->rs + j * t->cs];
}

/* ---- broadcasting ----------------------------------------------------------
 * For + - * /, an operand is seen as a matrix, a vector as one row (1 x n),
 * and a side of size 1 repeats over the output's side (stride 0). The
 * gradient of a repeated operand is the sum over the repeats: a bias row
 * broadcast over a batch gets the column sums of g. */

typedef struct Strides {
    size_t rs, cs;
} Strides;

/* Strides over the output's R x C grid into t's elements. */
static Strides spread(const Tensor *t)
{
    size_t rows = t->ndim == 1 ? 1 : t->rows, cols = t->ndim == 1 ? t->rows : t->cols;
    size_t rs = t->ndim == 1 ? 0 : t->rs, cs = t->ndim == 1 ? t->rs : t->cs;
    return (Strides){rows == 1 ? 0 : rs, cols == 1 ? 0 : cs};
}

/* The same into a contiguous gradient of t's shape. */
static Strides spread_grad(const Tensor *t)
{
    size_t rows = t->ndim == 1 ? 1 : t->rows, cols = t->ndim == 1 ? t->rows : t->cols;
    return (Strides){rows == 1 ? 0 : cols, cols == 1 ? 0 : 1};
}

/* dst (a contiguous gradient, seen through t) += sign * g (R x C). The
 * common cases get plain loops the compiler vectorises: an operand of the
 * output's shape (one flat pass) and a row broadcast over the rows (a
 * bias: each column summed over the rows in row order, as below). */
/* Does add_spread take one of its first two paths, the ones that can also
 * write a gradient that holds nothing yet (set)? */
static int spread_writes(Strides t, size_t R, size_t C)
{
    size_t cs = C == 1 ? 1 : t.cs, rs = R == 1 ? C : t.rs;
    return (rs == C && cs == 1) || (t.rs == 0 && cs == 1 && C <= 8);
}

/* set (only where spread_writes): dst holds nothing yet, and gets what
 * adding into zeros would give: 0 + share (+0 where the share is -0). */
static void add_spread(double *dst, Strides t, const double *g, size_t R, size_t C, int neg,
                       int set)
{
    /* a side of length 1 has stride 0 (spread_grad): the same layout */
    size_t cs = C == 1 ? 1 : t.cs, rs = R == 1 ? C : t.rs;
    if (rs == C && cs == 1 && set) {
        size_t n = R * C, k = 0;
        const V4 zero = {0, 0, 0, 0};
        if (neg) {
            EACH4(k, n) v4_store(dst + k, zero - v4_load(g + k));
            for (; k < n; k++) dst[k] = 0.0 + -g[k];
        } else {
            EACH4(k, n) v4_store(dst + k, zero + v4_load(g + k));
            for (; k < n; k++) dst[k] = 0.0 + g[k];
        }
    } else if (rs == C && cs == 1) {
        size_t n = R * C, k = 0;
        /* d + -g is d - g exactly */
        if (neg) {
            EACH4(k, n) v4_store(dst + k, v4_load(dst + k) - v4_load(g + k));
            for (; k < n; k++) dst[k] += -g[k];
        } else {
            EACH4(k, n) v4_store(dst + k, v4_load(dst + k) + v4_load(g + k));
            for (; k < n; k++) dst[k] += g[k];
        }
    } else if (t.rs == 0 && cs == 1 && C <= 8) {
        /* up to 8 columns: each column's sum in a register of its own, a
         * row at a time, so the columns' chains of additions overlap */
        double start[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        if (!set) memcpy(start, dst, C * sizeof *dst);
        double sg = neg ? -1.0 : 1.0;  /* -g is g * -1 exactly */
        /* the column sums as lanes of two vectors, a row at a time: each
         * lane the same additions in the same order as the scalar loop
         * below. A row's load reads up to 7 values past it, so the last
         * rows (within 8 values of the end) are left to that loop. */
        size_t i = 0, vec_rows = R * C >= 8 ? (R * C - 8) / C + 1 : 0;
        if (vec_rows > R) vec_rows = R;
        V4 lo = v4_load(start), hi = v4_load(start + 4);
        if (C <= 4) {
            for (; i < vec_rows; i++) lo = lo + sg * v4_load(g + i * C);
        } else {
            for (; i < vec_rows; i++) {
                lo = lo + sg * v4_load(g + i * C);
                hi = hi + sg * v4_load(g + i * C + 4);
            }
        }
        v4_store(start, lo);
        v4_store(start + 4, hi);
        double s0 = start[0], s1 = start[1], s2 = start[2], s3 = start[3];
        double s4 = start[4], s5 = start[5], s6 = start[6], s7 = start[7];
        for (; i < R; i++) {
            const double *gi = g + i * C;
            switch (C) {
            case 8: s7 += sg * gi[7]; /* fall through */
            case 7: s6 += sg * gi[6]; /* fall through */
            case 6: s5 += sg * gi[5]; /* fall through */
            case 5: s4 += sg * gi[4]; /* fall through */
            case 4: s3 += sg * gi[3]; /* fall through */
            case 3: s2 += sg * gi[2]; /* fall through */
            case 2: s1 += sg * gi[1]; /* fall through */
            default: s0 += sg * gi[0];
            }
        }
        double sums[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
        memcpy(dst, sums, C * sizeof *dst);
    } else if (t.rs == 0 && cs == 1) {
        for (size_t i = 0; i < R; i++) {
            const double *gi = g + i * C;
            if (neg) for (size_t j = 0; j < C; j++) dst[j] += -gi[j];
            else for (size_t j = 0; j < C; j++) dst[j] += gi[j];
        }
    } else {
        for (size_t i = 0; i < R; i++)
            for (size_t j = 0; j < C; j++) {
                double gv = g[i * C + j];
                dst[i * t.rs + j * t.cs] += neg ? -gv : gv;
            }
    }
}

/* out = a op b, out R x C (a vector out is 1 x n), a and b broadcast.
 * PyTorch: add: g, g; sub: g, -g; mul: g*b, g*a; div: g/b, -g*((a/b)/b). */
static void bw_arith(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a,
                     const Tensor *b, Tensor *ga, Tensor *gb, int seta, int setb)
{
    size_t R = out->ndim == 1 ? 1 : out->rows, C = out->ndim == 1 ? out->rows : out->cols;
    Strides sa = spread(a), sb = spread(b), ta = spread_grad(a), tb = spread_grad(b);
    if (op == AG_ADD || op == AG_SUB) {
        if (ga) add_spread(ga->data, ta, g->data, R, C, 0, seta);
        if (gb) add_spread(gb->data, tb, g->data, R, C, op == AG_SUB, setb);
        return;
    }
    for (size_t i = 0; i < R; i++)
        for (size_t j = 0; j < C; j++) {
            double gv = g->data[i * C + j];
            double av = a->data[i * sa.rs + j * sa.cs], bv = b->data[i * sb.rs + j * sb.cs];
            double da, db;
            if (op == AG_MUL) da = gv * bv, db = gv * av;
            else da = gv / bv, db = -gv * ((av / bv) / bv);
            if (ga) ga->data[i * ta.rs + j * ta.cs] += da;
            if (gb) gb->data[i * tb.rs + j * tb.cs] += db;
        }
}

/* out = a op s, or s op a when aux->scalar_first; out and a of one shape. */
static void bw_arith_scalar(AgOp op, const Tensor *g, const Tensor *a, const AgAux *aux,
                            Tensor *ga)
{
    double s = aux->scalar;
    int first = aux->scalar_first;
    size_t k = 0;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++) {
            double gv = g->data[k], d;
            switch (op) {
            case AG_ADD: d = gv; break;
            case AG_SUB: d = first ? -gv : gv; break;
            case AG_MUL: d = gv * s; break;
            default: {
                double av = at(a, i, j);
                d = first ? -gv * ((s / av) / av) : gv / s;
            }
            }
            ga->data[k] += d;
        }
}

/* ---- element-wise functions: out and a of one shape ----------------------- */

/* d(out)/d(a) times g for out = f(a), as PyTorch writes each. */
static double elementwise(AgOp op, double gv, double x, double y, const AgAux *aux)
{
    switch (op) {
    case AG_NEG: return -gv;
    case AG_POW: {
        double p = aux->scalar;
        if (p == 0) return 0;  /* PyTorch: zeros, even at x = 0 */
        double xp = p - 1 == 1 ? x : p - 1 == 0 ? 1 : pow(x, p - 1);
        return gv * (p * xp);
    }
    case AG_EXP: return gv * y;
    case AG_LOG: return gv / x;
    case AG_SQRT: return gv / (2 * y);
    case AG_ABS: return gv * (x > 0 ? 1 : x < 0 ? -1 : 0);
    case AG_TANH: return gv * (1 - y * y);
    case AG_SIGMOID: return gv * (1 - y) * y;
    case AG_RELU: return x > 0 ? gv : 0;  /* 0 at x <= 0, as PyTorch */
    case AG_CLAMP: return x >= aux->scalar && x <= aux->scalar2 ? gv : 0;
    default: return 0;
    }
}

/* out = f(a), a r x c (or a vector), out the same shape. */
static void bw_elementwise(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a,
                           const AgAux *aux, Tensor *ga, int set)
{
    /* the activations of networks, on contiguous tensors: one plain loop
     * each, the same arithmetic as elementwise() */
    if (tensor_is_contiguous(a) && tensor_is_contiguous(out)) {
        size_t n = tensor_numel(a);
        const double *gv = g->data, *x = a->data, *y = out->data;
        double *d = ga->data;
        size_t k = 0;
        const V4 one = {1, 1, 1, 1}, zero = {0, 0, 0, 0};
        /* set: d holds nothing yet; 0 + share, what adding into zeros gives */
#define BASE4(k) (set ? zero : v4_load(d + (k)))
#define BASE1(k) (set ? 0.0 : d[k])
        switch (op) {
        case AG_SIGMOID:
            EACH4(k, n) {
                V4 yv = v4_load(y + k);
                v4_store(d + k, BASE4(k) + v4_load(gv + k) * (one - yv) * yv);
            }
            for (; k < n; k++) d[k] = BASE1(k) + gv[k] * (1 - y[k]) * y[k];
            return;
        case AG_TANH:
            EACH4(k, n) {
                V4 yv = v4_load(y + k);
                v4_store(d + k, BASE4(k) + v4_load(gv + k) * (one - yv * yv));
            }
            for (; k < n; k++) d[k] = BASE1(k) + gv[k] * (1 - y[k] * y[k]);
            return;
        case AG_RELU:
            /* g where x > 0, else +0: the mask picks g's bits or zero's */
            EACH4(k, n) {
                I4 pos = v4_load(x + k) > zero;
                V4 pick = (V4)(pos & (I4)v4_load(gv + k));
                v4_store(d + k, BASE4(k) + pick);
            }
            for (; k < n; k++) d[k] = BASE1(k) + (x[k] > 0 ? gv[k] : 0);
            return;
        default: break;
        }
#undef BASE4
#undef BASE1
    }
    if (set) memset(ga->data, 0, tensor_numel(ga) * sizeof(double));
    size_t k = 0;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++)
            ga->data[k] += elementwise(op, g->data[k], at(a, i, j), at(out, i, j), aux);
}

/* ---- softmax along a dimension ---------------------------------------------
 * a r x c; dim 1: each column is one distribution, dim 2: each row (a
 * vector: dim 1, the whole vector). out = softmax(a) or log_softmax(a).
 * PyTorch: softmax: y * (g - sum(g*y)); log_softmax: g - exp(y) * sum(g). */
static void bw_softmax(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a, int dim,
                       Tensor *ga)
{
    size_t rows = a->rows, cols = a->cols;
    size_t nslice = dim == 1 ? cols : rows, len = dim == 1 ? rows : cols;
    for (size_t s = 0; s < nslice; s++) {
        double sum = 0;
        for (size_t k = 0; k < len; k++) {
            size_t i = dim == 1 ? k : s, j = dim == 1 ? s : k;
            double gv = g->data[i * cols + j];
            sum += op == AG_SOFTMAX ? gv * at(out, i, j) : gv;
        }
        for (size_t k = 0; k < len; k++) {
            size_t i = dim == 1 ? k : s, j = dim == 1 ? s : k;
            double gv = g->data[i * cols + j], y = at(out, i, j);
            ga->data[i * cols + j] += op == AG_SOFTMAX ? y * (gv - sum) : gv - exp(y) * sum;
        }
    }
}

/* ---- reductions ------------------------------------------------------------
 * a r x c (a vector: r x 1). dim 0: out has 1 element; dim 1: out has c
 * (column sums); dim 2: out has r (row sums). mean divides by the count. */
static void bw_sum(AgOp op, const Tensor *g, const Tensor *a, int dim, Tensor *ga)
{
    size_t rows = a->rows, cols = a->cols;
    double n = dim == 0 ? (double)(rows * cols) : dim == 1 ? (double)rows : (double)cols;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double gv = g->data[dim == 0 ? 0 : dim == 1 ? j : i];
            ga->data[i * cols + j] += op == AG_MEAN ? gv / n : gv;
        }
}

/* ---- matmul ----------------------------------------------------------------
 * A (m x k) times B (k x n) is G (m x n): gA = G B^T, gB = A^T G. A vector
 * on the left is 1 x k, on the right k x 1; the result's shape (matrix,
 * vector or [1]) is m x n read row-major, and so are the gradients. */
static Status bw_matmul(const Tensor *g, const Tensor *a, const Tensor *b, Tensor *ga,
                        Tensor *gb, int seta, int setb, Err *e)
{
    size_t m = a->ndim == 1 ? 1 : a->rows, k = a->ndim == 1 ? a->rows : a->cols;
    size_t ars = a->ndim == 1 ? 0 : a->rs, acs = a->ndim == 1 ? a->rs : a->cs;
    size_t n = b->ndim == 1 ? 1 : b->cols;
    size_t brs = b->rs, bcs = b->ndim == 1 ? 0 : b->cs;
    /* the blocked kernel, the transposes as strides: gA (m x k) += G B^T,
     * gB (k x n) += A^T G (MATMUL_SET into a gradient that holds nothing yet: its sums start
     * at 0, the bits of adding into zeros) */
    MatmulMode ma = seta ? MATMUL_SET : MATMUL_ADD, mb = setb ? MATMUL_SET : MATMUL_ADD;
    if (ga && matmul(m, n, k, g->data, n, 1, b->data, bcs, brs, ga->data, k, ma, e) != ST_OK)
        return ST_ENOMEM;
    if (gb && matmul(k, m, n, a->data, acs, ars, g->data, n, 1, gb->data, n, mb, e) != ST_OK)
        return ST_ENOMEM;
    return ST_OK;
}

/* ---- views and copies --------------------------------------------------- */

/* out = a^T: a r x c, out c x r (a vector is its own transpose). */
static void bw_t(const Tensor *g, const Tensor *a, Tensor *ga)
{
    size_t rows = a->rows, cols = a->cols;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            ga->data[i * cols + j] += a->ndim == 1 ? g->data[i] : g->data[j * rows + i];
}

/* out = rows (dim 1) or columns (dim 2) start .. start+len-1 of a (r x c):
 * g is len x c or r x len row-major (t:row and t:col give vectors, the
 * same elements in the same order). */
static void bw_narrow(const Tensor *g, const Tensor *a, const AgAux *aux, Tensor *ga)
{
    size_t cols = a->cols, len = aux->len, s = aux->start;
    if (aux->dim == 1) {
        for (size_t i = 0; i < len; i++)
            for (size_t j = 0; j < cols; j++) ga->data[(s + i) * cols + j] += g->data[i * cols + j];
    } else {
        for (size_t i = 0; i < a->rows; i++)
            for (size_t j = 0; j < len; j++) ga->data[i * cols + s + j] += g->data[i * len + j];
    }
}

/* out has a's elements in row-major order (reshape, clone, contiguous). */
static void bw_reshape(const Tensor *g, Tensor *ga)
{
    size_t n = tensor_numel(ga);
    for (size_t k = 0; k < n; k++) ga->data[k] += g->data[k];
}

/* out = rows index[0..nindex-1] of a (r x c; of a vector, elements): g is
 * nindex x c. A row taken twice gets both shares. */
static void bw_index(const Tensor *g, const Tensor *a, const AgAux *aux, Tensor *ga)
{
    size_t cols = a->cols;
    for (size_t r = 0; r < aux->nindex; r++)
        for (size_t j = 0; j < cols; j++) ga->data[aux->index[r] * cols + j] += g->data[r * cols + j];
}

/* out = a (ra x ca) joined with b: under it (dim 1, g is (ra + rb) x ca) or
 * beside it (dim 2, g is ra x (ca + cb)). Each gets its own part of g. */
static void bw_cat(const Tensor *g, const Tensor *a, const Tensor *b, const AgAux *aux,
                   Tensor *ga, Tensor *gb)
{
    size_t ac = a->cols, bc = b->cols, gc = aux->dim == 1 ? ac : ac + bc;
    size_t b_row0 = aux->dim == 1 ? a->rows : 0, b_col0 = aux->dim == 1 ? 0 : ac;
    for (size_t i = 0; ga && i < a->rows; i++)
        for (size_t j = 0; j < ac; j++) ga->data[i * ac + j] += g->data[i * gc + j];
    for (size_t i = 0; gb && i < b->rows; i++)
        for (size_t j = 0; j < bc; j++) gb->data[i * bc + j] += g->data[(b_row0 + i) * gc + b_col0 + j];
}

/* Element k (row-major) of t, whatever its strides. */
static inline double flat_at(const Tensor *t, size_t k)
{
    return at(t, k / t->cols, k % t->cols);
}

/* out = a . b over row-major k. PyTorch: g * b, g * a. */
static void bw_dot(const Tensor *g, const Tensor *a, const Tensor *b, Tensor *ga, Tensor *gb)
{
    size_t n = tensor_numel(a);
    double gv = g->data[0];
    for (size_t k = 0; ga && k < n; k++) ga->data[k] += gv * flat_at(b, k);
    for (size_t k = 0; gb && k < n; k++) gb->data[k] += gv * flat_at(a, k);
}

/* out = the variance of a along dim (shapes as bw_sum), divided by
 * aux->scalar. PyTorch: (2 / divisor) * g * (a - mean). */
static void bw_var(const Tensor *g, const Tensor *a, const AgAux *aux, Tensor *ga)
{
    size_t rows = a->rows, cols = a->cols, dim = (size_t)aux->dim;
    size_t lines = dim == 0 ? 1 : dim == 1 ? cols : rows;
    size_t count = dim == 0 ? rows * cols : dim == 1 ? rows : cols;
    double two_over = 2.0 / aux->scalar;
    for (size_t l = 0; l < lines; l++) {
        /* the elements of line l: all (dim 0), column l (dim 1) or row l (dim 2) */
        double sum = 0;
        for (size_t k = 0; k < count; k++)
            sum += dim == 0 ? flat_at(a, k) : dim == 1 ? at(a, k, l) : at(a, l, k);
        double mean = sum / (double)count, gv = g->data[l];
        for (size_t k = 0; k < count; k++) {
            size_t i = dim == 0 ? k / cols : dim == 1 ? k : l, j = dim == 0 ? k % cols : dim == 1 ? l : k;
            ga->data[i * cols + j] += two_over * gv * (at(a, i, j) - mean);
        }
    }
}

/* ---- losses: out has 1 element, aux->scalar is the reduction's divisor ---- */

/* mse: a, b of one shape. PyTorch: (2/n) * (a - b) * g. */
static void bw_mse(const Tensor *g, const Tensor *a, const Tensor *b, const AgAux *aux,
                   Tensor *ga, Tensor *gb)
{
    double norm = 2 / aux->scalar, g0 = g->data[0];
    size_t k = 0;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++) {
            double d = norm * (at(a, i, j) - at(b, i, j)) * g0;
            if (ga) ga->data[k] += d;
            if (gb) gb->data[k] += -d;
        }
}

/* bce: a probabilities, b targets, one shape. PyTorch:
 * g * (a - b) / max((1 - a) * a, 1e-12), divided by n for the mean. */
static void bw_bce(const Tensor *g, const Tensor *a, const Tensor *b, const AgAux *aux,
                   Tensor *ga, int set)
{
    double g0 = g->data[0];
    size_t k = 0;
    if (tensor_is_contiguous(a) && tensor_is_contiguous(b)) {
        /* a network's output: four at a time, each lane as the loop below */
        size_t n = tensor_numel(a);
        const double *xp = a->data, *yp = b->data;
        double *d = ga->data;
        const V4 one = {1, 1, 1, 1}, zero = {0, 0, 0, 0}, tiny = {1e-12, 1e-12, 1e-12, 1e-12};
        EACH4(k, n) {
            V4 x = v4_load(xp + k), y = v4_load(yp + k), w = (one - x) * x;
            V4 floor_w = (V4)(((I4)(w > tiny) & (I4)w) | (~(I4)(w > tiny) & (I4)tiny));
            v4_store(d + k, (set ? zero : v4_load(d + k)) + g0 * (x - y) / floor_w / aux->scalar);
        }
        for (; k < n; k++) {
            double x = xp[k], y = yp[k], w = (1 - x) * x;
            d[k] = (set ? 0.0 : d[k]) + g0 * (x - y) / (w > 1e-12 ? w : 1e-12) / aux->scalar;
        }
        return;
    }
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++) {
            double x = at(a, i, j), y = at(b, i, j), w = (1 - x) * x;
            /* set: ga holds nothing yet; 0 + share, as adding into zeros */
            ga->data[k] = (set ? 0.0 : ga->data[k]) +
                          g0 * (x - y) / (w > 1e-12 ? w : 1e-12) / aux->scalar;
        }
}

/* nll: a n x C log-probabilities (a vector: one sample), row i's class
 * aux->index[i]: d/d a[i][c_i] = -g / divisor. */
static void bw_nll(const Tensor *g, const Tensor *a, const AgAux *aux, Tensor *ga)
{
    size_t C = a->ndim == 1 ? a->rows : a->cols;
    for (size_t i = 0; i < aux->nindex; i++) ga->data[i * C + aux->index[i]] += -g->data[0] / aux->scalar;
}

/* Can the step write input i's gradient whole (i 0: a, 1: b), so that a
 * new one need not be zeroed first? */
static int writes_whole(AgOp op, const Tensor *out, const Tensor *a, const Tensor *b, int i)
{
    switch (op) {
    case AG_ADD: case AG_SUB: {
        if (!b) return 0;
        size_t R = out->ndim == 1 ? 1 : out->rows, C = out->ndim == 1 ? out->rows : out->cols;
        return spread_writes(spread_grad(i == 0 ? a : b), R, C);
    }
    case AG_SIGMOID: case AG_TANH: case AG_RELU: case AG_BCE:
        return i == 0;
    case AG_MATMUL:
        return 1;
    default:
        return 0;
    }
}

Status backward_op_fresh(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a,
                         const Tensor *b, const AgAux *aux, Tensor *ga, Tensor *gb, int fresh,
                         Err *e)
{
    int sa = ga && (fresh & BW_FRESH_A), sb = gb && (fresh & BW_FRESH_B);
    /* one buffer for both inputs (x * x): zeroed, then both shares added */
    if (ga && ga == gb && (sa || sb)) {
        memset(ga->data, 0, tensor_numel(ga) * sizeof(double));
        sa = sb = 0;
    }
    if (sa && !writes_whole(op, out, a, b, 0)) {
        memset(ga->data, 0, tensor_numel(ga) * sizeof(double));
        sa = 0;
    }
    if (sb && !writes_whole(op, out, a, b, 1)) {
        memset(gb->data, 0, tensor_numel(gb) * sizeof(double));
        sb = 0;
    }
    switch (op) {
    case AG_ADD: case AG_SUB: case AG_MUL: case AG_DIV:
        if (b) bw_arith(op, g, out, a, b, ga, gb, sa, sb);
        else if (ga) bw_arith_scalar(op, g, a, aux, ga);
        break;
    case AG_NEG: case AG_POW: case AG_EXP: case AG_LOG: case AG_SQRT: case AG_ABS:
    case AG_TANH: case AG_SIGMOID: case AG_RELU: case AG_CLAMP:
        if (ga) bw_elementwise(op, g, out, a, aux, ga, sa);
        break;
    case AG_MATMUL: return bw_matmul(g, a, b, ga, gb, sa, sb, e);
    case AG_SOFTMAX: case AG_LOG_SOFTMAX:
        if (ga) bw_softmax(op, g, out, a, aux->dim, ga);
        break;
    case AG_SUM: case AG_MEAN:
        if (ga) bw_sum(op, g, a, aux->dim, ga);
        break;
    case AG_T: if (ga) bw_t(g, a, ga); break;
    case AG_NARROW: if (ga) bw_narrow(g, a, aux, ga); break;
    case AG_RESHAPE: if (ga) bw_reshape(g, ga); break;
    case AG_INDEX: if (ga) bw_index(g, a, aux, ga); break;
    case AG_CAT: bw_cat(g, a, b, aux, ga, gb); break;
    case AG_DOT: bw_dot(g, a, b, ga, gb); break;
    case AG_VAR: if (ga) bw_var(g, a, aux, ga); break;
    case AG_MSE: bw_mse(g, a, b, aux, ga, gb); break;
    case AG_BCE: if (ga) bw_bce(g, a, b, aux, ga, sa); break;
    case AG_NLL: if (ga) bw_nll(g, a, aux, ga); break;
    case AG_NOPS: break;
    }
    return ST_OK;
}

Status backward_op(AgOp op, const Tensor *g, const Tensor *out, const Tensor *a, const Tensor *b,
                   const AgAux *aux, Tensor *ga, Tensor *gb, Err *e)
{
    return backward_op_fresh(op, g, out, a, b, aux, ga, gb, 0, e);
}
