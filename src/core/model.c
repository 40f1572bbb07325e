/* model.c: see model.h.
 *
 * The fused pass computes, for r = yhat - y, the sums of r*r, r*x and r in
 * one read of the data; gradient of the MSE = 2/n * (sum of r*x, sum of r).
 * For linear and affine models the sums are those of src/core/kernel.h:
 * eight chains in a fixed order, which for n <= 3 is exactly the plain
 * left-to-right sum the course's listings use. */
#include "core/numfmt.h"
#include "core/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/kernel.h"
#include "core/kernel_avx.h"
#include "core/mem.h"
#include "core/numdiff.h"
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
    m->param_t = tensor_new(1, m->nparams, 1, 1, e);
    m->grad_t = m->param_t ? tensor_new(1, m->nparams, 1, 1, e) : NULL;
    if (!m->grad_t) {
        model_release(m);
        return err_set(e, ST_ENOMEM, "not enough memory for %zu parameters", m->nparams);
    }
    m->param_t->grad = m->grad_t;
    tensor_retain(m->grad_t);
    m->params = m->param_t->data;
    m->grads = m->grad_t->data;
    return ST_OK;
}

void model_release(Model *m)
{
    tensor_release(m->param_t);
    tensor_release(m->grad_t);
    m->param_t = m->grad_t = NULL;
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

/* Linear and affine: yhat = w*x + b (b = 0 for linear: adding 0 changes
 * nothing). Samples in order go through the shared kernel; in the order idx
 * (a shuffled batch) each sample j of the batch goes to chain j % 8, the
 * same sums the kernel makes of the gathered batch. */
static void scalar_chunk(const GradPass *g, size_t begin, size_t end, double *out)
{
    const double w = g->m->params[0];
    const double b = g->m->kind == MODEL_AFFINE ? g->m->params[1] : 0.0;
    double sums[3];
    if (!g->idx) {
        kernel_sums_best(g->x + begin, g->y + begin, end - begin, w, b, sums);
    } else {
        Pair rr[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
        Pair rx[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
        Pair rs[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
        for (size_t j = begin; j < end; j++) {
            size_t k = g->idx[j];
            double r = g->x[k] * w + b - g->y[k];
            int chain = (int)((j - begin) % KERNEL_CHAINS);
            kernel_add_to_chain(rr, chain, r * r);
            kernel_add_to_chain(rx, chain, r * g->x[k]);
            kernel_add_to_chain(rs, chain, r);
        }
        sums[0] = kernel_combine(rr[0], rr[1], rr[2], rr[3]);
        sums[1] = kernel_combine(rx[0], rx[1], rx[2], rx[3]);
        sums[2] = kernel_combine(rs[0], rs[1], rs[2], rs[3]);
    }
    out[0] = sums[0];
    out[1] = sums[1];
    if (g->m->kind == MODEL_AFFINE) out[2] = sums[2];
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
    /* work: one multiply-add per sample and sum (loss, each gradient) */
    par_run(nchunks, n * width, grad_chunk, &g);
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

void model_se_grad(const Model *m, const double *x, double y, double *grad)
{
    const double *p = m->params;
    double r = m->kind == MODEL_MULTI ? model_forward1(m, x) - y
             : x[0] * p[0] + (m->kind == MODEL_AFFINE ? p[1] : 0.0) - y;
    for (size_t j = 0; j < m->inputs; j++) grad[j] = 2 * (0.0 + r * x[j]);
    if (m->kind != MODEL_LINEAR) grad[m->nparams - 1] = 2 * (0.0 + r);
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
        double h = numdiff_step(saved, step);
        double up, down;
        m->params[p] = saved + h;
        Status st = model_mse(m, x, y, n, &up, e);
        m->params[p] = saved - h;
        if (st == ST_OK) st = model_mse(m, x, y, n, &down, e);
        m->params[p] = saved;
        if (st != ST_OK) return st;
        grad[p] = numdiff_central(up, down, saved, h);
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
            return err_set(e, ST_EINVAL, "x[%zu] is %s", bad + 1, numfmt_nonfinite(x[bad]));
        return err_set(e, ST_EINVAL, "x[%zu][%zu] is %s", bad / m->inputs + 1,
                       bad % m->inputs + 1, numfmt_nonfinite(x[bad]));
    }
    bad = array_find_nonfinite(y, n);
    if (bad < n) return err_set(e, ST_EINVAL, "y[%zu] is %s", bad + 1, numfmt_nonfinite(y[bad]));
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
