/* fit.h: the fast training loop. Trains a built-in model on a data set for a
 * number of epochs entirely in C: full batch, mini-batches of k samples, or
 * one sample at a time (SGD); samples in order or shuffled each epoch with
 * the seeded generator. It calls back once per epoch (never per sample).
 *
 * An epoch visits the samples in batches of `batch` (the last one may be
 * smaller). For each batch: the gradient of the batch's MSE at the current
 * parameters, then one optimizer step. The epoch's loss is the mean of the
 * batch losses weighted by batch size, each taken before its update:
 * sum(count_b * loss_b) / n, or just loss_b when the epoch is one batch.
 * For full batch that is the MSE before the epoch's update, as the course
 * prints it. */
#ifndef LUAGRAD_FIT_H
#define LUAGRAD_FIT_H

#include <stddef.h>

#include "core/err.h"
#include "core/model.h"
#include "core/optim.h"
#include "core/rng.h"

typedef struct FitConfig {
    size_t epochs;  /* >= 1 */
    size_t batch;   /* samples per step, 1..n; n means full batch */
    int shuffle;    /* a new permutation from rng every epoch */
} FitConfig;

/* After each epoch (1-based). Returns 0 to go on, 1 to stop early, and -1
 * when it failed (it keeps its own error; fit_run then returns ST_ECALLBACK). */
typedef int (*FitEpochFn)(void *ud, size_t epoch, double loss);

#define ST_ECALLBACK ((Status)100)

/* Trains m on n samples. The data must pass model_check_data. *done gets
 * the number of epochs completed. Fails with ST_EDIVERGED when the loss or
 * a parameter stops being finite (the message names the epoch), with
 * ST_ECANCEL on Ctrl-C. */
Status fit_run(Model *m, const double *x, const double *y, size_t n, const FitConfig *fc,
               Optimizer *o, Rng *rng, FitEpochFn on_epoch, void *ud, size_t *done, Err *e);

#endif
