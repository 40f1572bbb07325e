/* test_matmul.c: matmul (src/core/matmul.c) against the plain triple loop
 * below, which sums each element in k order as matmul.h promises: the
 * results must be the same bits, for both micro-kernels, odd and zero
 * sizes, transposed and strided inputs, C with a row stride, and
 * accumulation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/matmul.h"
#include "core/mem.h"
#include "unit.h"

void test_matmul(void);

/* Values of many magnitudes and both signs, so that a change of the
 * summation order changes the rounded result (checked below). */
static double value(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    double u = (double)(*s >> 11) / 9007199254740992.0;  /* [0, 1) */
    double scale[4] = {1.0, 1e-3, 37.0, 1e5};
    return (u - 0.5) * scale[(*s >> 3) & 3];
}

static void reference(size_t m, size_t k, size_t n, const double *a, size_t ars, size_t acs,
                      const double *b, size_t brs, size_t bcs, double *c, size_t crs, int add)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = add ? c[i * crs + j] : 0.0;
            for (size_t p = 0; p < k; p++) s += a[i * ars + p * acs] * b[p * brs + j * bcs];
            c[i * crs + j] = s;
        }
}

/* layout 0: contiguous; 1: the transpose of a contiguous matrix; 2: every
 * other column of a matrix with 3 extra columns (strides 2 and 2*cols+3). */
static void strides(int layout, size_t rows, size_t cols, size_t *rs, size_t *cs, size_t *len)
{
    if (layout == 0) *rs = cols, *cs = 1, *len = rows * cols;
    else if (layout == 1) *rs = 1, *cs = rows, *len = rows * cols;
    else *rs = 2 * cols + 3, *cs = 2, *len = rows * (2 * cols + 3);
}

/* Runs one case; returns 1 when matmul gave the reference's bits. */
static int one_case(size_t m, size_t k, size_t n, int la, int lb, size_t c_extra, int add)
{
    static uint64_t seed = 1;
    size_t ars, acs, alen, brs, bcs, blen;
    strides(la, m, k, &ars, &acs, &alen);
    strides(lb, k, n, &brs, &bcs, &blen);
    size_t crs = n + c_extra, clen = m * crs + 1;
    double *a = malloc((alen + 1) * sizeof *a), *b = malloc((blen + 1) * sizeof *b);
    double *c = malloc(clen * sizeof *c), *want = malloc(clen * sizeof *c);
    for (size_t i = 0; i < alen; i++) a[i] = value(&seed);
    for (size_t i = 0; i < blen; i++) b[i] = value(&seed);
    for (size_t i = 0; i < clen; i++) c[i] = want[i] = value(&seed);
    reference(m, k, n, a, ars, acs, b, brs, bcs, want, crs, add);
    Err e;
    Status st = matmul(m, k, n, a, ars, acs, b, brs, bcs, c, crs,
                       add ? MATMUL_ADD : MATMUL_SET, &e);
    int same = st == ST_OK && memcmp(c, want, clen * sizeof *c) == 0;
    if (!same)
        printf("# matmul %zux%zux%zu layouts %d,%d c_extra %zu %s: differs\n", m, k, n, la, lb,
               c_extra, add ? "add" : "set");
    free(a), free(b), free(c), free(want);
    return same;
}

static void sizes_both_kernels(void)
{
    const size_t sz[] = {0, 1, 3, 7, 63, 65, 129};
    const size_t nsz = sizeof sz / sizeof sz[0];
    for (int generic = 0; generic <= 1; generic++) {
        matmul_use_generic(generic);
        int bad = 0;
        for (size_t x = 0; x < nsz; x++)
            for (size_t y = 0; y < nsz; y++)
                for (size_t z = 0; z < nsz; z++) {
                    int layout = (int)((x + y + z) % 3);
                    bad += !one_case(sz[x], sz[y], sz[z], layout, (layout + 1) % 3, z % 2,
                                     (int)((x + z) % 2));
                }
        CHECK(bad == 0);
        /* every layout of A and B, both modes */
        for (int la = 0; la < 3; la++)
            for (int lb = 0; lb < 3; lb++)
                for (int add = 0; add <= 1; add++) CHECK(one_case(13, 29, 17, la, lb, 2, add));
        /* k past one slice (KC = 256), n past one panel (NC = 2048), m past
         * one block (MC = 120) and enough work for several threads */
        CHECK(one_case(5, 600, 9, 1, 0, 0, 0));
        CHECK(one_case(5, 513, 9, 0, 2, 1, 1));
        CHECK(one_case(3, 7, 4100, 0, 1, 0, 1));
        CHECK(one_case(250, 130, 131, 0, 0, 0, 0));
        CHECK(one_case(301, 257, 67, 1, 2, 3, 1));
    }
    matmul_use_generic(0);
}

/* The test above would pass for any order if its data had no rounding:
 * check that another order (pairs summed first) gives other bits here. */
static void order_is_visible(void)
{
    uint64_t s = 7;
    double x[64], y[64], plain = 0.0, split0 = 0.0, split1 = 0.0;
    for (int i = 0; i < 64; i++) x[i] = value(&s), y[i] = value(&s);
    for (int i = 0; i < 64; i++) plain += x[i] * y[i];
    for (int i = 0; i < 64; i += 2) split0 += x[i] * y[i], split1 += x[i + 1] * y[i + 1];
    CHECK(plain != split0 + split1);
}

