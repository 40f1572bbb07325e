/* matmul.c: see matmul.h. Blocked as in Goto and van de Geijn's GEMM:
 *
 *   for each panel of NC columns of B and C
 *     for each slice of KC rows of B (KC columns of A)
 *       pack B(slice, panel) into slivers NR wide        (stays in L2/L1)
 *       for each block of MC rows of A and C
 *         pack A(block, slice) into slivers MR tall      (stays in L2)
 *         for each sliver pair: the micro-kernel adds an MR x NR tile
 *           of products over the KC rows into C
 *
 * The micro-kernel keeps the tile in registers, one accumulator per
 * element of C: it starts from 0 (first slice, MATMUL_SET) or from C, adds
 * the KC products in k order and writes C back; the next slice carries on
 * from there. So every element is summed in plain k order whatever MR, NR,
 * KC or the vector width are (matmul.h). Packing makes any strides of A
 * and B contiguous, and pads the edge slivers with zeros, whose products
 * land in a scratch tile that is thrown away.
 *
 * Two micro-kernels: on x86 processors with AVX2 (checked at run time, so
 * the portable build uses it too) 6 x 8 with 4-double vectors, 12
 * accumulators; elsewhere 4 x 4 with kernel.h's SSE2 pairs (8
 * accumulators, which fit the 16 SSE registers). Neither uses FMA: the
 * target attribute adds AVX2 only, and -ffp-contract=off keeps every
 * product rounded. */
#include "core/matmul.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "core/kernel.h"
#include "core/mem.h"
#include "core/par.h"

#define KC 256   /* rows of a B slice: a 6 x 8 pair of slivers is 28 KB */
#define MC 120   /* rows of an A block (240 KB), a multiple of 4 and 6 */
#define NC 2048  /* columns of a B panel (4 MB), a multiple of 4 and 8 */
#define MR_MAX 6
#define NR_MAX 8

/* c points at an MR x NR tile of row stride ldc; ap at kc steps of MR
 * values of A, bp at kc steps of NR values of B. zero: start from 0
 * instead of the tile's values. */
typedef void (*Kernel)(size_t kc, const double *ap, const double *bp, double *c, size_t ldc,
                       int zero);

/* ---- generic micro-kernel: 4 x 4, SSE2 pairs ------------------------------ */

static inline void pair_store(double *p, Pair v) { memcpy(p, &v, sizeof v); }

static void kernel_4x4(size_t kc, const double *ap, const double *bp, double *c, size_t ldc,
                       int zero)
{
    Pair c00 = {0, 0}, c01 = {0, 0}, c10 = {0, 0}, c11 = {0, 0};
    Pair c20 = {0, 0}, c21 = {0, 0}, c30 = {0, 0}, c31 = {0, 0};
    if (!zero) {
        c00 = pair_load(c), c01 = pair_load(c + 2);
        c10 = pair_load(c + ldc), c11 = pair_load(c + ldc + 2);
        c20 = pair_load(c + 2 * ldc), c21 = pair_load(c + 2 * ldc + 2);
        c30 = pair_load(c + 3 * ldc), c31 = pair_load(c + 3 * ldc + 2);
    }
    for (size_t p = 0; p < kc; p++, ap += 4, bp += 4) {
        Pair b0 = pair_load(bp), b1 = pair_load(bp + 2), a;
        a = pair_of(ap[0]); c00 += a * b0; c01 += a * b1;
        a = pair_of(ap[1]); c10 += a * b0; c11 += a * b1;
        a = pair_of(ap[2]); c20 += a * b0; c21 += a * b1;
        a = pair_of(ap[3]); c30 += a * b0; c31 += a * b1;
    }
    pair_store(c, c00), pair_store(c + 2, c01);
    pair_store(c + ldc, c10), pair_store(c + ldc + 2, c11);
    pair_store(c + 2 * ldc, c20), pair_store(c + 2 * ldc + 2, c21);
    pair_store(c + 3 * ldc, c30), pair_store(c + 3 * ldc + 2, c31);
}

/* ---- AVX2 micro-kernel: 6 x 8, 4-double vectors ---------------------------- */

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_AVX2_KERNEL 1
typedef double Quad __attribute__((vector_size(32)));

