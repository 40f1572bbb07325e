/* numfmt.c: see numfmt.h.
 *
 * A double needs at most 17 significant digits to read back exactly, and a
 * normal double whose shortest form has up to 15 digits is printed exactly
 * so by %.15g (%g drops trailing zeros). So: try %.16g; if it reads back and
 * used fewer than 16 digits it is the answer; if it reads back, %.15g may
 * still be shorter; if it does not, %.17g always does. Subnormal numbers
 * carry fewer digits of precision, so for them every precision is tried.
 *
 * A power of two is the exception to "16 digits fail, so fewer fail too":
 * the doubles below it are twice as close as those above, so %.16g can
 * land below it out of reach while the coarser %.15g lands above it within
 * reach (2^149: %.16g fails, 7.1362384635298e+44 reads back). For it %.15g
 * is tried before %.17g (found by tests/fuzz/numfmt.c).
 *
 * Before all that (a snprintf and a strtod are ~2,000 instructions each,
 * half of writing a CSV file), a number between 1e-4 and 1e15 with at most
 * 15 significant digits is found with arithmetic alone: see short_fixed. */
#include "core/numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Significant digits in the mantissa of %g output ("-1.25e-05" -> 3). */
static int significant_digits(const char *s)
{
    int digits = 0, leading = 1;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (leading && *s == '0') continue;
        leading = 0;
        digits++;
    }
    return digits;
}

static int format(double v, int digits, char *buf)
{
    return snprintf(buf, NUMFMT_SIZE, "%.*g", digits, v);
}

/* 10^0 .. 10^22, the powers of ten a double holds exactly. */
static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* v (not whole, 1e-4 <= |v| < 1e15) as the fewest decimals that read back
 * as v, when that takes at most 15 significant digits: writes it as %g
 * would (fixed notation in that range) and returns the length; returns 0
 * when there is no such text (it stops once r reaches 1e15, which the
 * error bound below makes a proof), and the caller goes the long way.
 *
 * Why it is exact: for d decimals, r = round(|v| * 10^d) is computed with
 * an error below 0.25 (the product's rounding, 1.1e-16 * r < 0.11 for r <
 * 1e15, plus |v|'s own distance to the decimal, at most half an ulp, the
 * same again), so it is the decimal nearest to |v| when one reads back.
 * r and 10^d are exact doubles, so r / 10^d is the correctly rounded
 * quotient: exactly what strtod makes of the text, hence the check. The
 * first d that passes has the fewest digits; with at most 15 of them no
 * other d-decimal number lies within half an ulp of v, so it is the text
 * the long way gives too (checked on 6 M values against it). */
static size_t short_fixed(double v, char *buf)
{
    double a = fabs(v);
    for (int d = 1; d <= 22; d++) {
        double s = a * pow10[d];
        if (s >= 1e15) return 0;
        double r = floor(s + 0.5);  /* exact: s < 2^50 */
        if (r / pow10[d] != a) continue;
        char digits[24];  /* r's digits, the last first */
        int n = 0;
        for (unsigned long long u = (unsigned long long)r; u; u /= 10) digits[n++] = (char)('0' + u % 10);
        char *p = buf;
        if (v < 0) *p++ = '-';
        if (n <= d) {  /* 0.000123 */
            *p++ = '0';
            *p++ = '.';
            for (int i = n; i < d; i++) *p++ = '0';
            while (n) *p++ = digits[--n];
        } else {  /* 12.25 */
            while (n > d) *p++ = digits[--n];
            *p++ = '.';
            while (n) *p++ = digits[--n];
        }
        *p = '\0';
        return (size_t)(p - buf);
    }
    return 0;
}

size_t numfmt_double(double v, char *buf)
{
    if (isnan(v)) return (size_t)snprintf(buf, NUMFMT_SIZE, "nan");
    if (isinf(v)) return (size_t)snprintf(buf, NUMFMT_SIZE, v < 0 ? "-inf" : "inf");
    if (fabs(v) < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
        /* a whole number (the data of most examples): no round trip needed */
        return (size_t)snprintf(buf, NUMFMT_SIZE, "%lld", (long long)v);
    }
    if (v != 0 && fabs(v) < DBL_MIN) {  /* subnormal */
        int n = 0;
        for (int digits = 1; digits <= 17; digits++) {
            n = format(v, digits, buf);
            if (strtod(buf, NULL) == v) break;
        }
        return (size_t)n;
    }
    /* In short_fixed's range, not found there means 16 or 17 digits: %.15g
     * need not be tried. */
    int fixed = fabs(v) >= 1e-4 && fabs(v) < 1e15;
    if (fixed) {
        size_t len = short_fixed(v, buf);
        if (len) return len;
    }
    int n = format(v, 16, buf);
    if (strtod(buf, NULL) != v) {
        int exponent;
        if (!fixed && fabs(frexp(v, &exponent)) == 0.5) {  /* a power of two */
            n = format(v, 15, buf);
            if (strtod(buf, NULL) == v) return (size_t)n;
        }
        return (size_t)format(v, 17, buf);
    }
    if (fixed || significant_digits(buf) < 16) return (size_t)n;
    char shorter[NUMFMT_SIZE];
    int m = format(v, 15, shorter);
    if (strtod(shorter, NULL) != v) return (size_t)n;
    memcpy(buf, shorter, (size_t)m + 1);
    return (size_t)m;
}
