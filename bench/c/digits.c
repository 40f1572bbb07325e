/* digits.c: W6, the plain C program with the arithmetic of the digits
 * classifier: examples/data/digits.csv, pixels / 16, batches of 64 in file
 * order, 64 -> 32 ReLU -> 10, log-softmax + NLL (the cross-entropy), SGD;
 * the backward pass written out as autograd computes it.
 *
 *   digits [file=...] [epochs=20] [lr=0.1] [batch=64]
 *
 * Timed: the epochs (not reading the file). Printed: the last epoch's
 * mean batch loss and its last batch's loss. */
#include "nets.h"

#define NR 1797
#define NI 64
#define NH 32
#define NO 10

static double X[NR * NI];
static int Y[NR];

static void read_digits(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    if (!f || !fgets(line, sizeof line, f)) {
        fprintf(stderr, "digits: cannot read %s\n", path);
        exit(1);
    }
    for (int i = 0; i < NR; i++) {
        if (!fgets(line, sizeof line, f)) exit(1);
        char *s = line;
        for (int k = 0; k <= NI; k++) {
            double v = strtod(s, &s);
            s++;
            if (k < NI) X[i * NI + k] = v / 16;
            else Y[i] = (int)v;
        }
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *path = "examples/data/digits.csv";
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "file=", 5) == 0) path = argv[i] + 5;
    int epochs = (int)bench_arg(argc, argv, "epochs", 20);
    double lr = bench_arg(argc, argv, "lr", 0.1);
    int bs = (int)bench_arg(argc, argv, "batch", 64);
    read_digits(path);
    static double w1[NH * NI], b1[NH], w2[NO * NH], b2[NO];
    static double dw1[NH * NI], db1[NH], dw2[NO * NH], db2[NO];
    nets_init(w1, b1, NI, NH, 1);
    nets_init(w2, b2, NH, NO, 2);
    double *h = bench_alloc((size_t)bs * NH), *z = bench_alloc((size_t)bs * NH);
    double *o = bench_alloc((size_t)bs * NO), *lp = bench_alloc((size_t)bs * NO);
    double *go = bench_alloc((size_t)bs * NO), *gh = bench_alloc((size_t)bs * NH);

    double sum = 0, loss = 0;
    int batches = 0;
    double t0 = bench_now();
    for (int e = 0; e < epochs; e++) {
        sum = 0, batches = 0;
        for (int first = 0; first < NR; first += bs) {
            int m = NR - first < bs ? NR - first : bs;
            const double *x = X + (size_t)first * NI;
            const int *c = Y + first;
            nets_linear(z, x, w1, b1, m, NI, NH);
            for (int i = 0; i < m * NH; i++) h[i] = z[i] > 0 ? z[i] : 0;
            nets_linear(o, h, w2, b2, m, NH, NO);
            double s = 0;
            for (int i = 0; i < m; i++) {
                double *r = o + i * NO, *q = lp + i * NO, mx = -INFINITY, t = 0;
                for (int k = 0; k < NO; k++) if (r[k] > mx) mx = r[k];
                for (int k = 0; k < NO; k++) t += exp(r[k] - mx);
                double ls = log(t);
                for (int k = 0; k < NO; k++) q[k] = r[k] - mx - ls;
                s += q[c[i]];
            }
            loss = -s / m;
            /* NLL: -1/m at each row's class; log-softmax: g - exp(lp) sum(g) */
            for (int i = 0; i < m; i++) {
                double *g = go + i * NO, *q = lp + i * NO, gs = 0;
                for (int k = 0; k < NO; k++) g[k] = k == c[i] ? -1.0 / m : 0;
                for (int k = 0; k < NO; k++) gs += g[k];
                for (int k = 0; k < NO; k++) g[k] = g[k] - exp(q[k]) * gs;
            }
            nets_linear_back(go, h, w2, dw2, db2, gh, m, NH, NO);
            for (int i = 0; i < m * NH; i++) gh[i] = z[i] > 0 ? gh[i] : 0;
            nets_linear_back(gh, x, w1, dw1, db1, NULL, m, NI, NH);
            nets_sgd(w1, dw1, NH * NI, lr), nets_sgd(b1, db1, NH, lr);
            nets_sgd(w2, dw2, NO * NH, lr), nets_sgd(b2, db2, NO, lr);
            sum += loss, batches++;
        }
    }
    double t1 = bench_now();

    printf("seconds=%.9f\n", t1 - t0);
    printf("mean_loss=%.17g\n", sum / batches);
    printf("loss=%.17g\n", loss);
    return 0;
}
