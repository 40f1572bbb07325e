/* fit.c: see fit.h. */
#include "core/numfmt.h"
#include "core/fit.h"

#include <math.h>

#include "core/cancel.h"
#include "core/mem.h"

/* Per-sample plain SGD on a linear or affine model: the course's SGD, with
 * the update rule of optim.h inlined (a call per sample would cost more than
 * the arithmetic). The rule p + (-lr)*g with g = 2*(r*x) is computed as
 * p + (-2*lr)*(r*x): doubling is exact in binary, so the result is the same
 * to the bit, one multiplication sooner. Returns the sum of the samples'
 * losses, each before its update, or nan when interrupted. */
static double sgd_epoch_scalar(Model *m, const double *x, const double *y, size_t n,
                               const size_t *perm, double lr)
{
    double w = m->params[0];
    double b = m->kind == MODEL_AFFINE ? m->params[1] : 0.0;
    int affine = m->kind == MODEL_AFFINE;
    const double step = -2 * lr;
    double loss_sum = 0, r = 0, rx = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & (CANCEL_EVERY - 1)) == 0 && cancel_requested()) return NAN;
        size_t k = perm ? perm[i] : i;
        r = x[k] * w + b - y[k];
        rx = r * x[k];
        loss_sum += r * r;
        w = w + step * rx;
        if (affine) b = b + step * r;
    }
    m->params[0] = w;
    if (affine) m->params[1] = b;
    /* m.grad: the last sample's gradient, as the general path leaves it */
    m->grads[0] = 2 * rx;
    if (affine) m->grads[1] = 2 * r;
    return loss_sum;
}

static Status diverged(const Model *m, size_t epoch, double loss, Err *e)
{
    size_t bad = model_find_nonfinite(m);
    if (bad < m->nparams) {
        char name[32];
        return err_set(e, ST_EDIVERGED,
                       "parameter %s became %s at epoch %zu: training diverged "
                       "(is the learning rate too large?)",
                       model_param_name(m, bad, name, sizeof name),
                       numfmt_nonfinite(m->params[bad]), epoch);
    }
    return err_set(e, ST_EDIVERGED,
                   "the loss became %s at epoch %zu: training diverged "
                   "(is the learning rate too large?)", numfmt_nonfinite(loss), epoch);
}

Status fit_run(Model *m, const double *x, const double *y, size_t n, const FitConfig *fc,
               Optimizer *o, Rng *rng, FitEpochFn on_epoch, void *ud, size_t *done, Err *e)
{
    *done = 0;
    if (fc->epochs < 1) return err_set(e, ST_EINVAL, "epochs must be >= 1");
    if (fc->batch < 1 || fc->batch > n)
        return err_set(e, ST_EINVAL, "batch must be from 1 to %zu (the number of samples), got %zu",
                       n, fc->batch);
    size_t *perm = NULL;
    if (fc->shuffle && !(perm = mem_alloc(n * sizeof *perm)))
        return err_set(e, ST_ENOMEM, "not enough memory to shuffle %zu samples", n);

    Status st = ST_OK;
    size_t d = m->inputs;
    int fast_sgd = fc->batch == 1 && m->kind != MODEL_MULTI && optim_is_plain_sgd(o);
    for (size_t epoch = 1; epoch <= fc->epochs && st == ST_OK; epoch++) {
        if (perm) rng_permutation(rng, perm, n);
        double loss;
        if (fast_sgd) {
            o->t += (long long)n;
            loss = sgd_epoch_scalar(m, x, y, n, perm, o->c.lr) / (double)n;
            if (isnan(loss) && cancel_requested()) st = ST_ECANCEL;
        } else {
            double loss_sum = 0, batch_loss = 0;
            for (size_t s = 0; s < n && st == ST_OK; s += fc->batch) {
                size_t count = n - s < fc->batch ? n - s : fc->batch;
                if (perm)
                    st = model_mse_grad(m, x, y, count, perm + s, m->grads, &batch_loss, e);
                else
                    st = model_mse_grad(m, x + s * d, y + s, count, NULL, m->grads, &batch_loss, e);
                loss_sum += batch_loss * (double)count;
                optim_step(o, m->params, m->grads);
                if (cancel_requested()) st = ST_ECANCEL;
            }
            loss = fc->batch >= n ? batch_loss : loss_sum / (double)n;
        }
        if (st == ST_ECANCEL) {
            err_set(e, st, "interrupted");
            break;
        }
        if (st != ST_OK) break;
        if (!isfinite(loss) || model_find_nonfinite(m) < m->nparams) {
            st = diverged(m, epoch, loss, e);
            break;
        }
        *done = epoch;
        if (on_epoch) {
            int r = on_epoch(ud, epoch, loss);
            if (r < 0) st = ST_ECALLBACK;
            if (r != 0) break;
        }
    }
    mem_free(perm, n * sizeof *perm);
    return st;
}
