/* par.h: data-parallel work over fixed chunks, on one pool of threads.
 *
 * The caller cuts its work into chunks that do not depend on the number of
 * threads (PAR_CHUNK samples of a data set, one row of a grid, a block of a
 * matrix product, ...), each chunk writes its own partial result, and the
 * caller combines the partials in chunk order after par_run returns. So
 * results are bit-identical with 1 thread or 8: only who computes which
 * chunk changes.
 *
 * Typical use (a sum over n doubles):
 *
 *   static void part(void *ctx, size_t c) {     // chunk c of the data
 *       Sum *s = ctx;
 *       size_t begin = c * PAR_CHUNK, end = min(begin + PAR_CHUNK, s->n);
 *       s->partial[c] = kernel_sum(s->x + begin, end - begin);
 *   }
 *   size_t nchunks = par_nchunks(n, PAR_CHUNK);
 *   par_run(nchunks, n, part, &s);               // work: n additions
 *   total = partial[0] + partial[1] + ... in order
 *
 * par_run decides whether threads pay: below PAR_MIN_WORK it runs every
 * chunk on the calling thread; above, it times serial and parallel calls
 * of each kind and picks the faster, so that when other programs keep the
 * cores busy, threads do not slow a run down. A chunk may call par_run,
 * which then runs serially. A chunk cannot stop the others: it records an
 * error in its own slot and the caller looks after par_run. */
#ifndef LUAGRAD_PAR_H
#define LUAGRAD_PAR_H

#include <stddef.h>

/* Samples per chunk of a pass over a data set. Changing it changes the
 * order of sums, so the bits of every result over more samples than this. */
#define PAR_CHUNK 32768

/* Below this much work (element operations: about one multiply-add and
 * one load each), a call runs serially: waking a worker and waiting for it
 * costs more than it saves. Measured on 2 idle cores with the affine
 * gradient pass (3 per sample, 0.14 ns each): 40,000 samples (work 1.2e5,
 * two chunks) gain nothing, 50,000 (1.5e5) gain 25%. */
#define PAR_MIN_WORK 200000

static inline size_t par_nchunks(size_t n, size_t chunk) { return (n + chunk - 1) / chunk; }

typedef void (*ParFn)(void *ctx, size_t chunk);

/* Calls fn(ctx, c) exactly once for each c = 0 .. nchunks-1 and returns when
 * all are done. work estimates the element operations of all the chunks
 * together (e.g. samples x values per sample); under PAR_MIN_WORK, or with
 * one thread, one chunk, when called from inside a chunk, or when threads
 * have been slower for calls of this kind (the same fn, work within a
 * factor of 2), everything runs on the calling thread in chunk order. Otherwise the calling thread and the
 * pool's workers take chunks in turn from a shared counter, in no particular
 * order. The pool is started on first use and joined at exit. */
void par_run(size_t nchunks, size_t work, ParFn fn, void *ctx);

/* Whether par measures if threads pay for each kind of call (1, the
 * default; see par.c) or uses them for every call over PAR_MIN_WORK (0: for
 * tests of the pool and for measuring). */
void par_set_learning(int on);

/* The number of threads, the caller included: set by par_set_threads
 * (n >= 1; the host sets it from LUAGRAD_THREADS), else the number of online
 * cores; at most PAR_MAX_THREADS. par_set_threads(0) goes back to the
 * default. Not to be called while par_run runs. */
#define PAR_MAX_THREADS 64
int par_threads(void);
void par_set_threads(int n);

#endif
