/* expv.h: exp over arrays, four values at a time, for the sigmoid of a
 * network layer (tensorops.c), where the exp of each element was most of
 * the work.
 *
 * expv_negabs(out, x, n): out[k] = exp(-|x[k]|), within 1 ulp of the
 * exact value (the unit test measures it against libm: at most 1 ulp,
 * and most results the same bits). The result is the same on every
 * machine and build, whatever the vector width: the vector and one-value
 * versions do the same IEEE operations in the same order (no fused
 * multiply-add, -ffp-contract=off), and the processor only decides how
 * many lanes run at once. Arguments below -708 (results near the
 * subnormals) and nan go to libm's exp. out may not overlap x unless
 * out == x. */
#ifndef LUAGRAD_EXPV_H
#define LUAGRAD_EXPV_H

#include <stddef.h>

void expv_negabs(double *out, const double *x, size_t n);

/* The same for one value (what expv_negabs gives for it). */
double expv_negabs1(double x);

/* The logistic sigmoid from e = exp(-|x|) as above: 1 / (1 + e) for
 * x >= 0, e / (1 + e) below (no overflow either way), nan for nan. The
 * array and one-value versions give the same bits. */
void expv_sigmoid(double *out, const double *x, size_t n);
double expv_sigmoid1(double x);

/* expv_use_plain(1): no AVX2 even where there is some (for the tests: the
 * results are the same bits). */
void expv_use_plain(int on);

#endif
