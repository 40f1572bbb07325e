/* optim.c: see optim.h for the rules. */
#include "core/optim.h"

#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "core/numfmt.h"

static double *zeros(size_t n)
{
    double *p = mem_alloc(n * sizeof(double));
    if (p) memset(p, 0, n * sizeof(double));
    return p;
}

/* "name must be <what>, got <v>" with v as luagrad writes numbers. */
static Status bad(Err *e, const char *name, const char *what, double v)
{
    char num[NUMFMT_SIZE];
    numfmt_double(v, num);
    return err_set(e, ST_EINVAL, "%s must be %s, got %s", name, what, num);
}

Status optim_init(Optimizer *o, const OptimConfig *c, size_t n, Err *e)
{
    memset(o, 0, sizeof *o);
    if (!(c->lr > 0) || !isfinite(c->lr)) return bad(e, "lr", "a number > 0", c->lr);
    if (!(c->weight_decay >= 0) || !isfinite(c->weight_decay))
        return bad(e, "weight_decay", ">= 0", c->weight_decay);
    if (c->kind == OPTIM_SGD) {
        if (!(c->momentum >= 0) || !isfinite(c->momentum))
            return bad(e, "momentum", ">= 0", c->momentum);
        if (!(c->dampening >= 0 && c->dampening <= 1))
            return bad(e, "dampening", "from 0 to 1", c->dampening);
        if (c->nesterov && (c->momentum == 0 || c->dampening != 0))
            return err_set(e, ST_EINVAL, "nesterov needs momentum > 0 and dampening 0");
    } else {
        if (!(c->beta1 >= 0 && c->beta1 < 1)) return bad(e, "betas[1]", "in [0, 1)", c->beta1);
        if (!(c->beta2 >= 0 && c->beta2 < 1)) return bad(e, "betas[2]", "in [0, 1)", c->beta2);
        if (!(c->eps >= 0)) return bad(e, "eps", ">= 0", c->eps);
        if (!isfinite(c->eps)) return bad(e, "eps", "a finite number >= 0", c->eps);
    }
    o->c = *c;
    o->n = n;
    int need1 = c->kind == OPTIM_ADAM || c->momentum != 0;
    int need2 = c->kind == OPTIM_ADAM;
    int need3 = c->kind == OPTIM_ADAM && c->amsgrad;
    if ((need1 && !(o->buf = zeros(n))) || (need2 && !(o->buf2 = zeros(n))) ||
        (need3 && !(o->buf3 = zeros(n)))) {
        optim_release(o);
        return err_set(e, ST_ENOMEM, "not enough memory for the optimizer state");
    }
    return ST_OK;
}

void optim_release(Optimizer *o)
{
    mem_free(o->buf, o->n * sizeof(double));
    mem_free(o->buf2, o->n * sizeof(double));
    mem_free(o->buf3, o->n * sizeof(double));
    o->buf = o->buf2 = o->buf3 = NULL;
}

void optim_reset(Optimizer *o)
{
    o->t = 0;
    if (o->buf) memset(o->buf, 0, o->n * sizeof(double));
    if (o->buf2) memset(o->buf2, 0, o->n * sizeof(double));
    if (o->buf3) memset(o->buf3, 0, o->n * sizeof(double));
}

static void sgd_step(Optimizer *o, double *p, const double *grad)
{
    const OptimConfig *c = &o->c;
    if (!c->maximize && c->weight_decay == 0 && c->momentum == 0) {
        /* plain SGD, the common case: one loop the compiler vectorises */
        double step = -c->lr;
        size_t n = o->n;
        for (size_t i = 0; i < n; i++) p[i] = p[i] + step * grad[i];
        return;
    }
    for (size_t i = 0; i < o->n; i++) {
        double g = c->maximize ? -grad[i] : grad[i];
        if (c->weight_decay != 0) g = g + c->weight_decay * p[i];
        if (c->momentum != 0) {
            double *b = &o->buf[i];
            *b = o->t == 1 ? g : *b * c->momentum + (1 - c->dampening) * g;
            g = c->nesterov ? g + c->momentum * *b : *b;
        }
        p[i] = p[i] + -c->lr * g;
    }
}

static void adam_step(Optimizer *o, double *p, const double *grad)
{
    const OptimConfig *c = &o->c;
    double bias1 = 1 - pow(c->beta1, (double)o->t);
    double bias2 = 1 - pow(c->beta2, (double)o->t);
    double step_size = c->lr / bias1;
    double bias2_sqrt = sqrt(bias2);
    for (size_t i = 0; i < o->n; i++) {
        double g = c->maximize ? -grad[i] : grad[i];
        if (c->weight_decay != 0) g = g + c->weight_decay * p[i];
        double *m = &o->buf[i], *v = &o->buf2[i];
        *m = *m * c->beta1 + (1 - c->beta1) * g;
        *v = *v * c->beta2 + (1 - c->beta2) * g * g;
        double vhat = *v;
        if (c->amsgrad) {
            if (*v > o->buf3[i]) o->buf3[i] = *v;
            vhat = o->buf3[i];
        }
        double denom = sqrt(vhat) / bias2_sqrt + c->eps;
        p[i] = p[i] + -step_size * *m / denom;
    }
}

void optim_step(Optimizer *o, double *p, const double *g)
{
    o->t++;
    if (o->c.kind == OPTIM_SGD) sgd_step(o, p, g);
    else adam_step(o, p, g);
}
