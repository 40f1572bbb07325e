/* scan.h: the MSE of a linear or affine model at every point of a grid of
 * parameters: the course's loss curve over w and loss surface over (w, b).
 *
 * Two ways to the same numbers:
 * - direct: for each grid point, the MSE over all n samples, exactly as
 *   model_mse computes it (cost: points x n);
 * - closed: the MSE of an affine model is a quadratic in (w, b) whose
 *   coefficients are sums over the data. With u = x - mean(x) and
 *   v = y - mean(y) (centred, so large offsets do not cancel), and
 *   c = w*mean(x) + b - mean(y):
 *       n*MSE = w^2*Suu - 2w*Suv + Svv + 2c*(w*Su - Sv) + n*c^2
 *   where Suu = sum u^2, Suv = sum u*v, Svv = sum v^2, Su = sum u and
 *   Sv = sum v (zero but for rounding, kept for accuracy). The linear model
 *   is the same without centring (b = 0, means taken as 0). Cost: n +
 *   points. It agrees with direct to about 1e-12 relative on noisy data.
 * SCAN_AUTO takes closed when points x n is large, where it pays. */
#ifndef LUAGRAD_SCAN_H
#define LUAGRAD_SCAN_H

#include <stddef.h>

#include "core/err.h"
#include "core/model.h"

typedef enum ScanMethod { SCAN_AUTO, SCAN_DIRECT, SCAN_CLOSED } ScanMethod;

/* Below this many grid-point-samples SCAN_AUTO evaluates directly. */
#define SCAN_CLOSED_FROM ((size_t)1 << 20)

/* out[i*nb + j] = MSE at (ws[i], bs[j]) for affine; out[i] = MSE at ws[i]
 * for linear (bs and nb ignored). *used gets the method applied. */
Status scan_mse(ModelKind kind, const double *x, const double *y, size_t n, const double *ws,
                size_t nw, const double *bs, size_t nb, ScanMethod method, double *out,
                ScanMethod *used, Err *e);

#endif
