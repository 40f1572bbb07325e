/* kernel.h: the innermost loops of luagrad, shared by the training pass
 * (model.c) and the grid scan (scan.c) so both sum in exactly the same way.
 *
 * For an affine model yhat = x*w + b and residuals r = yhat - y, they sum
 * r*r (and r*x and r) over n samples in KERNEL_CHAINS independent chains:
 * sample i goes to chain i % KERNEL_CHAINS (the tail to chains 0, 1, ...),
 * and the chains are combined pairwise in a fixed order,
 * ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)). Independent chains
 * let the processor overlap the additions instead of waiting for each
 * (4 cycles) in turn, and two chains fill one SSE2 register, so each
 * instruction does two samples. The order is the same on every machine and
 * every run; for up to 3 samples it is the plain left-to-right sum.
 *
 * The vector type is a GCC/Clang extension, portable to every target they
 * support (in SIMD registers where there are any, else lane by lane, with
 * the same results). -ffp-contract=off keeps multiply and add separately
 * rounded. The scan and the fit call kernel_sse and kernel_sums through
 * kernel_avx.h, which runs the same chains in AVX registers where the
 * processor has them: any change here must be made there too (the bits of
 * both are compared by tests/test_kernel.lua). */
#ifndef LUAGRAD_KERNEL_H
#define LUAGRAD_KERNEL_H

#include <stddef.h>
#include <string.h>

#define KERNEL_CHAINS 8

#if !defined(__GNUC__)
#error "luagrad's kernels need the vector extensions of GCC or Clang"
#endif

typedef double Pair __attribute__((vector_size(16)));
static inline Pair pair_load(const double *p)
{
    Pair v;
    memcpy(&v, p, sizeof v);  /* unaligned load */
    return v;
}
static inline Pair pair_of(double a) { return (Pair){a, a}; }
static inline double pair_lo(Pair v) { return v[0]; }
static inline double pair_hi(Pair v) { return v[1]; }

/* Combines the eight chains held in four pairs, in the fixed order. */
static inline double kernel_combine(Pair c01, Pair c23, Pair c45, Pair c67)
{
    return ((pair_lo(c01) + pair_hi(c01)) + (pair_lo(c23) + pair_hi(c23))) +
           ((pair_lo(c45) + pair_hi(c45)) + (pair_lo(c67) + pair_hi(c67)));
}

/* Adds v to chain k (0..7) of the four pairs: for the tail. */
static inline void kernel_add_to_chain(Pair *c, int k, double v)
{
    Pair add = {k % 2 == 0 ? v : 0.0, k % 2 == 1 ? v : 0.0};
    c[k / 2] += add;
}

/* sum of x[i] (the steps written out: gcc 12 keeps loop-indexed
 * accumulators in memory, see kernel_sums) */
static inline double kernel_sum(const double *x, size_t n)
{
    Pair c0 = {0, 0}, c1 = {0, 0}, c2 = {0, 0}, c3 = {0, 0};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        c0 += pair_load(x + i);
        c1 += pair_load(x + i + 2);
        c2 += pair_load(x + i + 4);
        c3 += pair_load(x + i + 6);
    }
    Pair c[4] = {c0, c1, c2, c3};
    for (int k = 0; i < n; i++, k++) kernel_add_to_chain(c, k, x[i]);
    return kernel_combine(c[0], c[1], c[2], c[3]);
}

/* sum of x[i]*y[i] */
static inline double kernel_dot(const double *x, const double *y, size_t n)
{
    Pair c0 = {0, 0}, c1 = {0, 0}, c2 = {0, 0}, c3 = {0, 0};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        c0 += pair_load(x + i) * pair_load(y + i);
        c1 += pair_load(x + i + 2) * pair_load(y + i + 2);
        c2 += pair_load(x + i + 4) * pair_load(y + i + 4);
        c3 += pair_load(x + i + 6) * pair_load(y + i + 6);
    }
    Pair c[4] = {c0, c1, c2, c3};
    for (int k = 0; i < n; i++, k++) kernel_add_to_chain(c, k, x[i] * y[i]);
    return kernel_combine(c[0], c[1], c[2], c[3]);
}

/* The tails of kernel_sse and kernel_sums: the samples i .. n-1 (fewer
 * than 8) into the chains c (rr, rx, rs), then the chains combined. Shared
 * with their AVX twins (kernel_avx.c), so every path ends the same way. */
static inline double kernel_sse_tail(const double *x, const double *y, size_t i, size_t n,
                                     double w, double b, Pair c[4])
{
    for (int k = 0; i < n; i++, k++) {
        double r = x[i] * w + b - y[i];
        kernel_add_to_chain(c, k, r * r);
    }
    return kernel_combine(c[0], c[1], c[2], c[3]);
}

