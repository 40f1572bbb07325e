/* scan.c: see scan.h. */
#include "core/scan.h"

#include <math.h>

#include "core/cancel.h"
#include "core/kernel.h"
#include "core/par.h"
#include "core/tensor.h"

typedef struct Grid {
    const double *x, *y;
    size_t n;
    const double *ws, *bs;
    size_t nb;  /* 1 for linear */
    int affine;
    double *out;
} Grid;

/* Direct MSE at (w, b), summed as model_mse sums it (src/core/kernel.h). */
static double direct_mse(const double *x, const double *y, size_t n, double w, double b)
{
    return kernel_sse(x, y, n, w, b) / (double)n;
}

/* One chunk is one row of the grid: one w, every b. */
static void direct_row(void *ctx, size_t row)
{
    Grid *g = ctx;
    for (size_t j = 0; j < g->nb; j++) {
        if (cancel_requested()) return;
        double b = g->affine ? g->bs[j] : 0.0;
        g->out[row * g->nb + j] = direct_mse(g->x, g->y, g->n, g->ws[row], b);
    }
}

static void closed_form(const Grid *g, size_t nw)
{
    size_t n = g->n;
    double nd = (double)n;
    double mx = 0, my = 0;  /* the linear model has no b to centre with */
    if (g->affine) {
        mx = array_sum(g->x, n) / nd;
        my = array_sum(g->y, n) / nd;
    }
    double suu = 0, suv = 0, svv = 0, su = 0, sv = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & (CANCEL_EVERY - 1)) == 0 && cancel_requested()) return;
        double u = g->x[i] - mx, v = g->y[i] - my;
        suu += u * u;
        suv += u * v;
        svv += v * v;
        su += u;
        sv += v;
    }
    /* w^2*Suu - 2w*Suv + Svv written as Suu*(w - w0)^2 + (Svv - Suv*w0),
     * w0 = Suv/Suu: no cancellation between large terms near the minimum. */
    double w0 = suu > 0 ? suv / suu : 0;
    double floor_term = suu > 0 ? svv - suv * w0 : svv;
    for (size_t i = 0; i < nw; i++) {
        if (cancel_requested()) return;
        double w = g->ws[i];
        double dw = w - w0;
        double quad = (suu > 0 ? suu * dw * dw : 0) + floor_term;
        for (size_t j = 0; j < g->nb; j++) {
            double c = g->affine ? w * mx + g->bs[j] - my : 0.0;
            double total = quad + 2 * c * (w * su - sv) + nd * c * c;
            /* A sum of squares: rounding must not make it negative. */
            g->out[i * g->nb + j] = total > 0 ? total / nd : 0.0;
        }
    }
}

Status scan_mse(ModelKind kind, const double *x, const double *y, size_t n, const double *ws,
                size_t nw, const double *bs, size_t nb, ScanMethod method, double *out,
                ScanMethod *used, Err *e)
{
    if (kind == MODEL_MULTI)
        return err_set(e, ST_EINVAL, "scans are for linear and affine models");
    if (n == 0) return err_set(e, ST_EINVAL, "the data is empty");
    int affine = kind == MODEL_AFFINE;
    if (!affine) nb = 1;
    Grid g = {x, y, n, ws, bs, nb, affine, out};
    size_t points = nw * nb;
    /* points * n, saturating, so huge grids do not overflow */
    size_t work = n && points > (size_t)-1 / n ? (size_t)-1 : points * n;
    if (method == SCAN_AUTO) method = work >= SCAN_CLOSED_FROM ? SCAN_CLOSED : SCAN_DIRECT;
    *used = method;
    if (method == SCAN_CLOSED) {
        closed_form(&g, nw);
        if (cancel_requested()) return err_set(e, ST_ECANCEL, "interrupted");
        return ST_OK;
    }
    /* work: a sample at a grid point is a few multiply-adds */
    par_run(nw, work, direct_row, &g);
    if (cancel_requested()) return err_set(e, ST_ECANCEL, "interrupted");
    return ST_OK;
}
