/* nets.h: the network workloads' data and starting weights (W5, W5b, W6),
 * the same bits as bench/luagrad/nets.lua and bench/py/nets.py (formulas
 * there), and the dense layer arithmetic the plain C programs share:
 * row-major matrices, each dot product summed left to right. */
#ifndef BENCH_NETS_H
#define BENCH_NETS_H
#include "common.h"

#define NETS_A 0.6180339887498949
#define NETS_B 0.7548776662466927

/* Layer l: w (nout x nin), b (nout). */
static inline void nets_init(double *w, double *b, int nin, int nout, int l)
{
    double s = 2 / sqrt((double)nin);
    for (int q = 0; q < nout * nin; q++)
        w[q] = (fmod((double)(q + 1 + 1000 * l) * NETS_A, 1.0) - 0.5) * s;
    for (int j = 0; j < nout; j++)
        b[j] = (fmod((double)(j + 1 + 500 + 1000 * l) * NETS_B, 1.0) - 0.5) * s;
}

static inline void nets_data(double *X, double *y, int n, int d)
{
    for (int i = 0; i < n; i++) {
        double *r = X + (size_t)i * d;
        for (int k = 0; k < d; k++)
            r[k] = fmod((double)(i * d + k) * NETS_A, 1.0) * 2 - 1;
        double t = r[0] - 0.5 * r[1] + r[2] * r[3];
        y[i] = t > 0 ? 1 : 0;
    }
}

/* out (n x nout) = in (n x nin) . w^T + b */
static inline void nets_linear(double *out, const double *in, const double *w, const double *b,
                               int n, int nin, int nout)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < nout; j++) {
            double s = 0;
            for (int k = 0; k < nin; k++) s += in[(size_t)i * nin + k] * w[(size_t)j * nin + k];
            out[(size_t)i * nout + j] = s + b[j];
        }
}

/* Given g = dL/dout (n x nout): dw = g^T in, db = column sums of g, and
 * gin = g w (when gin is not NULL). */
static inline void nets_linear_back(const double *g, const double *in, const double *w,
                                    double *dw, double *db, double *gin, int n, int nin, int nout)
{
    for (int j = 0; j < nout; j++) {
        for (int k = 0; k < nin; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += g[(size_t)i * nout + j] * in[(size_t)i * nin + k];
            dw[(size_t)j * nin + k] = s;
        }
        double s = 0;
        for (int i = 0; i < n; i++) s += g[(size_t)i * nout + j];
        db[j] = s;
    }
    if (gin)
        for (int i = 0; i < n; i++)
            for (int k = 0; k < nin; k++) {
                double s = 0;
                for (int j = 0; j < nout; j++) s += g[(size_t)i * nout + j] * w[(size_t)j * nin + k];
                gin[(size_t)i * nin + k] = s;
            }
}

static inline void nets_sgd(double *p, const double *g, size_t n, double lr)
{
    for (size_t i = 0; i < n; i++) p[i] -= lr * g[i];
}

/* The shape argument: "8,6,4,1" -> sizes, returns how many. */
static inline int nets_shape(int argc, char **argv, const char *def, int *sizes, int max)
{
    const char *s = def;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "shape=", 6) == 0) s = argv[i] + 6;
    int m = 0;
    while (*s && m < max) {
        char *end;
        sizes[m++] = (int)strtol(s, &end, 10);
        s = *end == ',' ? end + 1 : end;
        if (end == s && *end) break;
    }
    return m;
}
#endif
