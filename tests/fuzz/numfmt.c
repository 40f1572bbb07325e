/* numfmt.c: fuzzes numfmt_double, the number formatter of CSV files,
 * tostring and run.json. Input: the first 8 bytes are a double's bits; the
 * whole input, as text, is also read with strtod, so both random bit
 * patterns and decimal texts near tricky values reach the formatter.
 * Properties, for every double v:
 *  - the text fits NUMFMT_SIZE and its length is the one returned;
 *  - strtod gives back v, bit for bit (nan: a nan; -0 keeps its sign);
 *  - it is the shortest: no fewer significant digits read back as v;
 *  - a whole number below 1e15 has no '.' and no exponent. */
#include <math.h>
#include <string.h>

#include "core/numfmt.h"
#include "fuzz.h"

/* Significant digits of a %g or %lld text: from the first non-zero digit
 * to the last non-zero one of the mantissa ("100" -> 1, "1.25e-05" -> 3). */
static int digits_of(const char *s)
{
    int first = -1, last = -1, i = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (*s != '0') {
            if (first < 0) first = i;
            last = i;
        }
        i++;
    }
    return first < 0 ? 1 : last - first + 1;
}

static void check_one(double v)
{
    char buf[NUMFMT_SIZE + 8];
    memset(buf, 'x', sizeof buf);
    size_t n = numfmt_double(v, buf);
    FUZZ_CHECK(n < NUMFMT_SIZE, "length %zu for %a", n, v);
    FUZZ_CHECK(strlen(buf) == n, "returned %zu, text '%s' for %a", n, buf, v);
    double back = strtod(buf, NULL);
    if (isnan(v)) {
        FUZZ_CHECK(isnan(back), "'%s' for nan", buf);
        return;
    }
    FUZZ_CHECK(memcmp(&back, &v, sizeof v) == 0, "'%s' reads back as %a, not %a", buf, back, v);
    if (isinf(v)) return;
    int d = digits_of(buf);
    for (int fewer = 1; fewer < d; fewer++) {
        char shorter[64];
        snprintf(shorter, sizeof shorter, "%.*g", fewer, v);
        FUZZ_CHECK(strtod(shorter, NULL) != v, "'%s' is shorter than '%s' for %a", shorter,
                   buf, v);
    }
    if (fabs(v) < 1e15 && v == floor(v) && !(v == 0 && signbit(v)))
        FUZZ_CHECK(!strpbrk(buf, ".e"), "whole number %a written '%s'", v, buf);
}

int fuzz_numfmt(const uint8_t *data, size_t size)
{
    double v = 0;
    memcpy(&v, data, size < sizeof v ? size : sizeof v);
    check_one(v);
    char text[128];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    check_one(strtod(text, NULL));
    return 0;
}

FUZZ_ENTRY(fuzz_numfmt)
