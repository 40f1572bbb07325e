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

typedef struct Storage {
    double *data;
    size_t size;   /* doubles */
    long refs;     /* tensors viewing it */
    int small;     /* one allocation with its first tensor (tensor_new) */
} Storage;

struct Node;  /* src/core/autograd.h: the operation that made a tensor */

/* A tensor is a view on a storage: element (i, j), 0-based, of a matrix is
 * data[i * rs + j * cs]; element i of a vector is data[i * rs] (a vector has
 * cols 1 and cs 1). Views (a row range, a column, a transpose) share the
 * storage and write through to it. A tensor is reference-counted: the Lua
 * handle and every autograd node that keeps it count. */
typedef struct Tensor {
    long refs;
    Storage *st;
    double *data;      /* the first element, inside st->data */
    size_t rows, cols;
    size_t rs, cs;     /* strides in elements */
    int ndim;          /* 1 or 2 */
    /* automatic differentiation (src/core/autograd.h) */
    int requires_grad;
    int graph_freed;   /* backward already released the graph behind it */
    struct Tensor *grad;
    struct Node *node;
    struct Tensor *dead_next;  /* tensor_release's list of tensors to free */
} Tensor;

/* The most elements a tensor may have (2^40 doubles: 8 TiB). */
#define TENSOR_MAX_NUMEL ((size_t)1 << 40)

static inline size_t tensor_numel(const Tensor *t) { return t->rows * t->cols; }

/* True when the elements lie one after the other in row-major order, so
 * data[0 .. numel-1] can be handed to the functions over plain arrays. */
int tensor_is_contiguous(const Tensor *t);

/* Tensors of 1 to TENSOR_SMALL_NUMEL elements are one allocation (the
 * Tensor, its storage and the numbers): a scalar loop makes millions. */
#define TENSOR_SMALL_NUMEL 16

/* A new tensor (refs 1) on a new storage; zero-filled when zero is set,
 * otherwise the caller writes every element. NULL on failure. */
Tensor *tensor_new(int ndim, size_t rows, size_t cols, int zero, Err *e);
/* Checks a shape: the same sizes tensor_new accepts. */
Status tensor_check_size(int ndim, size_t rows, size_t cols, Err *e);
/* A new vector that takes over data (n doubles from mem_alloc(n * 8), n >= 1).
 * NULL on failure, and data is still the caller's. */
Tensor *tensor_adopt(double *data, size_t n, Err *e);
/* A view on base's storage: the element (i, j) of the view is
 * base->data[offset + i*rs + j*cs]. The caller checks the bounds. */
Tensor *tensor_view(const Tensor *base, int ndim, size_t rows, size_t cols, size_t offset,
                    size_t rs, size_t cs, Err *e);
/* A contiguous copy (refs 1). */
Tensor *tensor_clone(const Tensor *t, Err *e);
/* Copies src's elements into dst (same numel, any strides; row-major order). */
void tensor_copy_into(Tensor *dst, const Tensor *src);

void tensor_retain(Tensor *t);
/* Drops one reference; the last one frees the tensor, its grad, its node and
 * (when no other view holds it) its storage. NULL is allowed. */
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

/* Broadcasting (README: "Broadcasting"): a number, or a tensor whose sides
 * are equal or 1, against another; a vector counts as one row. Sets the
 * result's shape, or says which shapes do not fit. */
Status tensor_broadcast_shape(const Tensor *a, const Tensor *b, int *ndim, size_t *rows,
                              size_t *cols, Err *e);
/* out = a op b element-wise with broadcasting; out is contiguous, of the
 * shape tensor_broadcast_shape gave. a and b may be any views. */
void tensor_binary(ArrayOp op, Tensor *out, const Tensor *a, const Tensor *b);
/* out = a op s (or s op a when scalar_first); out contiguous, a's shape. */
void tensor_binary_scalar(ArrayOp op, Tensor *out, const Tensor *a, double s, int scalar_first);
/* out = a ^ p element-wise (x*x for p = 2); out contiguous, a's shape. */
void tensor_pow_scalar(Tensor *out, const Tensor *a, double p);

/* The index of the first element that is inf or nan, or n if none. */
size_t array_find_nonfinite(const double *x, size_t n);

#endif
