/* model.h: the course's built-in models, their losses and gradients.
 *
 *   linear   yhat = w*x              params [w]
 *   affine   yhat = w*x + b          params [w, b]
 *   multi    yhat = x.W + b          params [W_1 .. W_d, b]; x has d inputs
 *
 * Parameters, gradients and optimizer state are flat arrays of the same
 * length (nparams), in the order above, so an optimizer step is one loop.
 *
 * Data: x holds n samples, one after the other (n doubles for linear and
 * affine; n rows of d doubles, row-major, for multi); y holds n targets.
 * The loss is the squared error (yhat - y)^2 per sample and its mean over the
 * data (MSE, the course's cost). */
#ifndef LUAGRAD_MODEL_H
#define LUAGRAD_MODEL_H

#include <stddef.h>

#include "core/err.h"
#include "core/tensor.h"

typedef enum ModelKind { MODEL_LINEAR, MODEL_AFFINE, MODEL_MULTI } ModelKind;

typedef struct Model {
    ModelKind kind;
    size_t inputs;   /* d: 1 for linear and affine */
    size_t nparams;  /* 1, 2 or d + 1 */
    double *params;
    double *grads;   /* the last gradient computed, read by optimizers */
    /* params and grads are the storage of these two vectors, so Lua can hold
     * live views on them (m.w, m.grad); param_t->grad is grad_t, as for any
     * tensor an optimizer updates. */
    Tensor *param_t, *grad_t;
} Model;

/* Allocates params and grads (zeros). On failure both stay NULL. */
Status model_init(Model *m, ModelKind kind, size_t inputs, Err *e);
void model_release(Model *m);
const char *model_kind_name(ModelKind kind);

/* yhat for one sample: x points to `inputs` doubles. */
double model_forward1(const Model *m, const double *x);
/* yhat for n samples into out. */
void model_forward(const Model *m, const double *x, size_t n, double *out);

/* Mean squared error of the model over n samples (n >= 1) into *loss. */
Status model_mse(const Model *m, const double *x, const double *y, size_t n, double *loss,
                 Err *e);

/* Gradient of the MSE over n samples into grad (nparams doubles), in one
 * fused pass that also returns the MSE itself in *loss (may be NULL).
 * Samples are taken in the order idx[0..n-1] when idx is not NULL. Large n
 * is split into fixed chunks summed in a fixed order (on several threads
 * when they help), so the result does not depend on the thread count. */
/* The gradient of one sample's squared error (x: the sample's inputs):
 * what model_mse_grad gives for n = 1, bit for bit (each of its sums is 0
 * plus the one term), without the pass over chunks: grad.se per sample. */
void model_se_grad(const Model *m, const double *x, double y, double *grad);

Status model_mse_grad(const Model *m, const double *x, const double *y, size_t n,
                      const size_t *idx, double *grad, double *loss, Err *e);

/* Central-difference gradient of the MSE, (f(p+h) - f(p-h)) / 2h for each
 * parameter, with h = step * max(1, |p|). For checking model_mse_grad. */
Status model_numeric_grad(Model *m, const double *x, const double *y, size_t n,
                          double step, double *grad, Err *e);

/* Checks that the data can be used: n >= 1 and every x and y finite. The
 * message names the first bad value 1-based, as Lua shows it: "x[4] is nan". */
Status model_check_data(const Model *m, const double *x, const double *y, size_t n, Err *e);

/* The index of the first parameter that is inf or nan, or nparams. */
size_t model_find_nonfinite(const Model *m);

/* A parameter's name as Lua shows it: "w", "b", "w[3]". */
const char *model_param_name(const Model *m, size_t p, char *buf, size_t size);

#endif
