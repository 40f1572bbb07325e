/* test_tensor.c: the array functions and range/linspace of core/tensor.c. */
#include "core/tensor.h"
#include "unit.h"

void test_tensor(void);

void test_tensor(void)
{
    /* range(0, 4, 0.1): 41 values a + i*step, the last exactly 4 (a float
     * loop adding 0.1 forty times would end at 3.9000000000000021). */
    size_t n;
    Err e;
    CHECK(tensor_range_count(0, 4, 0.1, &n, &e) == ST_OK && n == 41);
    double r[41];
    tensor_range_fill(r, 41, 0, 4, 0.1);
    CHECK(r[0] == 0.0 && r[40] == 4.0);
    CHECK(r[3] == 3 * 0.1);            /* 0.30000000000000004, as NumPy's arange */
    CHECK(tensor_range_count(0, 4.05, 0.1, &n, &e) == ST_OK && n == 41);
    CHECK(tensor_range_count(4, 0, -0.5, &n, &e) == ST_OK && n == 9);
    /* many steps: exactly up to b, no extra points (1e10 had 10 more) */
    CHECK(tensor_range_count(0, 1e10, 1, &n, &e) == ST_OK && n == 10000000001u);
    CHECK(tensor_range_count(0, 1e9, 1, &n, &e) == ST_OK && n == 1000000001u);
    CHECK(tensor_range_count(0, 0x1p-1030, 0x1p-1070, &n, &e) == ST_OK &&
          n == ((size_t)1 << 40) + 1);
    CHECK(tensor_range_count(0, 1, 0, &n, &e) == ST_EINVAL);
    CHECK(tensor_range_count(0, 1, -1, &n, &e) == ST_EINVAL);

    double l[5];
    tensor_linspace(l, 5, 0, 1);
    CHECK(l[1] == 0.25 && l[4] == 1.0);

    /* Sums: for n <= 3 the plain left-to-right sum; then eight chains,
     * sample i in chain i % 8, combined ((c0+c1)+(c2+c3))+((c4+c5)+(c6+c7)). */
    double x[] = {0.1, 0.2, 0.3, 1e16, 1, -1e16, 2};
    CHECK(array_sum(x, 3) == (0.1 + 0.2) + 0.3);
    CHECK(array_sum(x, 7) == ((0.1 + 0.2) + (0.3 + 1e16)) + ((1 + -1e16) + 2));
    double v[17];
    for (int i = 0; i < 17; i++) v[i] = 1.0 / (i + 1);
    double c[8];
    for (int k = 0; k < 8; k++) c[k] = v[k] + v[k + 8];
    c[0] += v[16];
    CHECK(array_sum(v, 17) == ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7])));
    double y[] = {1, 2, 3};
    CHECK(array_dot(y, y, 3) == 14.0);
    CHECK(array_min(x, 7) == -1e16 && array_max(x, 7) == 1e16);
    double z[] = {1, NAN, 3};
    CHECK(isnan(array_max(z, 3)) && isnan(array_min(z, 3)));
    CHECK(array_find_nonfinite(z, 3) == 1 && array_find_nonfinite(y, 3) == 3);

    /* The blocked search (blocks of 1024, pairs of two): every position,
     * inf and -inf as well as nan, and huge finite values are not flagged. */
    static double big[3000];
    for (int i = 0; i < 3000; i++) big[i] = (i % 2 ? -1.0 : 1.0) * 1e308;
    CHECK(array_find_nonfinite(big, 3000) == 3000);
    int ok = 1;
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    for (int pos = 0; pos < 3000; pos += 37) {
        big[pos] = bad[pos % 3];
        ok &= array_find_nonfinite(big, 3000) == (size_t)pos;
        ok &= array_find_nonfinite(big, (size_t)pos) == (size_t)pos;  /* not in range */
        big[pos] = 1.0;
    }
    big[2999] = NAN;  /* in the last, partial block's tail */
    ok &= array_find_nonfinite(big, 3000) == 2999;
    CHECK(ok);
}
