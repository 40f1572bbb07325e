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
 * is tried before %.17g (found by tests/fuzz/numfmt.c). */
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
    int n = format(v, 16, buf);
    if (strtod(buf, NULL) != v) {
        int exponent;
        if (fabs(frexp(v, &exponent)) == 0.5) {  /* a power of two */
            n = format(v, 15, buf);
            if (strtod(buf, NULL) == v) return (size_t)n;
        }
        return (size_t)format(v, 17, buf);
    }
    if (significant_digits(buf) < 16) return (size_t)n;
    char shorter[NUMFMT_SIZE];
    int m = format(v, 15, shorter);
    if (strtod(shorter, NULL) != v) return (size_t)n;
    memcpy(buf, shorter, (size_t)m + 1);
    return (size_t)m;
}
