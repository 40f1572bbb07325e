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
    for (size_t i = 0; i < n; i++)
        scratch[i] = (y[i] - 1) * clamped_log(1 - x[i]) - y[i] * clamped_log(x[i]);
    return kernel_sum(scratch, n) / div;
}

double crit_nll(const double *logp, size_t n, size_t C, const size_t *cls, double div,
                double *scratch)
{
    for (size_t i = 0; i < n; i++) scratch[i] = logp[i * C + cls[i]];
    return -kernel_sum(scratch, n) / div;
}
