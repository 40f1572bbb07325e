/* mlp.c: W5 and W5b, the plain C program with the arithmetic of the
 * network (nn.Linear + sigmoid layers, BCE mean, full batch, SGD), the
 * backward pass written out as autograd computes it.
 *
 *   mlp [shape=8,6,4,1] [n=759] [epochs=1000] [lr=0.1]
 *
 * Timed: the epochs. Printed: the last epoch's loss and the loss after. */
#include "nets.h"

#define MAXL 8

static int L, sz[MAXL + 1], n;
static double *W[MAXL], *Bv[MAXL], *dW[MAXL], *dB[MAXL], *act[MAXL + 1], *grad[MAXL + 1];

static double clamped_log(double v)
{
    double l = log(v);
    return l > -100 ? l : -100;
}

static double forward(const double *y)
{
    for (int l = 0; l < L; l++) {
        size_t m = (size_t)n * sz[l + 1];
        nets_linear(act[l + 1], act[l], W[l], Bv[l], n, sz[l], sz[l + 1]);
        for (size_t i = 0; i < m; i++) {
            double x = act[l + 1][i];
            if (x >= 0) {
                act[l + 1][i] = 1.0 / (1.0 + exp(-x));
            } else {
                double z = exp(x);
                act[l + 1][i] = z / (1.0 + z);
            }
        }
    }
    double s = 0, *p = act[L];
    for (int i = 0; i < n; i++) s += (y[i] - 1) * clamped_log(1 - p[i]) - y[i] * clamped_log(p[i]);
    return s / n;
}

int main(int argc, char **argv)
{
    L = nets_shape(argc, argv, "8,6,4,1", sz, MAXL + 1) - 1;
    n = (int)bench_arg(argc, argv, "n", 759);
    int epochs = (int)bench_arg(argc, argv, "epochs", 1000);
    double lr = bench_arg(argc, argv, "lr", 0.1);
    for (int l = 0; l < L; l++) {
        W[l] = bench_alloc((size_t)sz[l] * sz[l + 1]), Bv[l] = bench_alloc(sz[l + 1]);
        dW[l] = bench_alloc((size_t)sz[l] * sz[l + 1]), dB[l] = bench_alloc(sz[l + 1]);
        nets_init(W[l], Bv[l], sz[l], sz[l + 1], l + 1);
    }
    for (int l = 0; l <= L; l++) {
        act[l] = bench_alloc((size_t)n * sz[l]);
        grad[l] = bench_alloc((size_t)n * sz[l]);
    }
    double *y = bench_alloc(n);
    nets_data(act[0], y, n, sz[0]);

    double loss = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        loss = forward(y);
        /* BCE: (p - y) / max((1 - p) p, 1e-12) / n, then each sigmoid
         * g (1 - s) s, each linear layer's three products. */
        double *p = act[L];
        for (int i = 0; i < n; i++) {
            double w = (1 - p[i]) * p[i];
            grad[L][i] = 1.0 * (p[i] - y[i]) / (w > 1e-12 ? w : 1e-12) / n;
        }
        for (int l = L - 1; l >= 0; l--) {
            size_t m = (size_t)n * sz[l + 1];
            for (size_t i = 0; i < m; i++) {
                double s = act[l + 1][i];
                grad[l + 1][i] = grad[l + 1][i] * (1 - s) * s;
            }
            nets_linear_back(grad[l + 1], act[l], W[l], dW[l], dB[l], l ? grad[l] : NULL, n,
                             sz[l], sz[l + 1]);
        }
        for (int l = 0; l < L; l++) {
            nets_sgd(W[l], dW[l], (size_t)sz[l] * sz[l + 1], lr);
            nets_sgd(Bv[l], dB[l], sz[l + 1], lr);
        }
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("loss=%.17g\n", loss);
    printf("final=%.17g\n", forward(y));
    return 0;
}
