/* wt.c: WT5/WT6, the tensor-expression loop of the tensor issue in plain C,
 * done the way expression code does it: one loop per operation, each
 * writing a temporary array, each mean a plain left-to-right sum. The
 * reference the other rows' results are checked against.
 *
 *   wt [n=100000] [epochs=300] [lr=0.1] [alloc=0]    w = b = 0 at the start
 *
 * alloc=0: the five temporaries are allocated once, before the epochs (the
 * cost of the operations alone). alloc=1: each is malloc'd by its operation
 * and freed when no longer needed, as a library without a buffer cache
 * would do (the cost of glibc's malloc giving the pages back and faulting
 * them in again).
 *
 * Each epoch: r = x*w + b - y; cost = mean(r*r);
 * w = w - lr*2*mean(r*x); b = b - lr*2*mean(r).
 * Timed: the epochs. Printed: w, b and the last epoch's cost. */
#include "common.h"

static double mean(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i];
    return s / (double)n;
}

enum { XW, XWB, R, RR, RX, NTEMP };

int main(int argc, char **argv)
{
    size_t n = (size_t)bench_arg(argc, argv, "n", 100000);
    int epochs = (int)bench_arg(argc, argv, "epochs", 300);
    double lr = bench_arg(argc, argv, "lr", 0.1);
    int alloc = bench_arg(argc, argv, "alloc", 0) != 0;
    double *x = bench_alloc(n), *y = bench_alloc(n);
    bench_data(x, y, n);
    double *t[NTEMP] = {0};
    if (!alloc)
        for (int k = 0; k < NTEMP; k++) t[k] = bench_alloc(n);
#define NEW(k) (alloc ? (t[k] = bench_alloc(n)) : t[k])
#define DROP(k) (alloc ? free(t[k]) : (void)0)

    double w = 0, b = 0, cost = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        double *xw = NEW(XW);                          /* x * w */
        for (size_t i = 0; i < n; i++) xw[i] = x[i] * w;
        double *xwb = NEW(XWB);                        /* ... + b */
        for (size_t i = 0; i < n; i++) xwb[i] = xw[i] + b;
        DROP(XW);
        double *r = NEW(R);                            /* ... - y */
        for (size_t i = 0; i < n; i++) r[i] = xwb[i] - y[i];
        DROP(XWB);
        double *rr = NEW(RR);                          /* r * r */
        for (size_t i = 0; i < n; i++) rr[i] = r[i] * r[i];
        cost = mean(rr, n);
        DROP(RR);
        double *rx = NEW(RX);                          /* r * x */
        for (size_t i = 0; i < n; i++) rx[i] = r[i] * x[i];
        w = w - lr * 2 * mean(rx, n);
        DROP(RX);
        b = b - lr * 2 * mean(r, n);
        DROP(R);
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("w=%.17g\nb=%.17g\ncost=%.17g\n", w, b, cost);
    if (!alloc)
        for (int k = 0; k < NTEMP; k++) free(t[k]);
    free(x), free(y);
    return 0;
}
