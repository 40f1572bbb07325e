/* numfmt.h: numbers as text, the way luagrad writes them everywhere (CSV,
 * tostring of tensors, provenance): the shortest text that reads back as the
 * same double (0.1, not 0.10000000000000001), whole numbers without a
 * decimal point, and inf, -inf, nan spelled so. */
#ifndef LUAGRAD_NUMFMT_H
#define LUAGRAD_NUMFMT_H

#include <stddef.h>

#define NUMFMT_SIZE 32 /* enough for any double */

/* "nan", "inf" or "-inf" for a value that is not finite (messages). */
static inline const char *numfmt_nonfinite(double v)
{
    return v != v ? "nan" : v > 0 ? "inf" : "-inf";
}

/* Writes v into buf (at least NUMFMT_SIZE bytes); returns the length. */
size_t numfmt_double(double v, char *buf);

#endif
