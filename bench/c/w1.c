/* w1.c: W1, the course's w-scan (lecture 2) as a plain C program, timed as a
 * whole process by the runner (start-up included).
 *
 *   w1 OUT.csv
 *
 * x = [1, 2, 3], y = [2, 4, 6], y_hat = x*w, for w = i*0.1, i = 0..40:
 * prints each sample's x, y, y_hat and loss and the MSE, as the course's
 * listing does, and writes OUT.csv with the columns w,mse. Numbers are
 * written like luagrad writes them: the first of %.15g, %.16g, %.17g that
 * reads back exactly. */
#include <stdio.h>
#include <stdlib.h>

static const char *num(double v, char *buf, size_t size)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.csv\n", argv[0]);
        return 2;
    }
    const double xs[] = {1, 2, 3}, ys[] = {2, 4, 6};
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fputs("w,mse\n", f);
    char a[32], b[32], c[32], d[32];
    for (int k = 0; k <= 40; k++) {
        double w = k * 0.1, sum = 0;
        printf("w= %s\n", num(w, a, sizeof a));
        for (int i = 0; i < 3; i++) {
            double yhat = xs[i] * w, loss = (yhat - ys[i]) * (yhat - ys[i]);
            sum += loss;
            printf("%s %s %s %s\n", num(xs[i], a, sizeof a), num(ys[i], b, sizeof b),
                   num(yhat, c, sizeof c), num(loss, d, sizeof d));
        }
        printf("MSE= %s\n", num(sum / 3, a, sizeof a));
        fprintf(f, "%s,%s\n", num(w, a, sizeof a), num(sum / 3, b, sizeof b));
    }
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
