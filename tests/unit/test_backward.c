/* test_backward.c: each backward step of src/core/backward.c against
 * central differences of a plain reference forward written here (not the
 * library's), with the loss sum(out .* C) for a fixed C, so the upstream
 * gradient is C. Inputs are also given as strided views (a transpose). */
#include <string.h>

#include "core/backward.h"
#include "unit.h"

typedef void (*Forward)(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out);

static double at(const Tensor *t, size_t i, size_t j) { return t->data[i * t->rs + j * t->cs]; }

static void unary(AgOp op, const Tensor *a, const AgAux *aux, Tensor *out)
{
    size_t k = 0;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++, k++) {
            double x = at(a, i, j), y = 0;
            switch (op) {
            case AG_EXP: y = exp(x); break;
            case AG_LOG: y = log(x); break;
            case AG_SQRT: y = sqrt(x); break;
            case AG_ABS: y = fabs(x); break;
            case AG_TANH: y = tanh(x); break;
            case AG_SIGMOID: y = 1 / (1 + exp(-x)); break;
            case AG_RELU: y = x > 0 ? x : 0; break;
            case AG_CLAMP: y = x < aux->scalar ? aux->scalar : x > aux->scalar2 ? aux->scalar2 : x; break;
            default: break;
            }
            out->data[k] = y;
        }
}

static AgOp cur_op;
static void f_unary(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)b;
    unary(cur_op, a, aux, out);
}

static void f_softmax(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)b;
    size_t R = a->rows, Cn = a->cols;
    size_t ns = aux->dim == 1 ? Cn : R, len = aux->dim == 1 ? R : Cn;
    for (size_t s = 0; s < ns; s++) {
        double z = 0;
        for (size_t k = 0; k < len; k++)
            z += exp(aux->dim == 1 ? at(a, k, s) : at(a, s, k));
        for (size_t k = 0; k < len; k++) {
            size_t i = aux->dim == 1 ? k : s, j = aux->dim == 1 ? s : k;
            double x = at(a, i, j);
            out->data[i * Cn + j] = cur_op == AG_SOFTMAX ? exp(x) / z : x - log(z);
        }
    }
}

static void f_sum(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)b;
    size_t n = tensor_numel(out);
    for (size_t k = 0; k < n; k++) out->data[k] = 0;
    double cnt = aux->dim == 0 ? (double)tensor_numel(a) : aux->dim == 1 ? (double)a->rows
                                                                          : (double)a->cols;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->cols; j++)
            out->data[aux->dim == 0 ? 0 : aux->dim == 1 ? j : i] +=
                at(a, i, j) / (cur_op == AG_MEAN ? cnt : 1);
}

static void f_matmul(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)aux;
    size_t m = a->ndim == 1 ? 1 : a->rows, k = a->ndim == 1 ? a->rows : a->cols;
    size_t n = b->ndim == 1 ? 1 : b->cols;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t p = 0; p < k; p++) {
                double x = a->ndim == 1 ? at(a, p, 0) : at(a, i, p);
                double y = b->ndim == 1 ? at(b, p, 0) : at(b, p, j);
                s += x * y;
            }
            out->data[i * n + j] = s;
        }
}

static void f_index(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)b;
    for (size_t r = 0; r < aux->nindex; r++)
        for (size_t j = 0; j < a->cols; j++) out->data[r * a->cols + j] = at(a, aux->index[r], j);
}

static void f_arith(const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out)
{
    (void)aux;
    int nd;
    size_t r, c;
    Err e;
    tensor_broadcast_shape(a, b, &nd, &r, &c, &e);
    ArrayOp op = cur_op == AG_ADD ? OP_ADD : cur_op == AG_SUB ? OP_SUB : cur_op == AG_MUL ? OP_MUL : OP_DIV;
    tensor_binary(op, out, a, b);
}

static double loss(Forward f, const Tensor *a, const Tensor *b, const AgAux *aux, Tensor *out,
                   const Tensor *C)
{
    f(a, b, aux, out);
    double s = 0;
    for (size_t k = 0; k < tensor_numel(out); k++) s += out->data[k] * C->data[k];
    return s;
}

