/* rng.h: luagrad's random number generator, the same sequence on every
 * machine for the same seed.
 *
 * Algorithm: xoshiro256** (Blackman and Vigna, 2018), whose 256-bit state is
 * filled from the 64-bit seed by splitmix64. Uniform doubles in [0, 1) are
 * the top 53 bits of a draw times 2^-53. Integers below n use rejection, so
 * they are exactly uniform. Normal draws use Marsaglia's polar method with
 * rng_log, a logarithm written here from + - * / only: the system's log() may
 * differ in the last bit between C libraries, this one cannot. */
#ifndef LUAGRAD_RNG_H
#define LUAGRAD_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct Rng {
    uint64_t s[4];
    int has_spare;  /* the polar method makes normals in pairs */
    double spare;
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
double rng_uniform(Rng *r);               /* [0, 1) */
uint64_t rng_below(Rng *r, uint64_t n);   /* [0, n), n >= 1 */
double rng_normal(Rng *r);                /* mean 0, standard deviation 1 */
void rng_permutation(Rng *r, size_t *idx, size_t n); /* a shuffle of 0..n-1 */

/* Natural logarithm of x > 0 (finite), to within about 1 ulp. */
double rng_log(double x);

#endif
