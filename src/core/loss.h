/* loss.h: losses on predictions (the model-and-data forms are in model.h).
 * se: the squared error of one sample, (yhat - y)^2 (the course's loss);
 * mse: its mean over n samples (the course's cost). */
#ifndef LUAGRAD_LOSS_H
#define LUAGRAD_LOSS_H

#include <stddef.h>

static inline double loss_se(double yhat, double y) { return (yhat - y) * (yhat - y); }

/* Mean of (yhat[i] - y[i])^2 over n >= 1 samples, summed in the fixed
 * order of src/core/kernel.h (left to right for n <= 3). */
double loss_mse(const double *yhat, const double *y, size_t n);

#endif
