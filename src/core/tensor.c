/* tensor.c: see tensor.h. */
#include "core/tensor.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/kernel.h"
#include "core/mem.h"

Status tensor_alloc(Tensor *t, int ndim, size_t rows, size_t cols, Err *e)
{
    t->data = NULL;
    t->ndim = ndim;
    t->rows = rows;
    t->cols = ndim == 1 ? 1 : cols;
    if (t->rows > TENSOR_MAX_NUMEL || t->cols > TENSOR_MAX_NUMEL ||
        (t->cols != 0 && t->rows > TENSOR_MAX_NUMEL / t->cols)) {
        if (ndim == 1)
            return err_set(e, ST_EINVAL, "%zu elements are too many (at most 2^40)", rows);
        return err_set(e, ST_EINVAL, "%zu x %zu elements are too many (at most 2^40 in all, "
                       "and per side)", rows, cols);
    }
    size_t n = tensor_numel(t);
    /* A zero-element tensor still gets a buffer, so data == NULL always
     * means released. */
    t->data = mem_alloc(n ? n * sizeof(double) : 1);
    if (!t->data)
        return err_set(e, ST_ENOMEM, "not enough memory for %zu numbers", n);
    memset(t->data, 0, n * sizeof(double));
    return ST_OK;
}

void tensor_release(Tensor *t)
{
    if (!t->data) return;
    size_t n = tensor_numel(t);
    mem_free(t->data, n ? n * sizeof(double) : 1);
    t->data = NULL;
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
    double whole = floor(k + RANGE_TOLERANCE * (1 + fabs(k)));
    *n = (size_t)(whole < 0 ? 0 : whole) + 1;
    return ST_OK;
}

void tensor_range_fill(double *out, size_t n, double a, double b, double step)
{
    for (size_t i = 0; i < n; i++) out[i] = a + (double)i * step;
    /* The last point is b itself when b is on the grid (up to rounding). */
    double k = (b - a) / step;
    if (n > 0 && fabs(k - (double)(n - 1)) <= RANGE_TOLERANCE * (1 + fabs(k)))
        out[n - 1] = b;
}

/* Sums in the fixed order of src/core/kernel.h: eight chains, combined
 * pairwise; the plain left-to-right sum for n <= 3. */
double array_sum(const double *x, size_t n) { return kernel_sum(x, n); }
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

static inline double apply(ArrayOp op, double x, double y)
{
    switch (op) {
    case OP_ADD: return x + y;
    case OP_SUB: return x - y;
    case OP_MUL: return x * y;
    default: return x / y;
    }
}

void array_op(ArrayOp op, double *out, const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = apply(op, a[i], b[i]);
}

void array_op_scalar(ArrayOp op, double *out, const double *a, double s, size_t n,
                     int scalar_first)
{
    if (scalar_first)
        for (size_t i = 0; i < n; i++) out[i] = apply(op, s, a[i]);
    else
        for (size_t i = 0; i < n; i++) out[i] = apply(op, a[i], s);
}

size_t array_find_nonfinite(const double *x, size_t n) { return kernel_find_nonfinite(x, n); }
