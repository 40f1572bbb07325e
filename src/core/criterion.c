/* criterion.c: see criterion.h. */
#include "core/criterion.h"

#include <math.h>

#include "core/kernel.h"

double crit_mse(const double *x, const double *y, size_t n, double div)
{
    /* x*1 + 0 - y is x - y exactly */
    return kernel_sse(x, y, n, 1.0, 0.0) / div;
}

/* PyTorch clamps each log at -100, so a prediction of exactly 0 or 1 costs
 * 100, not inf. */
static double clamped_log(double v)
{
    double l = log(v);
    return l > -100 ? l : -100;
}

double crit_bce(const double *x, const double *y, size_t n, double div, double *scratch)
{
    for (size_t i = 0; i < n; i++) {
        /* A label of exactly 0 or 1 (a classifier's targets) makes one of
         * the two terms 0 * log(...), a signed zero: skipping that log
         * gives the same bits. With a = log(1 - x) and b = log(x), both
         * <= 0: at y = 0 the formula is -a - (0 * b) = -a - (-0 or +0),
         * which is -a + 0 (+0 when a is +0, where b = -100); at y = 1 it
         * is (0 * a) - b = (-0 or +0) - b, which is -b (+0 only when
         * b = -100). */
        if (y[i] == 0)
            scratch[i] = -clamped_log(1 - x[i]) + 0.0;
        else if (y[i] == 1)
            scratch[i] = -clamped_log(x[i]);
        else
            scratch[i] = (y[i] - 1) * clamped_log(1 - x[i]) - y[i] * clamped_log(x[i]);
    }
    return kernel_sum(scratch, n) / div;
}

double crit_nll(const double *logp, size_t n, size_t C, const size_t *cls, double div,
                double *scratch)
{
    for (size_t i = 0; i < n; i++) scratch[i] = logp[i * C + cls[i]];
    return -kernel_sum(scratch, n) / div;
}
