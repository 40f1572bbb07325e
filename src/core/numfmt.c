/* numfmt.c: see numfmt.h. The first of %.15g, %.16g, %.17g that reads back
 * exactly is the shortest; %.17g always does for a double. */
#include "core/numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t numfmt_double(double v, char *buf)
{
    if (isnan(v)) return (size_t)snprintf(buf, NUMFMT_SIZE, "nan");
    if (isinf(v)) return (size_t)snprintf(buf, NUMFMT_SIZE, v < 0 ? "-inf" : "inf");
    int n = 0;
    for (int digits = 15; digits <= 17; digits++) {
        n = snprintf(buf, NUMFMT_SIZE, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) break;
    }
    return (size_t)n;
}