static void zero_sizes(void)
{
    double a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 2, 3, 4, 5, 6};
    double c[6] = {9, 9, 9, 9, 9, 9};
    Err e;
    /* k = 0: C = 0 (SET), C untouched (ADD) */
    CHECK(matmul(2, 0, 3, a, 0, 1, b, 3, 1, c, 3, MATMUL_ADD, &e) == ST_OK);
    CHECK(c[0] == 9 && c[5] == 9);
    CHECK(matmul(2, 0, 3, a, 0, 1, b, 3, 1, c, 3, MATMUL_SET, &e) == ST_OK);
    CHECK(c[0] == 0 && c[5] == 0 && !signbit(c[0]));
    /* m = 0 or n = 0: nothing written */
    c[0] = 9;
    CHECK(matmul(0, 2, 3, a, 2, 1, b, 3, 1, c, 3, MATMUL_SET, &e) == ST_OK && c[0] == 9);
    CHECK(matmul(2, 3, 0, a, 3, 1, b, 0, 1, c, 0, MATMUL_SET, &e) == ST_OK && c[0] == 9);
}

/* A hand-worked product: [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50], then its
 * transpose read through strides, A^T B = [1 3; 2 4][5 6; 7 8] = [26 30;
 * 38 44], and accumulation adds it to what C holds. */
static void by_hand(void)
{
    double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4];
    Err e;
    CHECK(matmul(2, 2, 2, a, 2, 1, b, 2, 1, c, 2, MATMUL_SET, &e) == ST_OK);
    CHECK(c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50);
    CHECK(matmul(2, 2, 2, a, 1, 2, b, 2, 1, c, 2, MATMUL_ADD, &e) == ST_OK);
    CHECK(c[0] == 19 + 26 && c[1] == 22 + 30 && c[2] == 43 + 38 && c[3] == 50 + 44);
}

/* inf and nan reach exactly the elements they belong to: the zero padding
 * of edge tiles must not spread them (0 * inf is nan). */
static void nonfinite(void)
{
    double a[3 * 2] = {1, 2, 3, 4, 5, 6}, b[2 * 5] = {1, 0, 0, 0, 0, 0, 1, 0, 0, 0};
    double c[15];
    Err e;
    b[4] = INFINITY;   /* B(0, 4) */
    a[2] = NAN;        /* A(1, 0) */
    CHECK(matmul(3, 2, 5, a, 2, 1, b, 5, 1, c, 5, MATMUL_SET, &e) == ST_OK);
    CHECK(c[0] == 1 && c[1] == 2 && c[2] == 0 && c[3] == 0 && isinf(c[4]));
    CHECK(isnan(c[5]) && isnan(c[9]));
    CHECK(c[10] == 5 && c[11] == 6 && c[12] == 0 && c[13] == 0 && isinf(c[14]));
}

static void out_of_memory(void)
{
    size_t n = 64;
    double *a = calloc(n * n, sizeof *a), *b = calloc(n * n, sizeof *b);
    double *c = malloc(n * n * sizeof *c);
    for (size_t i = 0; i < n * n; i++) c[i] = 7;
    size_t before = mem_in_use();
    mem_set_limit(before + 1000);
    Err e = {{0}};
    Status st = matmul(n, n, n, a, n, 1, b, n, 1, c, n, MATMUL_SET, &e);
    mem_set_limit(0);
    CHECK(st == ST_ENOMEM);
    CHECK(strstr(e.msg, "matmul: out of memory") != NULL);
    CHECK(c[0] == 7 && c[n * n - 1] == 7);
    CHECK(mem_in_use() == before);
    free(a), free(b), free(c);
}

/* The shapes of small networks (a batch of rows times a thin layer, and
 * the backward's transposed products): every width from 1 to 33 columns
 * (the thin path's slivers of 8 and 4, and past its limit of 32), row
 * counts that leave 1 to 5 rows in the last tile, every layout, both
 * modes; and the shapes of W5b's layers. */
static void thin_shapes(void)
{
    int bad = 0;
    for (size_t n = 1; n <= 33; n++)
        for (size_t m = 1; m <= 13; m += 4)
            for (size_t k = 1; k <= 40; k += 13) {
                int layout = (int)((n + m + k) % 3), add = (int)(n % 2);
                bad += !one_case(m, k, n, layout, (layout + (int)m) % 3, n % 3, add);
            }
    CHECK(bad == 0);
    CHECK(one_case(569, 30, 16, 0, 1, 0, 0));   /* forward: X W^T */
    CHECK(one_case(16, 569, 30, 1, 0, 0, 1));   /* gW += G^T X */
    CHECK(one_case(569, 8, 16, 0, 0, 0, 1));    /* gX += G W */
    CHECK(one_case(1, 569, 8, 1, 0, 0, 1));     /* one output: m = 1 */
}

void test_matmul(void)
{
    by_hand();
    zero_sizes();
    nonfinite();
    order_is_visible();
    sizes_both_kernels();
    thin_shapes();
    out_of_memory();
    printf("# matmul kernel: %s\n", matmul_kernel_name());
}
