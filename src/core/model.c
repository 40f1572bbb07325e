/* model.c: see model.h.
 *
 * The fused pass computes, for r = yhat - y, the sums of r*r, r*x and r in
 * one read of the data; gradient of the MSE = 2/n * (sum of r*x, sum of r).
 * For linear and affine models the sums run in four independent chains
 * combined as (c0 + c1) + (c2 + c3): fast, and in a fixed order. For n <= 3
 * that is exactly the plain left-to-right sum the course's listings use. */
#include "core/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"
#include "core/par.h"
#include "core/tensor.h"

Status model_init(Model *m, ModelKind kind, size_t inputs, Err *e)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->inputs = kind == MODEL_MULTI ? inputs : 1;
    m->nparams = kind == MODEL_LINEAR ? 1 : m->inputs + 1;
    if (kind == MODEL_MULTI && (inputs < 1 || inputs > ((size_t)1 << 24)))
        return err_set(e, ST_EINVAL, "inputs must be from 1 to 2^24, got %zu", inputs);
    size_t bytes = m->nparams * sizeof(double);
    m->params = mem_alloc(bytes);
    m->grads = mem_alloc(bytes);
    if (!m->params || !m->grads) {
        model_release(m);
        return err_set(e, ST_ENOMEM, "not enough memory for %zu parameters", m->nparams);
    }
    memset(m->params, 0, bytes);
    memset(m->grads, 0, bytes);
    return ST_OK;
}

void model_release(Model *m)
{
    mem_free(m->params, m->nparams * sizeof(double));
    mem_free(m->grads, m->nparams * sizeof(double));
    m->params = m->grads = NULL;
}

const char *model_kind_name(ModelKind kind)
{
    return kind == MODEL_LINEAR ? "linear" : kind == MODEL_AFFINE ? "affine" : "multi";
}

double model_forward1(const Model *m, const double *x)
{
    const double *p = m->params;
    switch (m->kind) {
    case MODEL_LINEAR: return x[0] * p[0];
    case MODEL_AFFINE: return x[0] * p[0] + p[1];
    default: {
        double s = 0;
        for (size_t j = 0; j < m->inputs; j++) s += x[j] * p[j];
        return s + p[m->inputs];
    }
    }
}

void model_forward(const Model *m, const double *x, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) out[i] = model_forward1(m, x + i * m->inputs);
}

/* ---- the fused pass --------------------------------------------------------- */

typedef struct GradPass {
    const Model *m;
    const double *x, *y;
    const size_t *idx;  /* sample order, or NULL for 0..n-1 */
    size_t n;
    double *partials;   /* per chunk: [sum r*r, sum r*dyhat/dp for each p] */
} GradPass;

/* Linear and affine: yhat = w*x + b (b = 0 for linear, adding 0 changes
 * nothing). Four chains; the tail goes into chains 0, 1, 2 in order. */
static void scalar_chunk(const GradPass *g, size_t begin, size_t end, double *out)
{
    const double w = g->m->params[0];
    const double b = g->m->kind == MODEL_AFFINE ? g->m->params[1] : 0.0;
    const double *x = g->x, *y = g->y;
    double rr0 = 0, rr1 = 0, rr2 = 0, rr3 = 0;
    double rx0 = 0, rx1 = 0, rx2 = 0, rx3 = 0;
    double r0s = 0, r1s = 0, r2s = 0, r3s = 0;
    size_t i = begin;
    if (!g->idx) {
        for (; i + 4 <= end; i += 4) {
            double r0 = x[i] * w + b - y[i];
            double r1 = x[i + 1] * w + b - y[i + 1];
            double r2 = x[i + 2] * w + b - y[i + 2];
            double r3 = x[i + 3] * w + b - y[i + 3];
            rr0 += r0 * r0; rx0 += r0 * x[i];     r0s += r0;
            rr1 += r1 * r1; rx1 += r1 * x[i + 1]; r1s += r1;
            rr2 += r2 * r2; rx2 += r2 * x[i + 2]; r2s += r2;
            rr3 += r3 * r3; rx3 += r3 * x[i + 3]; r3s += r3;
        }
    }
    for (int lane = 0; i < end; i++, lane = (lane + 1) & 3) {
        size_t k = g->idx ? g->idx[i] : i;
        double r = x[k] * w + b - y[k];
        switch (lane) {
        case 0: rr0 += r * r; rx0 += r * x[k]; r0s += r; break;
        case 1: rr1 += r * r; rx1 += r * x[k]; r1s += r; break;
        case 2: rr2 += r * r; rx2 += r * x[k]; r2s += r; break;
        default: rr3 += r * r; rx3 += r * x[k]; r3s += r; break;
        }
    }
    out[0] = (rr0 + rr1) + (rr2 + rr3);
    out[1] = (rx0 + rx1) + (rx2 + rx3);
    if (g->m->kind == MODEL_AFFINE) out[2] = (r0s + r1s) + (r2s + r3s);
}

