/* test_numfmt.c: shortest round-trip formatting of doubles. */
#include <stdlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "unit.h"

void test_numfmt(void);

static int formats_as(double v, const char *want)
{
    char buf[NUMFMT_SIZE];
    numfmt_double(v, buf);
    if (strcmp(buf, want) == 0) return 1;
    printf("    numfmt(%.17g) = %s, want %s\n", v, buf, want);
    return 0;
}

void test_numfmt(void)
{
    CHECK(formats_as(0.1, "0.1"));
    CHECK(formats_as(0.1 + 0.2, "0.30000000000000004"));
    CHECK(formats_as(4.0, "4"));
    CHECK(formats_as(-0.0, "-0"));
    CHECK(formats_as(1e-300, "1e-300"));
    CHECK(formats_as(1e300, "1e+300"));
    CHECK(formats_as(INFINITY, "inf"));
    CHECK(formats_as(-INFINITY, "-inf"));
    CHECK(formats_as(NAN, "nan"));
    CHECK(formats_as(123456789012345678.0, "1.2345678901234568e+17"));
    CHECK(formats_as(5e-324, "5e-324"));           /* subnormal: fewer digits */
    CHECK(formats_as(1.5e-320, "1.5e-320"));
    CHECK(formats_as(0.3, "0.3"));
    CHECK(formats_as(1234567890123456.0, "1234567890123456"));  /* 16 digits */
    CHECK(formats_as(0.1 + 0.7, "0.7999999999999999"));        /* 16 digits */
    CHECK(formats_as(100.0, "100"));
    CHECK(formats_as(-3.0, "-3"));                       /* whole numbers: a short cut */
    CHECK(formats_as(999999999999999.0, "999999999999999"));
    CHECK(formats_as(1e15, "1e+15"));                    /* past it: as %g writes it */
    CHECK(formats_as(-1e300, "-1e+300"));
    /* A power of two whose %.16g does not read back but %.15g does (found by
     * tests/fuzz/numfmt.c); the texts are Python's repr(2.0**149) etc. */
    CHECK(formats_as(0x1p149, "7.1362384635298e+44"));
    CHECK(formats_as(0x1p-1000, "9.332636185032189e-302"));
    CHECK(formats_as(0x1p1000, "1.0715086071862673e+301"));
    /* Between 1e-4 and 1e15, up to 15 digits are found by arithmetic
     * (short_fixed), more the long way; the texts are Python's repr. */
    CHECK(formats_as(0.0001, "0.0001"));
    CHECK(formats_as(0.00012345, "0.00012345"));
    CHECK(formats_as(-12.25, "-12.25"));
    CHECK(formats_as(0.0001 * 1.1, "0.00011000000000000002"));
    CHECK(formats_as(1e-4 * 3, "0.00030000000000000003"));
    CHECK(formats_as(2.0 / 3 * 100, "66.66666666666666"));
    CHECK(formats_as(31415926535897.93, "31415926535897.93"));      /* 15 digits */
    CHECK(formats_as(123456789012345.6, "123456789012345.6"));      /* 16 */
    CHECK(formats_as(99999999999999.98, "99999999999999.98"));
    CHECK(formats_as(1e-5 * 7, "7.000000000000001e-05"));          /* below: %g's form */
    /* Every value reads back bit-identical. */
    double probe[] = {1.0 / 3, 2.0 / 3, 5e-324, 1.7976931348623157e308, 0.1 * 3};
    for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
        char buf[NUMFMT_SIZE];
        numfmt_double(probe[i], buf);
        CHECK(strtod(buf, NULL) == probe[i]);
    }
}
