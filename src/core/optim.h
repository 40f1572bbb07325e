/* optim.h: the optimizers' update rules, one implementation each, used by
 * every caller (optim.sgd/adam from Lua, the fast training loop).
 *
 * The rules are those PyTorch documents for torch.optim.SGD and
 * torch.optim.Adam, with the same order of floating-point operations as its
 * implementation, so a learner who moves to PyTorch sees the same numbers.
 * For each parameter p with gradient g (step t = 1, 2, ...):
 *
 * SGD (lr, momentum mu, dampening tau, weight_decay lambda, nesterov):
 *   g = g + lambda*p                          if lambda != 0
 *   b = g (t = 1),  b = mu*b + (1-tau)*g (t > 1)     if mu != 0
 *   g = g + mu*b (nesterov) or g = b                 if mu != 0
 *   p = p - lr*g
 * Adam (lr, beta1, beta2, eps, weight_decay lambda, amsgrad):
 *   g = g + lambda*p                          if lambda != 0
 *   m = beta1*m + (1-beta1)*g
 *   v = beta2*v + ((1-beta2)*g)*g
 *   vmax = max(vmax, v)                       amsgrad (then vmax replaces v)
 *   denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 *   p = p + (-(lr / (1 - beta1^t)) * m) / denom
 * maximize negates g first (gradient ascent). */
#ifndef LUAGRAD_OPTIM_H
#define LUAGRAD_OPTIM_H

#include <stddef.h>

#include "core/err.h"

typedef enum OptimKind { OPTIM_SGD, OPTIM_ADAM } OptimKind;

typedef struct OptimConfig {
    OptimKind kind;
    double lr;
    double momentum, dampening;  /* SGD */
    int nesterov;                /* SGD */
    double beta1, beta2, eps;    /* Adam */
    int amsgrad;                 /* Adam */
    double weight_decay;
    int maximize;
} OptimConfig;

typedef struct Optimizer {
    OptimConfig c;
    size_t n;        /* number of parameters */
    long long t;     /* steps taken */
    double *buf;     /* SGD momentum buffer, Adam m; NULL when unused */
    double *buf2;    /* Adam v */
    double *buf3;    /* Adam vmax (amsgrad) */
} Optimizer;

/* Checks the configuration (lr > 0, 0 <= momentum, 0 <= beta < 1, ...) and
 * allocates the state for n parameters. */
Status optim_init(Optimizer *o, const OptimConfig *c, size_t n, Err *e);
void optim_release(Optimizer *o);
void optim_reset(Optimizer *o);  /* back to step 0, state zeroed */

/* One step: updates p (n values) from gradients g. */
void optim_step(Optimizer *o, double *p, const double *g);

/* SGD without momentum, weight decay or maximize is p = p + (-lr)*g, which
 * the per-sample loop of fit inlines (src/core/fit.c). */
static inline int optim_is_plain_sgd(const Optimizer *o)
{
    return o->c.kind == OPTIM_SGD && o->c.momentum == 0 && o->c.weight_decay == 0 &&
           !o->c.maximize;
}

#endif
