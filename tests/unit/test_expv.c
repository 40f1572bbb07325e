/* test_expv.c: expv_negabs (src/core/expv.c), exp(-|x|) four at a time,
 * and expv_sigmoid built on it,
 * against libm's exp (an independent implementation, correct to within
 * about half an ulp): at most 1 ulp apart everywhere; the special values
 * exact; and the vector, the one-value and the no-AVX2 versions the same
 * bits. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/expv.h"
#include "unit.h"

void test_expv(void);

/* Distance in ulps between two finite doubles of one sign. */
static int64_t ulps(double a, double b)
{
    int64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    return ia > ib ? ia - ib : ib - ia;
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

#define N 100003

static void against_libm(void)
{
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *z = malloc(N * sizeof *z);
    uint64_t s = 3;
    for (size_t i = 0; i < N; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        double u = (double)(s >> 11) / 9007199254740992.0;  /* [0, 1) */
        /* the whole range, the sigmoid's usual one, and both signs */
        x[i] = i % 3 == 0 ? (u - 0.5) * 1416 : i % 3 == 1 ? (u - 0.5) * 2 : (u - 0.5) * 60;
    }
    int64_t worst = 0;
    size_t exact = 0, vec_scalar = 0;
    expv_negabs(y, x, N);
    for (size_t i = 0; i < N; i++) {
        int64_t d = ulps(y[i], exp(-fabs(x[i])));
        if (d > worst) worst = d;
        exact += d == 0;
        vec_scalar += same_bits(y[i], expv_negabs1(x[i]));
    }
    printf("# expv: worst %lld ulp, %zu of %d the same as libm\n", (long long)worst, exact, N);
    CHECK(worst <= 1);
    CHECK(vec_scalar == N);
    /* without AVX2: the same bits */
    expv_use_plain(1);
    expv_negabs(z, x, N);
    expv_use_plain(0);
    CHECK(memcmp(y, z, N * sizeof *y) == 0);
    /* in place */
    memcpy(z, x, N * sizeof *z);
    expv_negabs(z, z, N);
    CHECK(memcmp(y, z, N * sizeof *y) == 0);
    free(x), free(y), free(z);
}

/* exp(-0) = 1 exactly; e^-1 = 0.36787944117144233 (Python's math.exp(-1),
 * also 1/e to 17 digits); beyond -708 libm's exp takes over: 0 at -1000
 * and -inf, and nan stays nan, in a group of four and alone. */
static void special_values(void)
{
    double x[8] = {0.0, -0.0, 1.0, -1.0, 1000.0, -INFINITY, NAN, 708.0}, y[8];
    for (int plain = 0; plain <= 1; plain++) {
        expv_use_plain(plain);
        expv_negabs(y, x, 8);
        CHECK(y[0] == 1.0 && y[1] == 1.0);
        CHECK(ulps(y[2], 0.36787944117144233) <= 1 && same_bits(y[2], y[3]));
        CHECK(y[4] == 0.0 && y[5] == 0.0);
        CHECK(isnan(y[6]));
        CHECK(ulps(y[7], exp(-708.0)) <= 1);
        for (int i = 0; i < 8; i++) CHECK(same_bits(y[i], expv_negabs1(x[i])) || isnan(y[i]));
        /* from x[1]: a group of four holding 1000 (one by one), then a tail of 3 */
        expv_negabs(y, x + 1, 7);
        CHECK(y[0] == 1.0 && same_bits(y[1], expv_negabs1(1.0)) && y[3] == 0.0);
    }
    expv_use_plain(0);
}

/* sigmoid: within 3 ulp of the same formula with libm's exp (1 ulp from
 * the exp, the rest from the division), the array and one-value versions
 * the same bits with and without AVX2, 0.5 at 0, exactly 1 and 0 far out,
 * nan for nan. */
static void sigmoid(void)
{
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *z = malloc(N * sizeof *z);
    for (size_t i = 0; i < N; i++) x[i] = ((double)i / N - 0.5) * 80;
    x[0] = 0.0, x[1] = 1000.0, x[2] = -1000.0, x[3] = NAN, x[5] = -0.0;
    expv_sigmoid(y, x, N);
    int64_t worst = 0;
    size_t one_by_one = 0;
    for (size_t i = 4; i < N; i++) {
        double e = exp(-fabs(x[i])), want = (x[i] >= 0 ? 1.0 : e) / (1.0 + e);
        int64_t d = ulps(y[i], want);
        if (d > worst) worst = d;
        one_by_one += same_bits(y[i], expv_sigmoid1(x[i]));
    }
    CHECK(worst <= 3);
    CHECK(one_by_one == N - 4);
    CHECK(y[0] == 0.5 && y[1] == 1.0 && y[2] == 0.0 && isnan(y[3]) && y[5] == 0.5);
    expv_use_plain(1);
    expv_sigmoid(z, x, N);
    expv_use_plain(0);
    CHECK(memcmp(y, z, N * sizeof *y) == 0);
    memcpy(z, x, N * sizeof *z);
    expv_sigmoid(z, z, N);  /* in place */
    CHECK(memcmp(y, z, N * sizeof *y) == 0);
    free(x), free(y), free(z);
}

void test_expv(void)
{
    against_libm();
    special_values();
    sigmoid();
}