static void check_input(Forward f, Tensor *x, Tensor *a, Tensor *b, const AgAux *aux,
                        Tensor *out, const Tensor *C, const Tensor *gx)
{
    size_t k = 0;
    for (size_t i = 0; i < x->rows; i++)
        for (size_t j = 0; j < x->cols; j++, k++) {
            double *p = &x->data[i * x->rs + j * x->cs], v = *p, h = 1e-6;
            *p = v + h;
            double up = loss(f, a, b, aux, out, C);
            *p = v - h;
            double down = loss(f, a, b, aux, out, C);
            *p = v;
            CHECK_NEAR(gx->data[k], (up - down) / (2 * h), 1e-7);
        }
}

static Tensor *filled(int ndim, size_t r, size_t c, double seed)
{
    Err e;
    Tensor *t = tensor_new(ndim, r, c, 0, &e);
    for (size_t k = 0; k < tensor_numel(t); k++) t->data[k] = sin(seed + 1.7 * (double)k) + 0.1;
    return t;
}

/* Runs one case: op on a (and b), out of the given shape. */
static void run(AgOp op, Forward f, Tensor *a, Tensor *b, const AgAux *aux, int ndim, size_t r,
                size_t c)
{
    cur_op = op;
    Err e;
    Tensor *out = tensor_new(ndim, r, c, 0, &e);
    Tensor *C = filled(ndim, r, c, 3.0);
    Tensor *ga = tensor_new(a->ndim, a->rows, a->cols, 1, &e);
    Tensor *gb = b ? tensor_new(b->ndim, b->rows, b->cols, 1, &e) : NULL;
    f(a, b, aux, out);
    CHECK(backward_op(op, C, out, a, b, aux, ga, gb, &e) == ST_OK);
    /* into new buffers that hold garbage (NaN), marked fresh: the step
     * must end with the bits it added into zeros above (before the
     * differences below, which leave out at a perturbed point) */
    Tensor *fa = tensor_new(a->ndim, a->rows, a->cols, 0, &e);
    Tensor *fb = b ? tensor_new(b->ndim, b->rows, b->cols, 0, &e) : NULL;
    for (size_t k = 0; k < tensor_numel(fa); k++) fa->data[k] = NAN;
    for (size_t k = 0; fb && k < tensor_numel(fb); k++) fb->data[k] = NAN;
    CHECK(backward_op_fresh(op, C, out, a, b, aux, fa, fb, BW_FRESH_A | BW_FRESH_B, &e) == ST_OK);
    CHECK(memcmp(fa->data, ga->data, tensor_numel(ga) * sizeof(double)) == 0);
    if (b) CHECK(memcmp(fb->data, gb->data, tensor_numel(gb) * sizeof(double)) == 0);
    tensor_release(fa);
    tensor_release(fb);
    check_input(f, a, a, b, aux, out, C, ga);
    if (b) check_input(f, b, a, b, aux, out, C, gb);
    tensor_release(out);
    tensor_release(C);
    tensor_release(ga);
    tensor_release(gb);
}

/* A 3 x 2 matrix seen through its transpose: 2 x 3, strided. */
static Tensor *strided(Tensor **base)
{
    Err e;
    *base = filled(2, 3, 2, 0.5);
    return tensor_view(*base, 2, 2, 3, 0, 1, 2, &e);
}