#define QLOAD(p) __extension__({ Quad v_; memcpy(&v_, (p), sizeof v_); v_; })
#define QSTORE(p, v) do { Quad v_ = (v); memcpy((p), &v_, sizeof v_); } while (0)
#define QOF(x) __extension__({ double x_ = (x); (Quad){x_, x_, x_, x_}; })

__attribute__((target("avx2")))
static void kernel_6x8(size_t kc, const double *ap, const double *bp, double *c, size_t ldc,
                       int zero)
{
    Quad z = {0, 0, 0, 0};
    Quad c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
    Quad c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
    if (!zero) {
        c00 = QLOAD(c), c01 = QLOAD(c + 4);
        c10 = QLOAD(c + ldc), c11 = QLOAD(c + ldc + 4);
        c20 = QLOAD(c + 2 * ldc), c21 = QLOAD(c + 2 * ldc + 4);
        c30 = QLOAD(c + 3 * ldc), c31 = QLOAD(c + 3 * ldc + 4);
        c40 = QLOAD(c + 4 * ldc), c41 = QLOAD(c + 4 * ldc + 4);
        c50 = QLOAD(c + 5 * ldc), c51 = QLOAD(c + 5 * ldc + 4);
    }
    for (size_t p = 0; p < kc; p++, ap += 6, bp += 8) {
        Quad b0 = QLOAD(bp), b1 = QLOAD(bp + 4), a;
        a = QOF(ap[0]); c00 += a * b0; c01 += a * b1;
        a = QOF(ap[1]); c10 += a * b0; c11 += a * b1;
        a = QOF(ap[2]); c20 += a * b0; c21 += a * b1;
        a = QOF(ap[3]); c30 += a * b0; c31 += a * b1;
        a = QOF(ap[4]); c40 += a * b0; c41 += a * b1;
        a = QOF(ap[5]); c50 += a * b0; c51 += a * b1;
    }
    QSTORE(c, c00); QSTORE(c + 4, c01);
    QSTORE(c + ldc, c10); QSTORE(c + ldc + 4, c11);
    QSTORE(c + 2 * ldc, c20); QSTORE(c + 2 * ldc + 4, c21);
    QSTORE(c + 3 * ldc, c30); QSTORE(c + 3 * ldc + 4, c31);
    QSTORE(c + 4 * ldc, c40); QSTORE(c + 4 * ldc + 4, c41);
    QSTORE(c + 5 * ldc, c50); QSTORE(c + 5 * ldc + 4, c51);
}
/* ---- the thin path: B packed whole, A read in place ------------------------
 * For a B of few columns (a network's layers: 569 x 30 times 30 x 16)
 * packing A costs about as much as the product (each element of A serves
 * one to four tiles) and most tiles are edge tiles through a scratch
 * tile. So here B is packed once, whole, into slivers of 8 columns (the
 * last one 4 wide when 4 are enough), and the kernels read A in place
 * through its strides, 6 rows at a time. A short tile (h < 6 rows) reads
 * row 0 again for the missing rows and does not store them; a narrow one
 * (w < the sliver's width) stores only its w columns, the rest being the
 * products of B's zero padding. Each element is still summed in plain k
 * order, so the bits are those of the other path. */

/* Lanes j of a vector at column off + j of a tile w wide: masks[w][off + j]
 * is all ones when off + j < w. */
static const long long thin_masks[9][8] = {
    {0, 0, 0, 0, 0, 0, 0, 0},        {-1, 0, 0, 0, 0, 0, 0, 0},
    {-1, -1, 0, 0, 0, 0, 0, 0},      {-1, -1, -1, 0, 0, 0, 0, 0},
    {-1, -1, -1, -1, 0, 0, 0, 0},    {-1, -1, -1, -1, -1, 0, 0, 0},
    {-1, -1, -1, -1, -1, -1, 0, 0},  {-1, -1, -1, -1, -1, -1, -1, 0},
    {-1, -1, -1, -1, -1, -1, -1, -1},
};

/* Row r of the tile, columns off .. off+3, in and out through the mask m
 * (0 in the lanes past w; those lanes are not written). */
#define THIN_IN(v, r, off, m) v = _mm256_maskload_pd(c + (r) * ldc + (off), m)
#define THIN_OUT(v, r, off, m) _mm256_maskstore_pd(c + (r) * ldc + (off), m, v)

/* Rows i..i+h-1 of A (h <= 6) times a sliver of 8 columns: c gets w <= 8
 * of them. */
