/* mm_luagrad.c: the matmul benchmark with luagrad's kernel (matmul in
 * src/core/matmul.c, linked from the build's objects), see mm.h. Threads
 * as luagrad's: LUAGRAD_THREADS. kernel=generic forces the portable
 * micro-kernel. Prints which micro-kernel ran. */
#include "mm.h"

#include "core/matmul.h"

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 256);
    int reps = mm_reps(argc, argv, n);
    double *a = bench_alloc(n * n), *b = bench_alloc(n * n), *c = bench_alloc(n * n);
    mm_fill(a, b, n);
    char kind[8] = "";
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "kernel=", 7) == 0) snprintf(kind, sizeof kind, "%s", argv[i] + 7);
    matmul_use_generic(strcmp(kind, "generic") == 0);
    double t0 = 0;
    for (int r = -1; r < reps; r++) {
        if (r == 0) t0 = bench_now();
        Err e;
        if (matmul(n, n, n, a, n, 1, b, n, 1, c, n, MATMUL_SET, &e) != ST_OK) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
    }
    mm_report(c, n, (bench_now() - t0) / reps);
    char name[64];  /* one word, for the runner: "avx2 6x8" as avx2-6x8 */
    snprintf(name, sizeof name, "%s", matmul_kernel_name());
    for (char *p = name; *p; p++)
        if (*p == ' ') *p = '-';
    printf("kernel=%s\n", name);
    free(a), free(b), free(c);
    return 0;
}
