/* tensorops.h: the numerics behind the tensor operations of the Lua module
 * (src/lib/tensorops.c, src/lib/tensorjoin.c): element-wise functions,
 * softmax, reductions along a dimension, comparisons, in-place updates,
 * matrix products, stacking and row selection.
 *
 * Inputs are any views (core/tensor.h: element (i, j) at data[i*rs + j*cs]);
 * a result `out` is a new contiguous tensor of the shape the caller checked,
 * unless said otherwise. Dimensions are 1-based as in Lua: dim 1 runs down
 * the rows (m:sum(1) gives one number per column), dim 2 along a row. Every
 * sum is taken in the fixed order of src/core/kernel.h. */
#ifndef LUAGRAD_TENSOROPS_H
#define LUAGRAD_TENSOROPS_H

#include "core/tensor.h"

/* ---- element-wise ---------------------------------------------------------- */

typedef enum UnaryOp { UN_EXP, UN_LOG, UN_SQRT, UN_ABS, UN_TANH, UN_SIGMOID, UN_RELU } UnaryOp;

/* out = f(a); sigmoid is 1/(1+exp(-x)) for x >= 0 and exp(x)/(1+exp(x))
 * below, so neither side overflows. relu(nan) is nan. */
void tensor_unary(UnaryOp op, Tensor *out, const Tensor *a);
/* out = min(max(a, lo), hi); -inf and inf stand for no bound; nan stays. */
void tensor_clamp(Tensor *out, const Tensor *a, double lo, double hi);

/* softmax (log_softmax when take_log) along dim: dim 2 normalises each row
 * of a matrix, dim 1 each column; a vector has only dim 1. The maximum of
 * each line is subtracted first, so logits of +-1000 give finite results. */
void tensor_softmax(Tensor *out, const Tensor *a, int dim, int take_log);

/* ---- reductions ------------------------------------------------------------ */

/* The sum of n values x[0], x[stride], ... in kernel_sum's order (chain
 * i % 8, chains combined pairwise), so it gives the same bits as kernel_sum
 * of the same values laid out contiguously. */
double strided_sum(const double *x, size_t n, size_t stride);

/* The sum of all elements in row-major order, with the same bits as
 * kernel_sum over a contiguous copy. */
double tensor_sum_all(const Tensor *a);

/* The whole tensor's variance: the sum of (x - mean)^2 over n - 1 when
 * unbiased (nan for one element), else over n. n >= 1. */
double tensor_var_all(const Tensor *a, int unbiased);

typedef enum ReduceOp { RED_SUM, RED_MEAN, RED_VAR } ReduceOp;
/* out (a vector: a->cols elements for dim 1, a->rows for dim 2; one element
 * for a vector's dim 1) = the sums, means or variances along dim. Each
 * column sum has the same bits as the sum of that column copied out
 * (m:col(j):sum()). Fails only for want of scratch memory. */
Status tensor_reduce(ReduceOp op, Tensor *out, const Tensor *a, int dim, int unbiased, Err *e);

/* values and 1-based indices (as doubles) of the largest (smallest when
 * want_min) element along dim; the first one on ties; nan counts as the
 * largest and the smallest (it propagates). vals and idx are vectors of
 * the reduced shape. The lines along dim must not be empty. */
void tensor_extreme(Tensor *vals, Tensor *idx, const Tensor *a, int dim, int want_min);
/* The 0-based row-major position of the largest (smallest) element; a is
 * not empty. */
size_t tensor_argextreme_all(const Tensor *a, int want_min);

/* ---- comparisons: 1 where true, 0 where false (nan compares false) --------- */

typedef enum CmpOp { CMP_GT, CMP_LT, CMP_GE, CMP_LE, CMP_EQ, CMP_NE } CmpOp;
/* with broadcasting: out has tensor_broadcast_shape's shape */
void tensor_compare(CmpOp op, Tensor *out, const Tensor *a, const Tensor *b);
void tensor_compare_scalar(CmpOp op, Tensor *out, const Tensor *a, double s);

/* ---- in place: t is written through its strides ------------------------------ */

/* t = t op (alpha * u) element-wise, u broadcast to t's shape (the caller
 * checked it; alpha is 1 for mul and div). u must not overlap t unless it
 * is t itself: the caller copies it first. */
void tensor_inplace(ArrayOp op, Tensor *t, const Tensor *u, double alpha);
void tensor_inplace_scalar(ArrayOp op, Tensor *t, double s);
void tensor_fill(Tensor *t, double v);
/* Do a and b's elements share memory (same storage, overlapping ranges)? */
int tensor_overlap(const Tensor *a, const Tensor *b);

/* ---- products and joins ------------------------------------------------------ */

/* out (m x n, contiguous) = a (m x k) times b (k x n), both matrices (any
 * strides). Each out[i][j] is 0 + a[i][0]*b[0][j] + a[i][1]*b[1][j] + ...
 * in increasing k, each product rounded before the addition: the same bits
 * on every machine (core/matmul.h's blocked kernel). k may be 0 (out is all
 * zeros). Fails only for lack of memory for the kernel's packing buffers. */
Status tensor_matmul(Tensor *out, const Tensor *a, const Tensor *b, Err *e);

/* A vector seen as a matrix: a row (1 x n) or a column (n x 1), sharing
 * its data (a value to pass to tensor_matmul, not a tensor to keep). */
Tensor tensor_as_row(const Tensor *v);
Tensor tensor_as_col(const Tensor *v);

/* Copies src into out at row r0, column c0 (out contiguous; src seen as a
 * matrix, a vector as one row, or as one column when as_col). */
void tensor_place(Tensor *out, size_t r0, size_t c0, const Tensor *src, int as_col);

/* out = the rows index[0..n-1] (0-based, checked by the caller) of a
 * matrix, or those elements of a vector. */
void tensor_index_rows(Tensor *out, const Tensor *a, const size_t *index, size_t n);

#endif