__attribute__((target("avx2")))
static void thin_6x8(size_t k, const double *a, size_t ars, size_t acs, size_t h,
                     const double *bp, size_t bs, double *c, size_t ldc, size_t w, int zero)
{
    const double *a0 = a, *a1 = h > 1 ? a + ars : a, *a2 = h > 2 ? a + 2 * ars : a;
    const double *a3 = h > 3 ? a + 3 * ars : a, *a4 = h > 4 ? a + 4 * ars : a;
    const double *a5 = h > 5 ? a + 5 * ars : a;
    Quad z = {0, 0, 0, 0};
    Quad c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
    Quad c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
    __m256i m0, m1;
    memcpy(&m0, thin_masks[w], sizeof m0);
    memcpy(&m1, thin_masks[w] + 4, sizeof m1);
    if (!zero) {
        { THIN_IN(c00, 0, 0, m0); THIN_IN(c01, 0, 4, m1); }
        if (h > 1) { THIN_IN(c10, 1, 0, m0); THIN_IN(c11, 1, 4, m1); }
        if (h > 2) { THIN_IN(c20, 2, 0, m0); THIN_IN(c21, 2, 4, m1); }
        if (h > 3) { THIN_IN(c30, 3, 0, m0); THIN_IN(c31, 3, 4, m1); }
        if (h > 4) { THIN_IN(c40, 4, 0, m0); THIN_IN(c41, 4, 4, m1); }
        if (h > 5) { THIN_IN(c50, 5, 0, m0); THIN_IN(c51, 5, 4, m1); }
    }
#define THIN_STEP8(b0, b1)                                                   \
    do {                                                                     \
        Quad x;                                                              \
        x = QOF(a0[o]); c00 += x * b0; c01 += x * b1;                        \
        x = QOF(a1[o]); c10 += x * b0; c11 += x * b1;                        \
        x = QOF(a2[o]); c20 += x * b0; c21 += x * b1;                        \
        x = QOF(a3[o]); c30 += x * b0; c31 += x * b1;                        \
        x = QOF(a4[o]); c40 += x * b0; c41 += x * b1;                        \
        x = QOF(a5[o]); c50 += x * b0; c51 += x * b1;                        \
    } while (0)
    if (w == 8)
        for (size_t p = 0, o = 0; p < k; p++, o += acs, bp += bs) {
            Quad b0 = QLOAD(bp), b1 = QLOAD(bp + 4);
            THIN_STEP8(b0, b1);
        }
    else
        for (size_t p = 0, o = 0; p < k; p++, o += acs, bp += bs) {
            Quad b0 = _mm256_maskload_pd(bp, m0), b1 = _mm256_maskload_pd(bp + 4, m1);
            THIN_STEP8(b0, b1);
        }
#undef THIN_STEP8
    if (h == 6 && w == 8) {
        QSTORE(c, c00); QSTORE(c + 4, c01);
        QSTORE(c + ldc, c10); QSTORE(c + ldc + 4, c11);
        QSTORE(c + 2 * ldc, c20); QSTORE(c + 2 * ldc + 4, c21);
        QSTORE(c + 3 * ldc, c30); QSTORE(c + 3 * ldc + 4, c31);
        QSTORE(c + 4 * ldc, c40); QSTORE(c + 4 * ldc + 4, c41);
        QSTORE(c + 5 * ldc, c50); QSTORE(c + 5 * ldc + 4, c51);
        return;
    }
    { THIN_OUT(c00, 0, 0, m0); THIN_OUT(c01, 0, 4, m1); }
    if (h > 1) { THIN_OUT(c10, 1, 0, m0); THIN_OUT(c11, 1, 4, m1); }
    if (h > 2) { THIN_OUT(c20, 2, 0, m0); THIN_OUT(c21, 2, 4, m1); }
    if (h > 3) { THIN_OUT(c30, 3, 0, m0); THIN_OUT(c31, 3, 4, m1); }
    if (h > 4) { THIN_OUT(c40, 4, 0, m0); THIN_OUT(c41, 4, 4, m1); }
    if (h > 5) { THIN_OUT(c50, 5, 0, m0); THIN_OUT(c51, 5, 4, m1); }
}

