/* tensorops.c: see tensorops.h. */
#include "core/tensorops.h"

#include "core/matmul.h"

#include <math.h>
#include <string.h>

#include "core/expv.h"
#include "core/kernel.h"
#include "core/kernel_avx.h"
#include "core/mem.h"

/* Walks every element of t in row-major order: p is its address. A
 * contiguous tensor is one flat loop, which the compiler vectorises. */
#define EACH_ELEMENT(t, p, body)                                        \
    if (tensor_is_contiguous(t)) {                                      \
        size_t en_ = tensor_numel(t);                                   \
        for (size_t ek_ = 0; ek_ < en_; ek_++) {                         \
            p = (t)->data + ek_;                                        \
            body;                                                       \
        }                                                               \
    } else                                                              \
        for (size_t ei_ = 0; ei_ < (t)->rows; ei_++)                    \
            for (size_t ej_ = 0; ej_ < (t)->cols; ej_++) {               \
                p = (t)->data + ei_ * (t)->rs + ej_ * (t)->cs;           \
                body;                                                   \
            }

/* ---- element-wise ---------------------------------------------------------- */

static double apply(UnaryOp op, double x)
{
    switch (op) {
    case UN_EXP: return exp(x);
    case UN_LOG: return log(x);
    case UN_SQRT: return sqrt(x);
    case UN_ABS: return fabs(x);
    case UN_TANH: return tanh(x);
    case UN_SIGMOID: return expv_sigmoid1(x);
    case UN_RELU: return x > 0 ? x : x == x ? 0.0 : x;
    }
    return x;
}

/* relu over n contiguous values, four at a time (-O2 leaves a loop of
 * unknown count scalar): x where x > 0 or x is nan, else +0, as apply(). */
static void relu_flat(double *out, const double *x, size_t n)
{
    typedef double V4 __attribute__((vector_size(32)));
    typedef long long I4 __attribute__((vector_size(32)));
    const V4 zero = {0, 0, 0, 0};
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        V4 v;
        memcpy(&v, x + k, sizeof v);
        I4 keep = (v > zero) | (v != v);
        v = (V4)((I4)v & keep);
        memcpy(out + k, &v, sizeof v);
    }
    for (; k < n; k++) out[k] = apply(UN_RELU, x[k]);
}

void tensor_unary(UnaryOp op, Tensor *out, const Tensor *a)
{
    /* the sigmoid of a network layer: four at a time (core/expv.h; the
     * same bits as expv_sigmoid1 element by element) */
    if (op == UN_SIGMOID && tensor_is_contiguous(a)) {
        expv_sigmoid(out->data, a->data, tensor_numel(a));
        return;
    }
    if (op == UN_RELU && tensor_is_contiguous(a)) {
        relu_flat(out->data, a->data, tensor_numel(a));
        return;
    }
    double *o = out->data;
    const double *p;
    EACH_ELEMENT(a, p, *o++ = apply(op, *p));
}

void tensor_clamp(Tensor *out, const Tensor *a, double lo, double hi)
{
    double *o = out->data;
    const double *p;
    EACH_ELEMENT(a, p, {
        double x = *p;
        *o++ = x < lo ? lo : x > hi ? hi : x;
    });
}

/* ---- sums in kernel.h's order --------------------------------------------- */

/* Combines eight chains the way kernel_combine does. */
static double combine8(const double c[8])
{
    return ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
}

double strided_sum(const double *x, size_t n, size_t stride)
{
    if (stride == 1) return kernel_sum_best(x, n);
    double c[8] = {0};
    for (size_t i = 0; i < n; i++) c[i % 8] += x[i * stride];
    return combine8(c);
}

/* The sum of (x - m)^2 in the same order. */
static double strided_dev2(const double *x, size_t n, size_t stride, double m)
{
    double c[8] = {0};
    for (size_t i = 0; i < n; i++) {
        double d = x[i * stride] - m;
        c[i % 8] += d * d;
    }
    return combine8(c);
}

/* ---- softmax ------------------------------------------------------------------ */

/* One line: n values of a at stride as, written to out at stride os. */
static void softmax_line(double *o, size_t os, const double *x, size_t xs, size_t n, int take_log)
{
    double m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (x[i * xs] > m || x[i * xs] != x[i * xs]) m = x[i * xs];
    if (isinf(m)) m = 0;  /* all -inf (or +inf in it): let exp say nan/0 */
    for (size_t i = 0; i < n; i++) o[i * os] = exp(x[i * xs] - m);
    double s = strided_sum(o, n, os);
    if (take_log) {
        double ls = log(s);
        for (size_t i = 0; i < n; i++) o[i * os] = x[i * xs] - m - ls;
    } else {
        for (size_t i = 0; i < n; i++) o[i * os] /= s;
    }
}

