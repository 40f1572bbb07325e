/* tensor.h: a vector or a matrix of doubles in one contiguous buffer.
 *
 * A vector of n elements has ndim 1, rows n, cols 1. A matrix has ndim 2 and
 * is stored row-major: element (i, j), 0-based, is data[i * cols + j]. The
 * functions over plain arrays (sum, dot, ...) take double * and a count, so
 * the rest of the core can use them on any buffer. */
#ifndef LUAGRAD_TENSOR_H
#define LUAGRAD_TENSOR_H

#include <stddef.h>

#include "core/err.h"

typedef struct Tensor {
    double *data;  /* NULL once released */
    size_t rows, cols;
    int ndim;      /* 1 or 2 */
} Tensor;

/* The most elements a tensor may have (2^40 doubles: 8 TiB). */
#define TENSOR_MAX_NUMEL ((size_t)1 << 40)

static inline size_t tensor_numel(const Tensor *t) { return t->rows * t->cols; }

/* Allocates a zero-filled buffer for ndim, rows, cols (cols is 1 when ndim
 * is 1). On failure t->data stays NULL. */
Status tensor_alloc(Tensor *t, int ndim, size_t rows, size_t cols, Err *e);
void tensor_release(Tensor *t);

/* "[3]" or "[2x4]": a shape as the error messages show it. */
const char *tensor_shape_text(const Tensor *t, char *buf, size_t size);
int tensor_same_shape(const Tensor *a, const Tensor *b);

/* linspace: n >= 1 values from a to b, a + i*(b-a)/(n-1), the last exactly b. */
void tensor_linspace(double *out, size_t n, double a, double b);

/* range: a, a+step, a+2*step, ... computed as a + i*step (never by adding
 * step repeatedly, which accumulates rounding), up to b included when b is
 * within a rounding tolerance of a point of the grid; that last value is
 * then exactly b. range_count says how many values there are. */
Status tensor_range_count(double a, double b, double step, size_t *n, Err *e);
void tensor_range_fill(double *out, size_t n, double a, double b, double step);

/* Reductions over n doubles, summed in the fixed order of src/core/kernel.h
 * (the same on every run and machine). min and max of n = 0 are not
 * defined: callers check. */
double array_sum(const double *x, size_t n);
double array_dot(const double *x, const double *y, size_t n);
double array_min(const double *x, size_t n);
double array_max(const double *x, size_t n);

/* Element-wise arithmetic: out[i] = a[i] op b[i]; with a scalar,
 * out[i] = a[i] op s, or s op a[i] when scalar_first. out may be a or b. */
typedef enum ArrayOp { OP_ADD, OP_SUB, OP_MUL, OP_DIV } ArrayOp;
void array_op(ArrayOp op, double *out, const double *a, const double *b, size_t n);
void array_op_scalar(ArrayOp op, double *out, const double *a, double s, size_t n,
                     int scalar_first);

/* The index of the first element that is inf or nan, or n if none. */
size_t array_find_nonfinite(const double *x, size_t n);

#endif