/* The same with a sliver of 4 columns (w <= 4). */
__attribute__((target("avx2")))
static void thin_6x4(size_t k, const double *a, size_t ars, size_t acs, size_t h,
                     const double *bp, size_t bs, double *c, size_t ldc, size_t w, int zero)
{
    const double *a0 = a, *a1 = h > 1 ? a + ars : a, *a2 = h > 2 ? a + 2 * ars : a;
    const double *a3 = h > 3 ? a + 3 * ars : a, *a4 = h > 4 ? a + 4 * ars : a;
    const double *a5 = h > 5 ? a + 5 * ars : a;
    Quad z = {0, 0, 0, 0};
    Quad c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
    __m256i m0;
    memcpy(&m0, thin_masks[w], sizeof m0);
    if (!zero) {
        THIN_IN(c0, 0, 0, m0);
        if (h > 1) THIN_IN(c1, 1, 0, m0);
        if (h > 2) THIN_IN(c2, 2, 0, m0);
        if (h > 3) THIN_IN(c3, 3, 0, m0);
        if (h > 4) THIN_IN(c4, 4, 0, m0);
        if (h > 5) THIN_IN(c5, 5, 0, m0);
    }
    for (size_t p = 0, o = 0; p < k; p++, o += acs, bp += bs) {
        Quad b = _mm256_maskload_pd(bp, m0);
        c0 += QOF(a0[o]) * b;
        c1 += QOF(a1[o]) * b;
        c2 += QOF(a2[o]) * b;
        c3 += QOF(a3[o]) * b;
        c4 += QOF(a4[o]) * b;
        c5 += QOF(a5[o]) * b;
    }
    THIN_OUT(c0, 0, 0, m0);
    if (h > 1) THIN_OUT(c1, 1, 0, m0);
    if (h > 2) THIN_OUT(c2, 2, 0, m0);
    if (h > 3) THIN_OUT(c3, 3, 0, m0);
    if (h > 4) THIN_OUT(c4, 4, 0, m0);
    if (h > 5) THIN_OUT(c5, 5, 0, m0);
}
#endif

static int generic_forced;

void matmul_use_generic(int on) { generic_forced = on; }

static int use_avx2(void)
{
#ifdef HAVE_AVX2_KERNEL
    return !generic_forced && __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}

const char *matmul_kernel_name(void) { return use_avx2() ? "avx2 6x8" : "generic 4x4"; }

/* ---- packing ------------------------------------------------------------------ */

/* A(0..mc-1, 0..kc-1) into slivers of mr rows: sliver s holds, for each p,
 * A(s*mr + r, p) for r = 0..mr-1 (0 past row mc). */
static void pack_a(size_t mc, size_t kc, const double *a, size_t rs, size_t cs, size_t mr,
                   double *out)
{
    for (size_t i0 = 0; i0 < mc; i0 += mr) {
        size_t h = mc - i0 < mr ? mc - i0 : mr;
        const double *row = a + i0 * rs;
        for (size_t p = 0; p < kc; p++, out += mr) {
            size_t r = 0;
            for (; r < h; r++) out[r] = row[r * rs + p * cs];
            for (; r < mr; r++) out[r] = 0.0;
        }
    }
}

/* B(0..kc-1, 0..nc-1) into slivers of nr columns: sliver s holds, for each
 * p, B(p, s*nr + j) for j = 0..nr-1 (0 past column nc). */
static void pack_b(size_t kc, size_t nc, const double *b, size_t rs, size_t cs, size_t nr,
                   double *out)
{
    for (size_t j0 = 0; j0 < nc; j0 += nr) {
        size_t w = nc - j0 < nr ? nc - j0 : nr;
        const double *col = b + j0 * cs;
        for (size_t p = 0; p < kc; p++, out += nr) {
            size_t j = 0;
            if (cs == 1)
                memcpy(out, col + p * rs, w * sizeof *out), j = w;
            for (; j < w; j++) out[j] = col[p * rs + j * cs];
            for (; j < nr; j++) out[j] = 0.0;
        }
    }
}

/* ---- the blocked product over a range of rows ---------------------------------- */

typedef struct Job {
    size_t m, k, n;
    const double *a, *b;
    size_t a_rs, a_cs, b_rs, b_cs;
    double *c;
    size_t c_rs;
    MatmulMode mode;
    Kernel kern;
    size_t mr, nr;
    size_t rows;           /* rows of C per chunk */
    double **abuf, **bbuf; /* each chunk's packing buffers */
} Job;