void tensor_softmax(Tensor *out, const Tensor *a, int dim, int take_log)
{
    if (a->ndim == 1) {
        softmax_line(out->data, 1, a->data, a->rs, a->rows, take_log);
    } else if (dim == 2) {
        for (size_t i = 0; i < a->rows; i++)
            softmax_line(out->data + i * a->cols, 1, a->data + i * a->rs, a->cs, a->cols,
                         take_log);
    } else {
        for (size_t j = 0; j < a->cols; j++)
            softmax_line(out->data + j, a->cols, a->data + j * a->cs, a->rs, a->rows, take_log);
    }
}

/* ---- reductions ------------------------------------------------------------------ */

double tensor_sum_all(const Tensor *a)
{
    if (tensor_is_contiguous(a)) return kernel_sum_best(a->data, tensor_numel(a));
    double c[8] = {0};
    size_t k = 0;
    const double *p;
    EACH_ELEMENT(a, p, c[k++ % 8] += *p);
    return combine8(c);
}

double tensor_var_all(const Tensor *a, int unbiased)
{
    size_t n = tensor_numel(a);
    double m = tensor_sum_all(a) / (double)n;
    double div = (double)(unbiased ? n - 1 : n);
    if (tensor_is_contiguous(a)) return strided_dev2(a->data, n, 1, m) / div;
    /* row-major order over the view, the same chains */
    double c[8] = {0};
    size_t k = 0;
    const double *p;
    EACH_ELEMENT(a, p, {
        double d = *p - m;
        c[k++ % 8] += d * d;
    });
    return combine8(c) / div;
}

/* Column sums of an r x c matrix (of (x - mean[j])^2 when mean is set) into
 * out[0..c-1], in the chains of kernel_sum: row i goes to chain i % 8. The
 * rows are read in storage order, once. acc holds 8*c doubles. */
static void column_sums(double *out, const Tensor *a, const double *mean, double *acc)
{
    size_t c = a->cols;
    memset(acc, 0, 8 * c * sizeof *acc);
    for (size_t i = 0; i < a->rows; i++) {
        double *chain = acc + (i % 8) * c;
        const double *row = a->data + i * a->rs;
        if (mean) {
            for (size_t j = 0; j < c; j++) {
                double d = row[j * a->cs] - mean[j];
                chain[j] += d * d;
            }
        } else {
            for (size_t j = 0; j < c; j++) chain[j] += row[j * a->cs];
        }
    }
    for (size_t j = 0; j < c; j++) {
        double ch[8];
        for (int k = 0; k < 8; k++) ch[k] = acc[k * c + j];
        out[j] = combine8(ch);
    }
}

Status tensor_reduce(ReduceOp op, Tensor *out, const Tensor *a, int dim, int unbiased, Err *e)
{
    /* a vector, or a matrix along a row: one line per output element */
    if (a->ndim == 1 || dim == 2) {
        size_t lines = a->ndim == 1 ? 1 : a->rows, n = a->ndim == 1 ? a->rows : a->cols;
        size_t ls = a->ndim == 1 ? 0 : a->rs, step = a->ndim == 1 ? a->rs : a->cs;
        for (size_t i = 0; i < lines; i++) {
            const double *x = a->data + i * ls;
            double s = strided_sum(x, n, step);
            if (op == RED_MEAN) s /= (double)n;
            if (op == RED_VAR)
                s = strided_dev2(x, n, step, s / (double)n) / (double)(unbiased ? n - 1 : n);
            out->data[i] = s;
        }
        return ST_OK;
    }
    size_t c = a->cols, n = a->rows;
    if (c == 0) return ST_OK;
    double *acc = mem_alloc(8 * c * sizeof *acc);
    if (!acc) return err_set(e, ST_ENOMEM, "not enough memory for the column sums");
    column_sums(out->data, a, NULL, acc);
    if (op != RED_SUM)
        for (size_t j = 0; j < c; j++) out->data[j] /= (double)n;
    if (op == RED_VAR) {
        /* the means, kept aside while the deviations are summed into out */
        double *mean = mem_alloc(c * sizeof *mean);
        if (!mean) {
            mem_free(acc, 8 * c * sizeof *acc);
            return err_set(e, ST_ENOMEM, "not enough memory for the column means");
        }
        memcpy(mean, out->data, c * sizeof *mean);
        column_sums(out->data, a, mean, acc);
        for (size_t j = 0; j < c; j++) out->data[j] /= (double)(unbiased ? n - 1 : n);
        mem_free(mean, c * sizeof *mean);
    }
    mem_free(acc, 8 * c * sizeof *acc);
    return ST_OK;
}