void test_backward(void);
void test_backward(void)
{
    Tensor *base, *m = strided(&base);  /* 2 x 3 */
    Tensor *pos = filled(2, 2, 3, 0.0);
    for (size_t k = 0; k < 6; k++) pos->data[k] = fabs(pos->data[k]) + 0.2;
    static const AgOp un[] = {AG_EXP, AG_LOG, AG_SQRT, AG_ABS, AG_TANH, AG_SIGMOID, AG_RELU, AG_CLAMP};
    AgAux clamp = {.scalar = -0.5, .scalar2 = 0.5};
    for (size_t i = 0; i < sizeof un / sizeof un[0]; i++) {
        Tensor *x = un[i] == AG_LOG || un[i] == AG_SQRT ? pos : m;
        run(un[i], f_unary, x, NULL, &clamp, 2, 2, 3);
    }
    for (int dim = 1; dim <= 2; dim++) {
        AgAux aux = {.dim = dim};
        run(AG_SOFTMAX, f_softmax, m, NULL, &aux, 2, 2, 3);
        run(AG_LOG_SOFTMAX, f_softmax, m, NULL, &aux, 2, 2, 3);
        run(AG_SUM, f_sum, m, NULL, &aux, 1, dim == 1 ? 3 : 2, 1);
        run(AG_MEAN, f_sum, m, NULL, &aux, 1, dim == 1 ? 3 : 2, 1);
    }
    AgAux whole = {.dim = 0};
    run(AG_SUM, f_sum, m, NULL, &whole, 1, 1, 1);
    run(AG_MEAN, f_sum, m, NULL, &whole, 1, 1, 1);
    Tensor *v3 = filled(1, 3, 1, 2.0), *w3 = filled(1, 3, 1, 4.0), *v2 = filled(1, 2, 1, 5.0);
    Tensor *B = filled(2, 3, 4, 1.0);
    run(AG_MATMUL, f_matmul, m, B, NULL, 2, 2, 4);     /* [2x3] x [3x4] */
    run(AG_MATMUL, f_matmul, m, v3, NULL, 1, 2, 1);    /* [2x3] x [3] */
    run(AG_MATMUL, f_matmul, v2, m, NULL, 1, 3, 1);    /* [2] x [2x3] */
    run(AG_MATMUL, f_matmul, v3, w3, NULL, 1, 1, 1);   /* [3] . [3] */
    size_t rows[] = {1, 0, 1};
    AgAux idx = {.index = rows, .nindex = 3};
    run(AG_INDEX, f_index, m, NULL, &idx, 2, 3, 3);
    run(AG_INDEX, f_index, v3, NULL, &(AgAux){.index = rows, .nindex = 3}, 1, 3, 1);
    /* broadcasting: a vector and an r x 1 column over a strided matrix */
    Tensor *col = filled(2, 2, 1, 6.0);
    static const AgOp ar[] = {AG_ADD, AG_SUB, AG_MUL, AG_DIV};
    for (size_t i = 0; i < 4; i++) {
        run(ar[i], f_arith, m, v3, NULL, 2, 2, 3);
        run(ar[i], f_arith, col, m, NULL, 2, 2, 3);
    }
    /* contiguous operands: the paths that write a fresh gradient whole
     * (activations, same-shape and bias-row + and -, one column) */
    Tensor *cm = filled(2, 2, 3, 7.0), *cm2 = filled(2, 2, 3, 8.0), *c1 = filled(2, 2, 1, 9.0);
    static const AgOp act[] = {AG_TANH, AG_SIGMOID, AG_RELU};
    for (size_t i = 0; i < 3; i++) run(act[i], f_unary, cm, NULL, &clamp, 2, 2, 3);
    for (size_t i = 0; i < 2; i++) {
        run(ar[i], f_arith, cm, cm2, NULL, 2, 2, 3);
        run(ar[i], f_arith, cm, v3, NULL, 2, 2, 3);
        run(ar[i], f_arith, c1, col, NULL, 2, 2, 1);
    }
    run(AG_MATMUL, f_matmul, cm, B, NULL, 2, 2, 4);
    /* a bias row over enough rows for the vector column sums (rows of 3
     * and of 6), with and without a sign */
    Tensor *tall3 = filled(2, 7, 3, 10.0), *tall6 = filled(2, 5, 6, 11.0), *r6 = filled(1, 6, 1, 12.0);
    for (size_t i = 0; i < 2; i++) {
        run(ar[i], f_arith, tall3, v3, NULL, 2, 7, 3);
        run(ar[i], f_arith, tall6, r6, NULL, 2, 5, 6);
    }
    Tensor *all[] = {m, base, pos, v3, w3, v2, B, col, cm, cm2, c1, tall3, tall6, r6};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tensor_release(all[i]);
}
