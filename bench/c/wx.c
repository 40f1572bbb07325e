/* wx.c: WX, reading every element of an array of n doubles in order and
 * summing left to right, the plain C reference.
 *
 *   wx [n=1000000]
 *
 * Timed: the loop. The sum is what the other rows must give, bit for bit. */
#include "common.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 1000000);
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);

    double t0 = bench_now();
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i];
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("sum=%.17g\n", s);
    free(x), free(y);
    return 0;
}
