/* tensor_avx.h: the element-wise loops of array_op and array_op_scalar
 * (src/core/tensor.c) in AVX vectors, used when kernel_avx_on() says so
 * (the processor has AVX, checked at run time, and sys.kernel("sse2") has
 * not forced the SSE2 pairs). Same contract and the same bits as the
 * functions they stand in for. */
#ifndef LUAGRAD_TENSOR_AVX_H
#define LUAGRAD_TENSOR_AVX_H

#include <stddef.h>

#include "core/tensor.h"

/* out[i] = a[i] op b[i], i < n, and 1; or 0 (nothing done) without AVX */
int array_op_avx(ArrayOp op, double *out, const double *a, const double *b, size_t n);

/* out[i] = a[i] op s (s op a[i] when scalar_first), and 1; or 0 without AVX */
int array_op_scalar_avx(ArrayOp op, double *out, const double *a, double s, size_t n,
                        int scalar_first);

#endif
