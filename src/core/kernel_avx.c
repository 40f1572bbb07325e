/* kernel_avx.c: see kernel_avx.h.
 *
 * The chains of kernel.h in 4-double vectors: for each sum, register A
 * holds chains 0-3 (samples i..i+3 of a block of 8) and register B chains
 * 4-7, where kernel.h's four pairs hold 0-1, 2-3, 4-5, 6-7. Every chain gets
 * the same operations in the same order; the tail and the combining are
 * kernel.h's own code on the pairs the two registers split into. The target
 * attribute adds AVX only (no FMA), and -ffp-contract=off keeps every
 * product rounded, so the bits are those of the SSE2 pairs. */
#include "core/kernel_avx.h"

#include <string.h>

#include "core/kernel.h"

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_AVX_KERNEL 1
typedef double Vec4 __attribute__((vector_size(32)));

#define V4LOAD(p) __extension__({ Vec4 v_; memcpy(&v_, (p), sizeof v_); v_; })

/* The pairs (lanes 0-1, lanes 2-3) of two registers, into c[0..3]. */
#define V4SPLIT(c, a, b)                          \
    do {                                          \
        (c)[0] = (Pair){(a)[0], (a)[1]};          \
        (c)[1] = (Pair){(a)[2], (a)[3]};          \
        (c)[2] = (Pair){(b)[0], (b)[1]};          \
        (c)[3] = (Pair){(b)[2], (b)[3]};          \
    } while (0)

/* sum of x[i]: kernel_sum's chains */
__attribute__((target("avx")))
static double sum_avx(const double *x, size_t n)
{
    Vec4 ca = {0, 0, 0, 0}, cb = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        ca += V4LOAD(x + i);
        cb += V4LOAD(x + i + 4);
    }
    Pair c[4];
    V4SPLIT(c, ca, cb);
    for (int k = 0; i < n; i++, k++) kernel_add_to_chain(c, k, x[i]);
    return kernel_combine(c[0], c[1], c[2], c[3]);
}

__attribute__((target("avx")))
static double sse_avx(const double *x, const double *y, size_t n, double w, double b)
{
    const Vec4 W = {w, w, w, w}, B = {b, b, b, b};
    Vec4 ca = {0, 0, 0, 0}, cb = {0, 0, 0, 0};
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        Vec4 ra = V4LOAD(x + i) * W + B - V4LOAD(y + i);
        Vec4 rb = V4LOAD(x + i + 4) * W + B - V4LOAD(y + i + 4);
        ca += ra * ra;
        cb += rb * rb;
    }
    Pair c[4];
    V4SPLIT(c, ca, cb);
    return kernel_sse_tail(x, y, i, n, w, b, c);
}

__attribute__((target("avx")))
static void sums_avx(const double *x, const double *y, size_t n, double w, double b,
                     double out[3])
{
    const Vec4 W = {w, w, w, w}, B = {b, b, b, b};
    Vec4 rra = {0, 0, 0, 0}, rrb = rra, rxa = rra, rxb = rra, rsa = rra, rsb = rra;
    size_t i = 0;
    for (; i + KERNEL_CHAINS <= n; i += KERNEL_CHAINS) {
        Vec4 xa = V4LOAD(x + i), xb = V4LOAD(x + i + 4);
        Vec4 ra = xa * W + B - V4LOAD(y + i);
        Vec4 rb = xb * W + B - V4LOAD(y + i + 4);
        rra += ra * ra; rxa += ra * xa; rsa += ra;
        rrb += rb * rb; rxb += rb * xb; rsb += rb;
    }
    Pair rr[4], rx[4], rs[4];
    V4SPLIT(rr, rra, rrb);
    V4SPLIT(rx, rxa, rxb);
    V4SPLIT(rs, rsa, rsb);
    kernel_sums_tail(x, y, i, n, w, b, rr, rx, rs, out);
}
#endif

static int sse2_forced;

void kernel_use_sse2(int on) { sse2_forced = on; }

int kernel_avx_on(void)
{
#ifdef HAVE_AVX_KERNEL
    return !sse2_forced && __builtin_cpu_supports("avx");
#else
    return 0;
#endif
}

const char *kernel_name(void) { return kernel_avx_on() ? "avx" : "sse2"; }

double kernel_sse_best(const double *x, const double *y, size_t n, double w, double b)
{
#ifdef HAVE_AVX_KERNEL
    if (kernel_avx_on()) return sse_avx(x, y, n, w, b);
#endif
    return kernel_sse(x, y, n, w, b);
}

void kernel_sums_best(const double *x, const double *y, size_t n, double w, double b,
                      double out[3])
{
#ifdef HAVE_AVX_KERNEL
    if (kernel_avx_on()) {
        sums_avx(x, y, n, w, b, out);
        return;
    }
#endif
    kernel_sums(x, y, n, w, b, out);
}

double kernel_sum_best(const double *x, size_t n)
{
#ifdef HAVE_AVX_KERNEL
    if (kernel_avx_on()) return sum_avx(x, n);
#endif
    return kernel_sum(x, n);
}