/* Is x a new extreme against the best so far? nan wins once and stays. */
static int better(double x, double best, int want_min)
{
    if (best != best) return 0;
    if (x != x) return 1;
    return want_min ? x < best : x > best;
}

void tensor_extreme(Tensor *vals, Tensor *idx, const Tensor *a, int dim, int want_min)
{
    if (a->ndim == 1 || dim == 2) {
        size_t lines = a->ndim == 1 ? 1 : a->rows, n = a->ndim == 1 ? a->rows : a->cols;
        size_t ls = a->ndim == 1 ? 0 : a->rs, step = a->ndim == 1 ? a->rs : a->cs;
        for (size_t i = 0; i < lines; i++) {
            const double *x = a->data + i * ls;
            size_t at = 0;
            for (size_t k = 1; k < n; k++)
                if (better(x[k * step], x[at * step], want_min)) at = k;
            vals->data[i] = x[at * step];
            idx->data[i] = (double)(at + 1);
        }
        return;
    }
    /* down the columns, reading the rows in storage order */
    for (size_t j = 0; j < a->cols; j++) {
        vals->data[j] = a->data[j * a->cs];
        idx->data[j] = 1;
    }
    for (size_t i = 1; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++) {
            double x = a->data[i * a->rs + j * a->cs];
            if (better(x, vals->data[j], want_min)) {
                vals->data[j] = x;
                idx->data[j] = (double)(i + 1);
            }
        }
}

size_t tensor_argextreme_all(const Tensor *a, int want_min)
{
    size_t k = 0, at = 0;
    double best = a->data[0];
    const double *p;
    EACH_ELEMENT(a, p, {
        if (k > 0 && better(*p, best, want_min)) {
            best = *p;
            at = k;
        }
        k++;
    });
    return at;
}

/* ---- broadcasting walks --------------------------------------------------------- */

/* t seen as a matrix (a vector as one row), with strides for walking a
 * rows x cols result: 0 along a side of size 1, which repeats. */
typedef struct Walk {
    const double *p;
    size_t rs, cs;
} Walk;

static Walk walk_of(const Tensor *t)
{
    size_t r = t->ndim == 1 ? 1 : t->rows, c = t->ndim == 1 ? t->rows : t->cols;
    size_t rs = t->ndim == 1 ? 0 : t->rs, cs = t->ndim == 1 ? t->rs : t->cs;
    return (Walk){t->data, r == 1 ? 0 : rs, c == 1 ? 0 : cs};
}

/* The result's sides as a matrix. */
static void sides(const Tensor *t, size_t *rows, size_t *cols)
{
    *rows = t->ndim == 1 ? 1 : t->rows;
    *cols = t->ndim == 1 ? t->rows : t->cols;
}

static double compare(CmpOp op, double x, double y)
{
    switch (op) {
    case CMP_GT: return x > y;
    case CMP_LT: return x < y;
    case CMP_GE: return x >= y;
    case CMP_LE: return x <= y;
    case CMP_EQ: return x == y;
    case CMP_NE: return x != y;
    }
    return 0;
}

void tensor_compare(CmpOp op, Tensor *out, const Tensor *a, const Tensor *b)
{
    size_t rows, cols;
    sides(out, &rows, &cols);
    Walk x = walk_of(a), y = walk_of(b);
    double *o = out->data;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            *o++ = compare(op, x.p[i * x.rs + j * x.cs], y.p[i * y.rs + j * y.cs]);
}

void tensor_compare_scalar(CmpOp op, Tensor *out, const Tensor *a, double s)
{
    double *o = out->data;
    const double *p;
    EACH_ELEMENT(a, p, *o++ = compare(op, *p, s));
}

/* ---- in place ------------------------------------------------------------------- */

