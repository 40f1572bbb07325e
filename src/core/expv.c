/* expv.c: see expv.h. For v = -|x| in [-708, 0]:
 *
 *   k = round(v / ln 2)                     (adding 1.5 * 2^52 rounds)
 *   r = v - k ln2_hi - k ln2_lo             (|r| <= ln 2 / 2; ln2_hi has
 *                                            trailing zeros: k ln2_hi exact)
 *   e^r = 1 + (r + r^2 q(r)), q the Taylor polynomial 1/2! + ... + r^11/13!
 *                                           (truncation < 5e-18 relative),
 *                                           by Estrin's scheme
 *   exp(v) = e^r * 2^k                      (2^k built from its bits: exact)
 *
 * The coefficients 1/n! are written as 1.0 / n!, each n! exact in a
 * double, so the compiler rounds each correctly. */
#include "core/expv.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define SHIFT 6755399441055744.0        /* 1.5 * 2^52 */
#define INVLN2 1.4426950408889634       /* 1 / ln 2 */
#define LN2HI 6.93147180369123816490e-01 /* ln 2, its high 32 bits */
#define LN2LO 1.90821492927058770002e-10 /* ln 2 - LN2HI */
#define LOWEST (-708.0)

#define C2 (1.0 / 2)
#define C3 (1.0 / 6)
#define C4 (1.0 / 24)
#define C5 (1.0 / 120)
#define C6 (1.0 / 720)
#define C7 (1.0 / 5040)
#define C8 (1.0 / 40320)
#define C9 (1.0 / 362880)
#define C10 (1.0 / 3628800)
#define C11 (1.0 / 39916800)
#define C12 (1.0 / 479001600)
#define C13 (1.0 / 6227020800.0)

/* q(r) = 1/2! + r/3! + ... + r^11/13!, the same expression for a double
 * and for a vector of them: Estrin's scheme (pairs, then pairs of pairs
 * with r^2, r^4, r^8), whose chain of dependent operations is 9 long
 * where Horner's is 22, so that successive groups overlap. */
#define EXPV_Q(T, r, q)                                                      \
    do {                                                                     \
        T r2_ = (r) * (r), r4_ = r2_ * r2_, r8_ = r4_ * r4_;                 \
        T s0_ = (C2 + C3 * (r)) + (C4 + C5 * (r)) * r2_;                     \
        T s1_ = (C6 + C7 * (r)) + (C8 + C9 * (r)) * r2_;                     \
        T s2_ = (C10 + C11 * (r)) + (C12 + C13 * (r)) * r2_;                 \
        q = (s0_ + s1_ * r4_) + s2_ * r8_;                                   \
    } while (0)

double expv_negabs1(double x)
{
    double v = -fabs(x);
    if (!(v >= LOWEST)) return exp(v);
    double kd = v * INVLN2 + SHIFT;
    uint64_t kb, sb;
    memcpy(&kb, &kd, sizeof kb);
    kd = kd - SHIFT;
    double r = (v - kd * LN2HI) - kd * LN2LO;
    double q;
    EXPV_Q(double, r, q);
    double er = 1.0 + (r + (r * r) * q);
    double sd = SHIFT;
    memcpy(&sb, &sd, sizeof sb);
    uint64_t bits = (kb - sb + 1023) << 52;
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return er * scale;
}

double expv_sigmoid1(double x)
{
    double e = expv_negabs1(x);
    return (x >= 0 ? 1.0 : e) / (1.0 + e);
}

typedef double V4 __attribute__((vector_size(32)));
typedef uint64_t U4 __attribute__((vector_size(32)));

/* Groups of four whose values all give v in [LOWEST, 0] run as vectors,
 * the others (and the tail) one by one by ONE(x); the results are the
 * same bits. FINISH(x, y) turns the vector y = exp(-|x|) into the result. */
#define EXPV_RUN(ONE, FINISH)                                                \
    {                                                                        \
        const U4 sign = {1ull << 63, 1ull << 63, 1ull << 63, 1ull << 63};    \
        const V4 shift = {SHIFT, SHIFT, SHIFT, SHIFT};                       \
        const V4 one = {1.0, 1.0, 1.0, 1.0};                                 \
        (void)one;                                                           \
        size_t k = 0;                                                        \
        for (; k + 4 <= n; k += 4) {                                         \
            V4 xv, v;                                                        \
            memcpy(&xv, x + k, sizeof xv);                                   \
            v = (V4)((U4)xv | sign);  /* -|x| */                             \
            /* one vector compare (false for NaN), not four */               \
            U4 in = (U4)(v >= LOWEST);                                       \
            if ((in[0] & in[1] & in[2] & in[3]) == 0) {                      \
                for (size_t i = k; i < k + 4; i++) out[i] = ONE(x[i]);       \
                continue;                                                    \
            }                                                                \
            V4 kd = v * INVLN2 + shift;                                      \
            U4 kb = (U4)kd, sb = (U4)shift;                                  \
            kd = kd - shift;                                                 \
            V4 r = (v - kd * LN2HI) - kd * LN2LO;                            \
            V4 q;                                                            \
            EXPV_Q(V4, r, q);                                                \
            V4 er = 1.0 + (r + (r * r) * q);                                 \
            V4 y = er * (V4)((kb - sb + 1023) << 52);                        \
            y = FINISH(xv, y);                                               \
            memcpy(out + k, &y, sizeof y);                                   \
        }                                                                    \
        for (; k < n; k++) out[k] = ONE(x[k]);                               \
    }

#define AS_IS(xv, y) (y)
/* (x >= 0 ? 1 : y) / (1 + y), lane by lane */
#define SIGMOID(xv, y) \
    ((V4)(((U4)(xv >= 0.0) & (U4)one) | (~(U4)(xv >= 0.0) & (U4)y)) / (one + y))

static void negabs_plain(double *out, const double *x, size_t n)
    EXPV_RUN(expv_negabs1, AS_IS)
static void sigmoid_plain(double *out, const double *x, size_t n)
    EXPV_RUN(expv_sigmoid1, SIGMOID)

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_AVX2 1
__attribute__((target("avx2")))
static void negabs_avx2(double *out, const double *x, size_t n)
    EXPV_RUN(expv_negabs1, AS_IS)
__attribute__((target("avx2")))
static void sigmoid_avx2(double *out, const double *x, size_t n)
    EXPV_RUN(expv_sigmoid1, SIGMOID)
#endif

static int plain_forced;

void expv_use_plain(int on) { plain_forced = on; }

static int use_avx2(void)
{
#ifdef HAVE_AVX2
    return !plain_forced && __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

void expv_negabs(double *out, const double *x, size_t n)
{
#ifdef HAVE_AVX2
    if (use_avx2()) {
        negabs_avx2(out, x, n);
        return;
    }
#endif
    negabs_plain(out, x, n);
}

void expv_sigmoid(double *out, const double *x, size_t n)
{
#ifdef HAVE_AVX2
    if (use_avx2()) {
        sigmoid_avx2(out, x, n);
        return;
    }
#endif
    sigmoid_plain(out, x, n);
}
