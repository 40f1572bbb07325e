/* scan.h: the MSE of a linear or affine model at every point of a grid of
 * parameters: the course's loss curve over w and loss surface over (w, b).
 *
 * Two ways to the same numbers:
 * - direct: for each grid point, the MSE over all n samples, exactly as
 *   model_mse computes it (cost: points x n);
 * - closed: the MSE of an affine model is a quadratic in (w, b). With
 *   u = x - mean(x), v = y - mean(y) (the linear model: means taken as 0),
 *   c = w*mean(x) + b - mean(y), w0 the least-squares slope and r0 = w0*u - v
 *   the residuals there (a second pass, one rounding each):
 *       n*MSE = Srr + 2dw*Sru + 2c*Sr + dw^2*Suu + 2dw*c*Su + n*c^2
 *   with dw = w - w0 and S the sums over the data (Srr = sum r0^2, ...).
 *   The floor Srr is summed from the residuals, so the form is as accurate
 *   as direct evaluation even with x far from 0. Cost: 2n + points.
 * Trust: when a coefficient is not finite (the sums overflow), SCAN_CLOSED
 * fails and SCAN_AUTO evaluates directly; a point whose quadratic is not
 * finite is evaluated directly. SCAN_AUTO takes closed when points x n is
 * large, where it pays. A nan or inf never becomes a number. */
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
