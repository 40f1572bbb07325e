/* matmul.h: the matrix product C = A·B (or C += A·B) of luagrad.
 *
 * Shapes: A is m x k, B is k x n, C is m x n. A and B are read through
 * strides counted in elements, so a view (a row range, a column range, a
 * transpose) is passed without a copy:
 *   A(i, p) = a[i * a_rs + p * a_cs]      B(p, j) = b[p * b_rs + j * b_cs]
 * a contiguous row-major A has a_rs = k, a_cs = 1; its transpose (as the
 * k x m matrix A^T) has rs = 1, cs = k. C is row-major with row stride c_rs
 * (>= n; n when contiguous): C(i, j) = c[i * c_rs + j]. C must not overlap
 * A or B.
 *
 * Summation order, the same on every machine, build and thread count: each
 * element is summed in plain k order, one addition at a time,
 *   MATMUL_SET:  C(i,j) = ((0 + A(i,0)B(0,j)) + A(i,1)B(1,j)) + ...
 *   MATMUL_ADD:  C(i,j) = ((C(i,j) + A(i,0)B(0,j)) + A(i,1)B(1,j)) + ...
 * with every product rounded before it is added (no fused multiply-add).
 * That is exactly what a plain triple loop gives: the blocking, the
 * vector width and the threads decide only which elements are computed
 * side by side, never the order within one element. MATMUL_ADD is for
 * backward passes: dA += dC·B^T and dB += A^T·dC, with the transposes as
 * strides.
 *
 * k = 0 gives C = 0 (SET) or leaves C as it is (ADD); m = 0 or n = 0 does
 * nothing. Fails only when the packing buffers (through core/mem.h) cannot
 * be had: ST_ENOMEM, C untouched. */
#ifndef LUAGRAD_MATMUL_H
#define LUAGRAD_MATMUL_H

#include <stddef.h>

#include "core/err.h"

typedef enum MatmulMode { MATMUL_SET, MATMUL_ADD } MatmulMode;

Status matmul(size_t m, size_t k, size_t n,
              const double *a, size_t a_rs, size_t a_cs,
              const double *b, size_t b_rs, size_t b_cs,
              double *c, size_t c_rs, MatmulMode mode, Err *e);

/* The micro-kernel in use: "avx2 6x8" or "generic 4x4" (SSE2 pairs, or
 * lane by lane off x86). matmul_use_generic(1) forces the generic one, for
 * the tests and the benchmark; the results are the same bits either way. */
const char *matmul_kernel_name(void);
void matmul_use_generic(int on);

#endif