void tensor_inplace(ArrayOp op, Tensor *t, const Tensor *u, double alpha)
{
    if (tensor_is_contiguous(t) && tensor_is_contiguous(u) &&
        tensor_numel(t) == tensor_numel(u)) {
        size_t n = tensor_numel(t);
        double *d = t->data;
        const double *v = u->data;
        switch (op) {
        case OP_ADD: for (size_t i = 0; i < n; i++) d[i] = d[i] + alpha * v[i]; break;
        case OP_SUB: for (size_t i = 0; i < n; i++) d[i] = d[i] - alpha * v[i]; break;
        case OP_MUL: for (size_t i = 0; i < n; i++) d[i] = d[i] * v[i]; break;
        case OP_DIV: for (size_t i = 0; i < n; i++) d[i] = d[i] / v[i]; break;
        }
        return;
    }
    size_t rows, cols;
    sides(t, &rows, &cols);
    Walk dst = walk_of(t), src = walk_of(u);
    double *d = t->data;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) {
            double *p = d + i * dst.rs + j * dst.cs;
            double v = src.p[i * src.rs + j * src.cs];
            switch (op) {
            case OP_ADD: *p = *p + alpha * v; break;
            case OP_SUB: *p = *p - alpha * v; break;
            case OP_MUL: *p = *p * v; break;
            case OP_DIV: *p = *p / v; break;
            }
        }
}

void tensor_inplace_scalar(ArrayOp op, Tensor *t, double s)
{
    double *p;
    switch (op) {
    case OP_ADD: EACH_ELEMENT(t, p, *p = *p + s); break;
    case OP_SUB: EACH_ELEMENT(t, p, *p = *p - s); break;
    case OP_MUL: EACH_ELEMENT(t, p, *p = *p * s); break;
    case OP_DIV: EACH_ELEMENT(t, p, *p = *p / s); break;
    }
}

void tensor_fill(Tensor *t, double v)
{
    double *p;
    EACH_ELEMENT(t, p, *p = v);
}

/* The last element's offset + 1: the view lies within data[0 .. span). */
static size_t span(const Tensor *t)
{
    if (tensor_numel(t) == 0) return 0;
    return (t->rows - 1) * t->rs + (t->cols - 1) * t->cs + 1;
}

int tensor_overlap(const Tensor *a, const Tensor *b)
{
    if (a->st != b->st || tensor_numel(a) == 0 || tensor_numel(b) == 0) return 0;
    const double *a0 = a->data, *a1 = a->data + span(a);
    const double *b0 = b->data, *b1 = b->data + span(b);
    return a0 < b1 && b0 < a1;
}

/* ---- products and joins ------------------------------------------------------------ */

Status tensor_matmul(Tensor *out, const Tensor *a, const Tensor *b, Err *e)
{
    /* the blocked kernel of core/matmul.c, in plain k order */
    return matmul(a->rows, a->cols, b->cols, a->data, a->rs, a->cs, b->data, b->rs, b->cs,
                  out->data, b->cols, MATMUL_SET, e);
}

Tensor tensor_as_row(const Tensor *v)
{
    Tensor r = *v;
    r.ndim = 2;
    r.rows = 1;
    r.cols = v->rows;
    r.cs = v->rs;
    r.rs = v->rows * v->rs;
    return r;
}

Tensor tensor_as_col(const Tensor *v)
{
    Tensor c = *v;
    c.ndim = 2;
    c.cols = 1;
    c.cs = 1;
    return c;
}

void tensor_place(Tensor *out, size_t r0, size_t c0, const Tensor *src, int as_col)
{
    Tensor s = src->ndim == 2 ? *src : as_col ? tensor_as_col(src) : tensor_as_row(src);
    size_t oc = out->ndim == 1 ? 1 : out->cols;
    for (size_t i = 0; i < s.rows; i++)
        for (size_t j = 0; j < s.cols; j++) {
            double v = s.data[i * s.rs + j * s.cs];
            if (out->ndim == 1) out->data[c0 + j] = v;  /* vectors joined end to end */
            else out->data[(r0 + i) * oc + c0 + j] = v;
        }
}

void tensor_index_rows(Tensor *out, const Tensor *a, const size_t *index, size_t n)
{
    if (a->ndim == 1) {
        for (size_t i = 0; i < n; i++) out->data[i] = a->data[index[i] * a->rs];
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const double *row = a->data + index[i] * a->rs;
        double *o = out->data + i * a->cols;
        if (a->cs == 1) memcpy(o, row, a->cols * sizeof *o);
        else
            for (size_t j = 0; j < a->cols; j++) o[j] = row[j * a->cs];
    }
}
