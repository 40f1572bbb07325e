/* scan.c: see scan.h. */
#include "core/scan.h"

#include <math.h>

#include "core/cancel.h"
#include "core/kernel.h"
#include "core/kernel_avx.h"
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
    return kernel_sse_best(x, y, n, w, b) / (double)n;
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

/* The quadratic's coefficients, from two passes over the data. With
 * u = x - mx, v = y - my (the linear model: mx = my = 0) and c = w*mx + b - my,
 * a residual is r(w, b) = w*u + c - v. The first pass finds the least-squares
 * slope w0 = Suv/Suu; the second takes each residual r0 = w0*u - v with one
 * rounding (fma) and sums what the quadratic needs. Then, exactly,
 *   n*MSE = Srr + 2dw*Sru + 2c*Sr + dw^2*Suu + 2dw*c*Su + n*c^2,  dw = w - w0,
 * so the floor Srr is summed from small residuals, never found as the
 * difference of large sums (which cancels when x is far from 0). */
typedef struct Quad {
    double mx, my, w0, suu, su, srr, sru, sr;
} Quad;

/* 0 when interrupted or when a coefficient is not finite (sums overflow):
 * then the closed form cannot be trusted. */
static int quad_fit(const Grid *g, Quad *q)
{
    size_t n = g->n;
    double nd = (double)n;
    q->mx = g->affine ? array_sum(g->x, n) / nd : 0.0;
    q->my = g->affine ? array_sum(g->y, n) / nd : 0.0;
    double suu = 0, suv = 0, su = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & (CANCEL_EVERY - 1)) == 0 && cancel_requested()) return 0;
        double u = g->x[i] - q->mx, v = g->y[i] - q->my;
        suu += u * u;
        suv += u * v;
        su += u;
    }
    q->suu = suu;
    q->su = su;
    q->w0 = suu > 0 ? suv / suu : 0.0;
    double srr = 0, sru = 0, sr = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & (CANCEL_EVERY - 1)) == 0 && cancel_requested()) return 0;
        double u = g->x[i] - q->mx, v = g->y[i] - q->my;
        double r = fma(q->w0, u, -v);
        srr += r * r;
        sru += r * u;
        sr += r;
    }
    q->srr = srr;
    q->sru = sru;
    q->sr = sr;
    const double all[] = {q->mx, q->my, suu, suv, su, q->w0, srr, sru, sr};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (!isfinite(all[k])) return 0;
    return 1;
}

/* A point whose quadratic overflows (inf - inf, or inf where direct
 * evaluation stays finite) is evaluated directly instead. */
static void closed_form(const Grid *g, const Quad *q, size_t nw)
{
    double nd = (double)g->n;
    for (size_t i = 0; i < nw; i++) {
        if (cancel_requested()) return;
        double w = g->ws[i];
        double dw = w - q->w0;
        for (size_t j = 0; j < g->nb; j++) {
            double c = g->affine ? w * q->mx + g->bs[j] - q->my : 0.0;
            double total = q->srr + 2 * dw * q->sru + 2 * c * q->sr + dw * dw * q->suu +
                           2 * dw * c * q->su + nd * c * c;
            double *out = &g->out[i * g->nb + j];
            if (!isfinite(total))
                *out = direct_mse(g->x, g->y, g->n, w, g->affine ? g->bs[j] : 0.0);
            else
                /* A sum of squares: rounding must not make it negative. */
                *out = total > 0 ? total / nd : 0.0;
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
    int forced = method == SCAN_CLOSED;
    if (method == SCAN_AUTO) method = work >= SCAN_CLOSED_FROM ? SCAN_CLOSED : SCAN_DIRECT;
    if (method == SCAN_CLOSED) {
        Quad q;
        int ok = quad_fit(&g, &q);
        if (cancel_requested()) return err_set(e, ST_ECANCEL, "interrupted");
        if (ok) {
            *used = SCAN_CLOSED;
            closed_form(&g, &q, nw);
            if (cancel_requested()) return err_set(e, ST_ECANCEL, "interrupted");
            return ST_OK;
        }
        if (forced)
            return err_set(e, ST_EINVAL,
                           "the closed form's sums overflow on this data (they are not "
                           "finite); use method = \"direct\" or \"auto\"");
    }
    *used = SCAN_DIRECT;
    /* work: a sample at a grid point is a few multiply-adds */
    par_run(nw, work, direct_row, &g);
    if (cancel_requested()) return err_set(e, ST_ECANCEL, "interrupted");
    return ST_OK;
}
