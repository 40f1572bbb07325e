/* loss.c: see loss.h. */
#include "core/loss.h"

#include "core/kernel.h"
#include "core/par.h"

/* yhat*1 + 0 - y is exactly yhat - y, and the chunks are those of the
 * models' pass (src/core/model.c), summed in order: so
 * loss.mse(m:forward(x), y) and loss.mse(m, x, y) agree to the bit. */
double loss_mse(const double *yhat, const double *y, size_t n)
{
    double total = 0;
    for (size_t begin = 0; begin < n; begin += PAR_CHUNK) {
        size_t count = n - begin < PAR_CHUNK ? n - begin : PAR_CHUNK;
        double part = kernel_sse(yhat + begin, y + begin, count, 1.0, 0.0);
        total = begin == 0 ? part : total + part;
    }
    return total / (double)n;
}
