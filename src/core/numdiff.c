/* numdiff.c: see numdiff.h. */
#include "core/numdiff.h"

#include <math.h>

double numdiff_step(double p, double step)
{
    return step * (fabs(p) > 1 ? fabs(p) : 1);
}

double numdiff_central(double up, double down, double p, double h)
{
    return (up - down) / ((p + h) - (p - h));
}
