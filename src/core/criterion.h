/* criterion.h: the forward numerics of nn's losses (their backward steps
 * are in backward.c: AG_MSE, AG_BCE, AG_NLL), as PyTorch defines them.
 * Sums run in the fixed order of src/core/kernel.h; div is the reduction's
 * divisor: 1 for "sum", the number of terms for "mean". */
#ifndef LUAGRAD_CRITERION_H
#define LUAGRAD_CRITERION_H

#include <stddef.h>

/* sum of (x[i] - y[i])^2, over n, divided by div. */
double crit_mse(const double *x, const double *y, size_t n, double div);

/* sum of (y - 1) * max(log(1 - x), -100) - y * max(log(x), -100), divided by
 * div; scratch holds n doubles. The caller checks 0 <= x, y <= 1. */
double crit_bce(const double *x, const double *y, size_t n, double div, double *scratch);

/* -(sum over rows i of logp[i*C + cls[i]]) / div, n rows of C; scratch
 * holds n doubles. The caller checks cls[i] < C. */
double crit_nll(const double *logp, size_t n, size_t C, const size_t *cls, double div,
                double *scratch);

#endif
