/* csv_read.c: the CSV workload, the plain C reference: read a file of
 * n rows x 2 numeric columns (a header line "x,y", then "x,y" lines) into
 * two arrays with fgets and strtod, the simplest reader that does the job
 * (no quoting, no checks beyond what strtod does).
 *
 *   csv_read file=PATH
 * Timed: the read. Printed: the row count and the sums of the columns. */
#include "common.h"

int main(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "file=", 5) == 0) path = argv[i] + 5;
    if (!path) {
        fprintf(stderr, "usage: csv_read file=PATH\n");
        return 2;
    }
    double t0 = bench_now();
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 1024, n = 0;
    double *x = bench_alloc(cap), *y = bench_alloc(cap);
    char line[256];
    if (!fgets(line, sizeof line, f)) return 1;  /* the header */
    while (fgets(line, sizeof line, f)) {
        char *end;
        if (n == cap) {
            cap *= 2;
            x = realloc(x, cap * sizeof *x);
            y = realloc(y, cap * sizeof *y);
            if (!x || !y) return 1;
        }
        x[n] = strtod(line, &end);
        y[n] = strtod(end + 1, NULL);
        n++;
    }
    fclose(f);
    double t1 = bench_now();

    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++) sx += x[i], sy += y[i];
    printf("seconds=%.9f\n", t1 - t0);
    printf("rows=%zu\nsum_x=%.17g\nsum_y=%.17g\n", n, sx, sy);
    free(x), free(y);
    return 0;
}