/* One tile: a whole one straight into C, an edge one through a scratch
 * tile (h x w of it are C's). */
static void tile(const Job *j, size_t kc, const double *ap, const double *bp, double *c,
                 size_t h, size_t w, int zero)
{
    if (h == j->mr && w == j->nr) {
        j->kern(kc, ap, bp, c, j->c_rs, zero);
        return;
    }
    double t[MR_MAX * NR_MAX] = {0};
    if (!zero)
        for (size_t r = 0; r < h; r++) memcpy(t + r * j->nr, c + r * j->c_rs, w * sizeof *t);
    j->kern(kc, ap, bp, t, j->nr, zero);
    for (size_t r = 0; r < h; r++) memcpy(c + r * j->c_rs, t + r * j->nr, w * sizeof *t);
}

static void rows_chunk(void *ctx, size_t chunk)
{
    const Job *j = ctx;
    size_t i_begin = chunk * j->rows;
    size_t i_end = j->m - i_begin < j->rows ? j->m : i_begin + j->rows;
    double *abuf = j->abuf[chunk], *bbuf = j->bbuf[chunk];
    for (size_t jc = 0; jc < j->n; jc += NC) {
        size_t nc = j->n - jc < NC ? j->n - jc : NC;
        for (size_t pc = 0; pc < j->k; pc += KC) {
            size_t kc = j->k - pc < KC ? j->k - pc : KC;
            int zero = j->mode == MATMUL_SET && pc == 0;
            pack_b(kc, nc, j->b + pc * j->b_rs + jc * j->b_cs, j->b_rs, j->b_cs, j->nr, bbuf);
            for (size_t ic = i_begin; ic < i_end; ic += MC) {
                size_t mc = i_end - ic < MC ? i_end - ic : MC;
                pack_a(mc, kc, j->a + ic * j->a_rs + pc * j->a_cs, j->a_rs, j->a_cs, j->mr,
                       abuf);
                for (size_t jr = 0; jr < nc; jr += j->nr) {
                    size_t w = nc - jr < j->nr ? nc - jr : j->nr;
                    for (size_t ir = 0; ir < mc; ir += j->mr) {
                        size_t h = mc - ir < j->mr ? mc - ir : j->mr;
                        tile(j, kc, abuf + ir * kc, bbuf + jr * kc,
                             j->c + (ic + ir) * j->c_rs + jc + jr, h, w, zero);
                    }
                }
            }
        }
    }
}

static size_t round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }

#ifdef HAVE_AVX2_KERNEL
/* Products with n up to THIN_N columns and a packed B up to THIN_B doubles
 * (256 KB) take the thin path. */
#define THIN_N 32
#define THIN_B ((size_t)1 << 15)

/* B (k x n) into slivers of 8 columns, the last 4 wide when its columns
 * fit in 4: sliver s holds, for each p, B(p, 8s + j), 0 past column n. */
static void thin_pack(size_t k, size_t n, const double *b, size_t rs, size_t cs, double *out)
{
    for (size_t j0 = 0; j0 < n; j0 += 8) {
        size_t w = n - j0 < 8 ? n - j0 : 8, nr = w <= 4 ? 4 : 8;
        const double *col = b + j0 * cs;
        for (size_t p = 0; p < k; p++, out += nr) {
            size_t j = 0;
            for (; j < w; j++) out[j] = col[p * rs + j * cs];
            for (; j < nr; j++) out[j] = 0.0;
        }
    }
}

