/* loss.c: see loss.h. */
#include "core/loss.h"

double loss_mse(const double *yhat, const double *y, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += loss_se(yhat[i], y[i]);
        s1 += loss_se(yhat[i + 1], y[i + 1]);
        s2 += loss_se(yhat[i + 2], y[i + 2]);
        s3 += loss_se(yhat[i + 3], y[i + 3]);
    }
    if (i < n) s0 += loss_se(yhat[i], y[i]), i++;
    if (i < n) s1 += loss_se(yhat[i], y[i]), i++;
    if (i < n) s2 += loss_se(yhat[i], y[i]), i++;
    return ((s0 + s1) + (s2 + s3)) / (double)n;
}
