/* mm_openblas.c: the matmul benchmark with OpenBLAS's dgemm (Debian's
 * libopenblas-dev, cc ... -lopenblas), see mm.h. Threads: the runner sets
 * OPENBLAS_NUM_THREADS. Prints the core OpenBLAS chose for its kernels. */
#include "mm.h"

#include <cblas.h>

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 256);
    int reps = mm_reps(argc, argv, n);
    double *a = bench_alloc(n * n), *b = bench_alloc(n * n), *c = bench_alloc(n * n);
    mm_fill(a, b, n);
    int ni = (int)n;
    double t0 = 0;
    for (int r = -1; r < reps; r++) {
        if (r == 0) t0 = bench_now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.0, a, ni, b, ni,
                    0.0, c, ni);
    }
    mm_report(c, n, (bench_now() - t0) / reps);
    printf("core=%s\n", openblas_get_corename());
    free(a), free(b), free(c);
    return 0;
}
