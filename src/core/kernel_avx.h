/* kernel_avx.h: kernel_sum, kernel_sse and kernel_sums of src/core/kernel.h, run with
 * 4-double AVX vectors when the processor has them (checked at run time, so
 * the portable build uses them too) and with the SSE2 pairs otherwise. Both
 * keep the same 8 chains and the same operations in the same order, so
 * they give the same bits. */
#ifndef LUAGRAD_KERNEL_AVX_H
#define LUAGRAD_KERNEL_AVX_H

#include <stddef.h>

/* sum of x[i], as kernel_sum */
double kernel_sum_best(const double *x, size_t n);

/* sum of (x[i]*w + b - y[i])^2, as kernel_sse */
double kernel_sse_best(const double *x, const double *y, size_t n, double w, double b);

/* sums of r*r, r*x and r into out[0..2], as kernel_sums */
void kernel_sums_best(const double *x, const double *y, size_t n, double w, double b,
                      double out[3]);

/* on: use the SSE2 pairs even where AVX is there (for tests and timing).
 * Set it while no other thread runs a kernel. */
void kernel_use_sse2(int on);

/* 1 when the AVX versions run (the processor has AVX and SSE2 is not
 * forced): also for the element-wise loops of src/core/tensor_avx.c */
int kernel_avx_on(void);

/* "avx" or "sse2": what the two functions above run now */
const char *kernel_name(void);

#endif
