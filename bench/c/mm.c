/* mm.c: the matmul benchmark's plain C reference (see mm.h): a triple loop
 * in i, p, j order, so that the inner loop runs along rows of B and C (the
 * i, j, p order reads B down its columns: 8 s at n = 1024 here, 16 times
 * slower). Each element is still summed in k order, starting from 0: the
 * order luagrad's kernel promises (src/core/matmul.h), so the results are
 * the same bits. */
#include "mm.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 256);
    int reps = mm_reps(argc, argv, n);
    double *a = bench_alloc(n * n), *b = bench_alloc(n * n), *c = bench_alloc(n * n);
    mm_fill(a, b, n);
    double t0 = 0;
    for (int r = -1; r < reps; r++) {
        if (r == 0) t0 = bench_now();
        for (size_t i = 0; i < n; i++) {
            double *ci = c + i * n;
            for (size_t j = 0; j < n; j++) ci[j] = 0;
            for (size_t p = 0; p < n; p++) {
                double aip = a[i * n + p];
                const double *bp = b + p * n;
                for (size_t j = 0; j < n; j++) ci[j] += aip * bp[j];
            }
        }
    }
    mm_report(c, n, (bench_now() - t0) / reps);
    free(a), free(b), free(c);
    return 0;
}
