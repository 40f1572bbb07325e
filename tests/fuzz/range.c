/* range.c: fuzzes tensor_range_count and tensor_range_fill, the ranges of
 * tensor.range(from, to, step). Input: three doubles (24 bytes, bits as
 * given), or a text "from:to:step" read with strtod, as a user would
 * write it. Properties when the count is accepted:
 *  - 1 <= n <= TENSOR_MAX_NUMEL + 1, and n - 1 steps do not pass `to` by
 *    more than the tolerance, while n steps do pass it;
 *  - filled (for n up to 100000): the first value is `from`, every value is
 *    finite, inside [from, to] up to rounding, and moves in step's direction.
 * A refusal must leave a message. */
#include <math.h>
#include <string.h>

#include "core/mem.h"
#include "core/tensor.h"
#include "fuzz.h"

#define FILL_MAX 100000

static void check(double a, double b, double step)
{
    size_t n = 0;
    Err e;
    e.msg[0] = '\0';
    if (tensor_range_count(a, b, step, &n, &e) != ST_OK) {
        FUZZ_CHECK(e.msg[0] != '\0', "refused without a message: %a %a %a", a, b, step);
        return;
    }
    FUZZ_CHECK(isfinite(a) && isfinite(b) && isfinite(step) && step != 0,
               "accepted %a:%a:%a", a, b, step);
    FUZZ_CHECK(n >= 1 && n <= TENSOR_MAX_NUMEL + 1, "n = %zu for %a:%a:%a", n, a, b, step);
    double k = (b - a) / step;  /* steps from a to b */
    FUZZ_CHECK((double)(n - 1) <= k + 1e-9 * (1 + fabs(k)) && (double)n > k,
               "n = %zu but (to - from) / step = %.17g", n, k);
    if (n > FILL_MAX) return;
    double *out = mem_alloc(n * sizeof *out);
    FUZZ_CHECK(out != NULL, "out of memory for %zu values", n);
    tensor_range_fill(out, n, a, b, step);
    double lo = fmin(a, b), hi = fmax(a, b), slack = 1e-9 * fmax(fabs(a), fabs(b)) + fabs(step) * 1e-9;
    FUZZ_CHECK(out[0] == a, "first value %a, from %a", out[0], a);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(isfinite(out[i]), "value %zu is %a", i, out[i]);
        FUZZ_CHECK(out[i] >= lo - slack && out[i] <= hi + slack,
                   "value %zu = %.17g outside [%.17g, %.17g]", i, out[i], lo, hi);
        if (i > 0)
            FUZZ_CHECK(step > 0 ? out[i] >= out[i - 1] : out[i] <= out[i - 1],
                       "value %zu = %.17g goes back from %.17g", i, out[i], out[i - 1]);
    }
    mem_free(out, n * sizeof *out);
}

int fuzz_range(const uint8_t *data, size_t size)
{
    if (size == 3 * sizeof(double)) {
        double v[3];
        memcpy(v, data, sizeof v);
        check(v[0], v[1], v[2]);
        return 0;
    }
    char text[256];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    char *p = text, *end;
    double v[3] = {0, 0, 1};
    for (int i = 0; i < 3; i++) {
        v[i] = strtod(p, &end);
        if (end == p || (i < 2 && *end != ':')) return 0;  /* not a range: nothing to check */
        p = end + 1;
    }
    check(v[0], v[1], v[2]);
    return 0;
}

FUZZ_ENTRY(fuzz_range)