/* multi: one chain per parameter, samples in order. */
static void multi_chunk(const GradPass *g, size_t begin, size_t end, double *out)
{
    const Model *m = g->m;
    size_t d = m->inputs;
    memset(out, 0, (m->nparams + 1) * sizeof(double));
    for (size_t i = begin; i < end; i++) {
        size_t k = g->idx ? g->idx[i] : i;
        const double *xk = g->x + k * d;
        double r = model_forward1(m, xk) - g->y[k];
        out[0] += r * r;
        for (size_t j = 0; j < d; j++) out[1 + j] += r * xk[j];
        out[1 + d] += r;
    }
}

static void grad_chunk(void *ctx, size_t chunk)
{
    GradPass *g = ctx;
    size_t begin = chunk * PAR_CHUNK;
    size_t end = begin + PAR_CHUNK < g->n ? begin + PAR_CHUNK : g->n;
    double *out = g->partials + chunk * (g->m->nparams + 1);
    if (g->m->kind == MODEL_MULTI) multi_chunk(g, begin, end, out);
    else scalar_chunk(g, begin, end, out);
}

/* Partial sums of up to this many doubles live on the stack. */
#define STACK_PARTIALS 256

Status model_mse_grad(const Model *m, const double *x, const double *y, size_t n,
                      const size_t *idx, double *grad, double *loss, Err *e)
{
    size_t width = m->nparams + 1;
    size_t nchunks = par_nchunks(n, PAR_CHUNK);
    double on_stack[STACK_PARTIALS];
    size_t bytes = width * nchunks * sizeof(double);
    double *partials = width * nchunks <= STACK_PARTIALS ? on_stack : mem_alloc(bytes);
    if (!partials) return err_set(e, ST_ENOMEM, "not enough memory for %zu partial sums", width * nchunks);
    GradPass g = {m, x, y, idx, n, partials};
    /* Threads pay off from a few chunks on. */
    par_run(nchunks, nchunks >= 4, grad_chunk, &g);
    /* Combine the chunks in order: the same sums whatever thread did what. */
    double rr = partials[0];
    for (size_t p = 0; p < m->nparams; p++) grad[p] = partials[1 + p];
    for (size_t c = 1; c < nchunks; c++) {
        const double *part = partials + c * width;
        rr += part[0];
        for (size_t p = 0; p < m->nparams; p++) grad[p] += part[1 + p];
    }
    for (size_t p = 0; p < m->nparams; p++) grad[p] = 2 * grad[p] / (double)n;
    if (loss) *loss = rr / (double)n;
    if (partials != on_stack) mem_free(partials, bytes);
    return ST_OK;
}

Status model_mse(const Model *m, const double *x, const double *y, size_t n, double *loss,
                 Err *e)
{
    double scratch[STACK_PARTIALS];
    double *grad = m->nparams <= STACK_PARTIALS ? scratch : mem_alloc(m->nparams * sizeof(double));
    if (!grad) return err_set(e, ST_ENOMEM, "not enough memory for %zu gradients", m->nparams);
    Status st = model_mse_grad(m, x, y, n, NULL, grad, loss, e);
    if (grad != scratch) mem_free(grad, m->nparams * sizeof(double));
    return st;
}

Status model_numeric_grad(Model *m, const double *x, const double *y, size_t n, double step,
                          double *grad, Err *e)
{
    for (size_t p = 0; p < m->nparams; p++) {
        double saved = m->params[p];
        double h = step * (fabs(saved) > 1 ? fabs(saved) : 1);
        double up, down;
        m->params[p] = saved + h;
        Status st = model_mse(m, x, y, n, &up, e);
        m->params[p] = saved - h;
        if (st == ST_OK) st = model_mse(m, x, y, n, &down, e);
        m->params[p] = saved;
        if (st != ST_OK) return st;
        /* (saved + h) - (saved - h) is the step actually taken. */
        grad[p] = (up - down) / ((saved + h) - (saved - h));
    }
    return ST_OK;
}

Status model_check_data(const Model *m, const double *x, const double *y, size_t n, Err *e)
{
    if (n == 0) return err_set(e, ST_EINVAL, "the data is empty");
    size_t nx = n * m->inputs;
    size_t bad = array_find_nonfinite(x, nx);
    if (bad < nx) {
        if (m->inputs == 1)
            return err_set(e, ST_EINVAL, "x[%zu] is %s", bad + 1, isnan(x[bad]) ? "nan" : "inf");
        return err_set(e, ST_EINVAL, "x[%zu][%zu] is %s", bad / m->inputs + 1,
                       bad % m->inputs + 1, isnan(x[bad]) ? "nan" : "inf");
    }
    bad = array_find_nonfinite(y, n);
    if (bad < n) return err_set(e, ST_EINVAL, "y[%zu] is %s", bad + 1, isnan(y[bad]) ? "nan" : "inf");
    return ST_OK;
}

size_t model_find_nonfinite(const Model *m)
{
    return array_find_nonfinite(m->params, m->nparams);
}

const char *model_param_name(const Model *m, size_t p, char *buf, size_t size)
{
    if (p + 1 == m->nparams && m->kind != MODEL_LINEAR) snprintf(buf, size, "b");
    else if (m->kind == MODEL_MULTI) snprintf(buf, size, "w[%zu]", p + 1);
    else snprintf(buf, size, "w");
    return buf;
}