static inline void kernel_sums_tail(const double *x, const double *y, size_t i, size_t n,
                                    double w, double b, Pair rr[4], Pair rx[4], Pair rs[4],
                                    double out[3])
{
    for (int k = 0; i < n; i++, k++) {
        double r = x[i] * w + b - y[i];
        kernel_add_to_chain(rr, k, r * r);
        kernel_add_to_chain(rx, k, r * x[i]);
        kernel_add_to_chain(rs, k, r);
    }
    out[0] = kernel_combine(rr[0], rr[1], rr[2], rr[3]);
    out[1] = kernel_combine(rx[0], rx[1], rx[2], rx[3]);
    out[2] = kernel_combine(rs[0], rs[1], rs[2], rs[3]);
}

/* sum of (x[i]*w + b - y[i])^2 */
static inline double kernel_sse(const double *x, const double *y, size_t n, double w, double b)
{
    const Pair W = pair_of(w), B = pair_of(b);
    Pair c[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        Pair r0 = pair_load(x + i) * W + B - pair_load(y + i);
        Pair r1 = pair_load(x + i + 2) * W + B - pair_load(y + i + 2);
        Pair r2 = pair_load(x + i + 4) * W + B - pair_load(y + i + 4);
        Pair r3 = pair_load(x + i + 6) * W + B - pair_load(y + i + 6);
        c[0] += r0 * r0;
        c[1] += r1 * r1;
        c[2] += r2 * r2;
        c[3] += r3 * r3;
    }
    return kernel_sse_tail(x, y, i, n, w, b, c);
}

/* sums of r*r, r*x and r, r = x[i]*w + b - y[i], into out[0..2]. The four
 * steps are written out: with a loop over them gcc 12 keeps the twelve
 * accumulators in memory instead of registers (10.4 against 6.9
 * instructions per sample, measured with callgrind). */
static inline void kernel_sums(const double *x, const double *y, size_t n, double w, double b,
                               double out[3])
{
    const Pair W = pair_of(w), B = pair_of(b);
    Pair rr0 = {0, 0}, rr1 = {0, 0}, rr2 = {0, 0}, rr3 = {0, 0};
    Pair rx0 = {0, 0}, rx1 = {0, 0}, rx2 = {0, 0}, rx3 = {0, 0};
    Pair rs0 = {0, 0}, rs1 = {0, 0}, rs2 = {0, 0}, rs3 = {0, 0};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        Pair x0 = pair_load(x + i), x1 = pair_load(x + i + 2);
        Pair x2 = pair_load(x + i + 4), x3 = pair_load(x + i + 6);
        Pair r0 = x0 * W + B - pair_load(y + i);
        Pair r1 = x1 * W + B - pair_load(y + i + 2);
        Pair r2 = x2 * W + B - pair_load(y + i + 4);
        Pair r3 = x3 * W + B - pair_load(y + i + 6);
        rr0 += r0 * r0; rx0 += r0 * x0; rs0 += r0;
        rr1 += r1 * r1; rx1 += r1 * x1; rs1 += r1;
        rr2 += r2 * r2; rx2 += r2 * x2; rs2 += r2;
        rr3 += r3 * r3; rx3 += r3 * x3; rs3 += r3;
    }
    Pair rr[4] = {rr0, rr1, rr2, rr3}, rx[4] = {rx0, rx1, rx2, rx3}, rs[4] = {rs0, rs1, rs2, rs3};
    kernel_sums_tail(x, y, i, n, w, b, rr, rx, rs, out);
}

/* The index of the first of x[0..n-1] that is inf or nan, or n. x*0 is 0
 * for a finite x and nan for inf or nan, so a block whose x*0 sum to nan
 * holds one; only such a block is searched value by value. */
static inline size_t kernel_find_nonfinite(const double *x, size_t n)
{
    const size_t block = 1024;
    const Pair Z = pair_of(0.0);
    for (size_t start = 0; start < n; start += block) {
        size_t end = n - start < block ? n : start + block;
        Pair a = {0, 0}, c = {0, 0};
        size_t i = start;
        for (; i + 4 <= end; i += 4) {
            a += pair_load(x + i) * Z;
            c += pair_load(x + i + 2) * Z;
        }
        double s = pair_lo(a) + pair_hi(a) + pair_lo(c) + pair_hi(c);
        for (; i < end; i++) s += x[i] * 0.0;
        if (s != s)
            for (i = start; i < end; i++)
                if (x[i] * 0.0 != 0.0) return i;
    }
    return n;
}

#endif
