/* tensor_avx.c: see tensor_avx.h.
 *
 * array_op and array_op_scalar of tensor.c with 4-double AVX vectors, eight
 * elements a step. Each element is one IEEE operation on the same two
 * operands in any vector width, so the results are the bits of the SSE2
 * pairs (and of plain C); the target attribute adds AVX only, no FMA. */
#include "core/tensor_avx.h"

#include <string.h>

#include "core/kernel_avx.h"

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_AVX_EWISE 1
typedef double Vec4 __attribute__((vector_size(32)));

#define V4LOAD(p) __extension__({ Vec4 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define V4STORE(p, v) __extension__({ Vec4 v_ = (v); memcpy((p), &v_, sizeof v_); })

/* out[i] = sexpr for every i, eight at a time as vexpr of j = i and i + 4 */
#define QUADWISE(vexpr, sexpr)                                      \
    do {                                                            \
        size_t i = 0;                                               \
        for (; i + 8 <= n; i += 8) {                                \
            Vec4 u0, u1;                                            \
            { size_t j = i; u0 = (vexpr); }                         \
            { size_t j = i + 4; u1 = (vexpr); }                     \
            V4STORE(out + i, u0);                                   \
            V4STORE(out + i + 4, u1);                               \
        }                                                           \
        for (; i < n; i++) out[i] = (sexpr);                        \
    } while (0)

#define VA V4LOAD(a + j)
#define VB V4LOAD(b + j)

__attribute__((target("avx")))
static void op_avx(ArrayOp op, double *out, const double *a, const double *b, size_t n)
{
    switch (op) {
    case OP_ADD: QUADWISE(VA + VB, a[i] + b[i]); break;
    case OP_SUB: QUADWISE(VA - VB, a[i] - b[i]); break;
    case OP_MUL: QUADWISE(VA * VB, a[i] * b[i]); break;
    case OP_DIV: QUADWISE(VA / VB, a[i] / b[i]); break;
    }
}

__attribute__((target("avx")))
static void op_scalar_avx(ArrayOp op, double *out, const double *a, double s, size_t n,
                          int scalar_first)
{
    const Vec4 S = {s, s, s, s};
    switch (op) {
    case OP_ADD: QUADWISE(VA + S, a[i] + s); break;
    case OP_MUL: QUADWISE(VA * S, a[i] * s); break;
    case OP_SUB:
        if (scalar_first) QUADWISE(S - VA, s - a[i]);
        else QUADWISE(VA - S, a[i] - s);
        break;
    case OP_DIV:
        if (scalar_first) QUADWISE(S / VA, s / a[i]);
        else QUADWISE(VA / S, a[i] / s);
        break;
    }
}

#undef VA
#undef VB
#undef QUADWISE
#endif

int array_op_avx(ArrayOp op, double *out, const double *a, const double *b, size_t n)
{
#ifdef HAVE_AVX_EWISE
    if (kernel_avx_on()) {
        op_avx(op, out, a, b, n);
        return 1;
    }
#else
    (void)op, (void)out, (void)a, (void)b, (void)n;
#endif
    return 0;
}

int array_op_scalar_avx(ArrayOp op, double *out, const double *a, double s, size_t n,
                        int scalar_first)
{
#ifdef HAVE_AVX_EWISE
    if (kernel_avx_on()) {
        op_scalar_avx(op, out, a, s, n, scalar_first);
        return 1;
    }
#else
    (void)op, (void)out, (void)a, (void)s, (void)n, (void)scalar_first;
#endif
    return 0;
}
