/* rng.c: see rng.h. */
#include "core/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rng_seed(Rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
    r->has_spare = 0;
    r->spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(Rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(Rng *r, uint64_t n)
{
    /* Draws below `limit` (a multiple of n) are uniform modulo n. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = rng_next(r);
    while (x >= limit);
    return x % n;
}

void rng_permutation(Rng *r, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = n; i > 1; i--) {  /* Fisher-Yates, from the end */
        size_t j = (size_t)rng_below(r, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

/* log(x) = e*ln2 + log(m), with x = m * 2^e and m in [sqrt(1/2), sqrt(2));
 * log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172, from its series
 * 2(s + s^3/3 + s^5/5 + ...): 12 terms reach below 1e-18. ln2 is split in
 * two so e*ln2 is exact to double precision. */
double rng_log(double x)
{
    int e;
    double m = frexp(x, &e);  /* x = m * 2^e, m in [0.5, 1) */
    if (m < 0.70710678118654752) {
        m *= 2;
        e -= 1;
    }
    double s = (m - 1) / (m + 1);
    double s2 = s * s;
    double series = 0;
    for (int k = 23; k >= 3; k -= 2) series = (series + 1.0 / k) * s2;
    double log_m = 2 * s + 2 * s * series;
    const double ln2_hi = 6.93147180369123816490e-01; /* 0x3fe62e42fee00000 */
    const double ln2_lo = 1.90821492927058770002e-10; /* 0x3dea39ef35793c76 */
    return (double)e * ln2_hi + ((double)e * ln2_lo + log_m);
}

double rng_normal(Rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2 * rng_uniform(r) - 1;
        v = 2 * rng_uniform(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = sqrt(-2 * rng_log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}
