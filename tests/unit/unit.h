/* unit.h: the C unit tests of the numeric core (no Lua). Each suite is a
 * function listed in tests/unit/main.c; CHECK and CHECK_NEAR count and
 * report, and main prints "# N passed, N failed" for tests/run.sh. */
#ifndef LUAGRAD_UNIT_H
#define LUAGRAD_UNIT_H

#include <math.h>
#include <stdio.h>

extern int unit_passed, unit_failed;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (cond) unit_passed++;                                             \
        else {                                                               \
            unit_failed++;                                                   \
            printf("not ok - %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
        }                                                                    \
    } while (0)

/* |got - want| <= tol * max(1, |want|); both printed on failure. */
#define CHECK_NEAR(got, want, tol)                                           \
    do {                                                                     \
        double g_ = (got), w_ = (want);                                      \
        double s_ = fabs(w_) > 1 ? fabs(w_) : 1;                             \
        if (fabs(g_ - w_) <= (tol) * s_ || g_ == w_) unit_passed++;          \
        else {                                                               \
            unit_failed++;                                                   \
            printf("not ok - %s:%d: %s = %.17g, want %.17g\n", __FILE__,     \
                   __LINE__, #got, g_, w_);                                  \
        }                                                                    \
    } while (0)

#endif