static Status thin(size_t m, size_t k, size_t n, const double *a, size_t a_rs, size_t a_cs,
                   const double *b, size_t b_rs, size_t b_cs, double *c, size_t c_rs,
                   MatmulMode mode, Err *e)
{
    /* rows of B that are contiguous are read in place (the kernels' masked
     * loads stop at the sliver's last column); others are packed */
    size_t len = b_cs == 1 ? 0 : round_up(n, 4) * k;
    double *bp = NULL;
    if (len) {
        if (!(bp = mem_alloc(len * sizeof *bp)))
            return err_set(e, ST_ENOMEM, "matmul: out of memory for the packing buffers "
                           "(%zu bytes)", len * sizeof *bp);
        thin_pack(k, n, b, b_rs, b_cs, bp);
    }
    int zero = mode == MATMUL_SET;
    for (size_t j0 = 0; j0 < n; j0 += 8) {
        size_t w = n - j0 < 8 ? n - j0 : 8;
        const double *sliver = bp ? bp + j0 * k : b + j0;
        size_t bs = bp ? (w <= 4 ? 4 : 8) : b_rs;
        for (size_t i = 0; i < m; i += 6) {
            size_t h = m - i < 6 ? m - i : 6;
            if (w <= 4)
                thin_6x4(k, a + i * a_rs, a_rs, a_cs, h, sliver, bs, c + i * c_rs + j0, c_rs,
                         w, zero);
            else
                thin_6x8(k, a + i * a_rs, a_rs, a_cs, h, sliver, bs, c + i * c_rs + j0, c_rs,
                         w, zero);
        }
    }
    if (bp) mem_free(bp, len * sizeof *bp);
    return ST_OK;
}
#endif

/* Products (multiply-adds) below which one thread does the whole job:
 * about a millisecond of work, next to which starting threads is small. */
#define MATMUL_PAR_MIN ((size_t)1 << 22)
#define MAX_CHUNKS 64

Status matmul(size_t m, size_t k, size_t n,
              const double *a, size_t a_rs, size_t a_cs,
              const double *b, size_t b_rs, size_t b_cs,
              double *c, size_t c_rs, MatmulMode mode, Err *e)
{
    if (m == 0 || n == 0) return ST_OK;
    if (k == 0) {
        if (mode == MATMUL_SET)
            for (size_t i = 0; i < m; i++) memset(c + i * c_rs, 0, n * sizeof *c);
        return ST_OK;
    }
#ifdef HAVE_AVX2_KERNEL
    if (use_avx2() && n <= THIN_N && round_up(n, 8) * k <= THIN_B &&
        (double)m * (double)k * (double)n < (double)MATMUL_PAR_MIN)
        return thin(m, k, n, a, a_rs, a_cs, b, b_rs, b_cs, c, c_rs, mode, e);
#endif
    Job j = {m, k, n, a, b, a_rs, a_cs, b_rs, b_cs, c, c_rs, mode, kernel_4x4, 4, 4, m, 0, 0};
#ifdef HAVE_AVX2_KERNEL
    if (use_avx2()) j.kern = kernel_6x8, j.mr = 6, j.nr = 8;
#endif
    /* Chunks of rows, as many as threads when the work pays for them; the
     * order within each element does not depend on it (matmul.h). */
    size_t nchunks = 1;
    if ((double)m * (double)k * (double)n >= (double)MATMUL_PAR_MIN && m >= 2 * MC)
        nchunks = (size_t)par_threads();
    if (nchunks > MAX_CHUNKS) nchunks = MAX_CHUNKS;
    j.rows = round_up((m + nchunks - 1) / nchunks, 24);
    nchunks = (m + j.rows - 1) / j.rows;
    size_t kc = k < KC ? k : KC;
    size_t a_len = round_up(j.rows < MC ? j.rows : MC, j.mr) * kc;
    size_t b_len = round_up(n < NC ? n : NC, j.nr) * kc;
    double *abuf[MAX_CHUNKS] = {0}, *bbuf[MAX_CHUNKS] = {0};
    Status st = ST_OK;
    for (size_t t = 0; t < nchunks && st == ST_OK; t++) {
        abuf[t] = mem_alloc(a_len * sizeof(double));
        bbuf[t] = mem_alloc(b_len * sizeof(double));
        if (!abuf[t] || !bbuf[t])
            st = err_set(e, ST_ENOMEM, "matmul: out of memory for the packing buffers "
                         "(%zu bytes)", (a_len + b_len) * sizeof(double));
    }
    if (st == ST_OK) {
        j.abuf = abuf, j.bbuf = bbuf;
        /* the work: m*k*n multiply-adds (par decides whether threads pay) */
        double work = (double)m * (double)k * (double)n;
        par_run(nchunks, work > 1e18 ? (size_t)1e18 : (size_t)work, rows_chunk, &j);
    }
    for (size_t t = 0; t < nchunks; t++) {
        mem_free(abuf[t], abuf[t] ? a_len * sizeof(double) : 0);
        mem_free(bbuf[t], bbuf[t] ? b_len * sizeof(double) : 0);
    }
    return st;
}
