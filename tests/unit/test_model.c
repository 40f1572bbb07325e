/* test_model.c: the fused MSE/gradient pass, the optimizers, the fit loop
 * and the scans of the core, against plain loops written here. */
#include <string.h>

#include "core/fit.h"
#include "core/mem.h"
#include "core/model.h"
#include "core/optim.h"
#include "core/par.h"
#include "core/scan.h"
#include "unit.h"

void test_model(void);

#define N 200003  /* seven chunks and a bit: the chunked, threaded path */

static double xs[N], ys[N];

static void make_data(void)
{
    Rng r;
    rng_seed(&r, 1);
    for (size_t i = 0; i < N; i++) {
        xs[i] = rng_uniform(&r);
        ys[i] = 2 * xs[i] + 1 + 0.1 * rng_normal(&r);
    }
}

static void fused_pass(void)
{
    Model m;
    Err e;
    CHECK(model_init(&m, MODEL_AFFINE, 1, &e) == ST_OK);
    m.params[0] = 1.5;
    m.params[1] = 0.25;
    /* the plain loop: one accumulator each */
    double rr = 0, rx = 0, r1 = 0;
    for (size_t i = 0; i < N; i++) {
        double r = xs[i] * 1.5 + 0.25 - ys[i];
        rr += r * r;
        rx += r * xs[i];
        r1 += r;
    }
    double g[2], loss;
    CHECK(model_mse_grad(&m, xs, ys, N, NULL, g, &loss, &e) == ST_OK);
    CHECK_NEAR(loss, rr / N, 1e-12);
    CHECK_NEAR(g[0], 2 * rx / N, 1e-12);
    CHECK_NEAR(g[1], 2 * r1 / N, 1e-12);

    /* the same bits with one thread and with two */
    double g1[2], g2[2], l1, l2;
    par_set_threads(1);
    model_mse_grad(&m, xs, ys, N, NULL, g1, &l1, &e);
    par_set_threads(2);
    model_mse_grad(&m, xs, ys, N, NULL, g2, &l2, &e);
    par_set_threads(0);
    CHECK(memcmp(g1, g2, sizeof g1) == 0 && l1 == l2);
    model_release(&m);
    CHECK(m.params == NULL);
}

static void optimizer_steps(void)
{
    /* f(p) = p^2 from p = 1, gradient 2p: momentum 0.9, lr 0.1 gives
     * 0.8, 0.46, 0.062 (worked out in tests/test_optim.lua). */
    OptimConfig c = {0};
    c.kind = OPTIM_SGD;
    c.lr = 0.1;
    c.momentum = 0.9;
    Optimizer o;
    Err e;
    CHECK(optim_init(&o, &c, 1, &e) == ST_OK);
    double p = 1, g;
    double want[] = {0.8, 0.46, 0.062};
    for (int k = 0; k < 3; k++) {
        g = 2 * p;
        optim_step(&o, &p, &g);
        CHECK_NEAR(p, want[k], 1e-15);
    }
    optim_release(&o);
    c.lr = -1;
    CHECK(optim_init(&o, &c, 1, &e) == ST_EINVAL);
}

static void fit_full_batch(void)
{
    /* w_k = 2 - (1 - lr 28/3)^k (2 - w0) on x = 1,2,3, y = 2x */
    double x[] = {1, 2, 3}, y[] = {2, 4, 6};
    Model m;
    Optimizer o;
    Err e;
    Rng r;
    rng_seed(&r, 0);
    model_init(&m, MODEL_LINEAR, 1, &e);
    m.params[0] = 1;
    OptimConfig c = {0};
    c.kind = OPTIM_SGD;
    c.lr = 0.01;
    optim_init(&o, &c, 1, &e);
    FitConfig fc = {100, 3, 0};
    size_t done;
    CHECK(fit_run(&m, x, y, 3, &fc, &o, &r, NULL, NULL, &done, &e) == ST_OK && done == 100);
    CHECK_NEAR(m.params[0], 2 - pow(1 - 0.01 * 28.0 / 3, 100), 1e-12);
    /* a learning rate that blows up: an error naming the epoch */
    o.c.lr = 10;
    fc.epochs = 1000;
    CHECK(fit_run(&m, x, y, 3, &fc, &o, &r, NULL, NULL, &done, &e) == ST_EDIVERGED);
    CHECK(strstr(e.msg, "at epoch") != NULL);
    optim_release(&o);
    model_release(&m);
}

static void scans(void)
{
    double ws[5] = {0, 1, 2, 3, 4}, bs[3] = {-1, 1, 3};
    double direct[15], closed[15];
    ScanMethod used;
    Err e;
    CHECK(scan_mse(MODEL_AFFINE, xs, ys, 5000, ws, 5, bs, 3, SCAN_DIRECT, direct, &used, &e) == ST_OK);
    CHECK(used == SCAN_DIRECT);
    CHECK(scan_mse(MODEL_AFFINE, xs, ys, 5000, ws, 5, bs, 3, SCAN_CLOSED, closed, &used, &e) == ST_OK);
    CHECK(used == SCAN_CLOSED);
    for (int i = 0; i < 15; i++) CHECK_NEAR(closed[i], direct[i], 1e-10);
}

void test_model(void)
{
    make_data();
    fused_pass();
    optimizer_steps();
    fit_full_batch();
    scans();
    CHECK(mem_in_use() == 0);  /* everything allocated was freed */

    /* The cap: one check in mem_realloc covers every allocation. */
    mem_set_limit(1000);
    void *small = mem_alloc(600);
    CHECK(small != NULL);
    CHECK(mem_alloc(600) == NULL);           /* 1200 > 1000 */
    Model m;
    Err e;
    CHECK(model_init(&m, MODEL_MULTI, 200, &e) == ST_ENOMEM);  /* 2 x 1608 bytes */
    CHECK(strstr(e.msg, "not enough memory") != NULL);
    mem_free(small, 600);
    mem_set_limit(0);
    CHECK(mem_in_use() == 0);
}
