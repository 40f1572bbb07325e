/* par.h: data-parallel work over fixed chunks.
 *
 * The caller cuts its work into chunks that do not depend on the number of
 * threads (PAR_CHUNK samples of a data set, one row of a grid, ...), and
 * combines the chunks' partial results in chunk order. So results are
 * bit-identical with 1 thread or 8: only who computes which chunk changes. */
#ifndef LUAGRAD_PAR_H
#define LUAGRAD_PAR_H

#include <stddef.h>

/* Samples per chunk of a pass over a data set. */
#define PAR_CHUNK 32768

static inline size_t par_nchunks(size_t n, size_t chunk) { return (n + chunk - 1) / chunk; }

typedef void (*ParFn)(void *ctx, size_t chunk);

/* Calls fn(ctx, c) for c = 0 .. nchunks-1, spread over par_threads()
 * threads when worth_it (the caller knows the size of a chunk), else all on
 * the calling thread. Returns when every chunk is done. */
void par_run(size_t nchunks, int worth_it, ParFn fn, void *ctx);

/* The number of threads: set by par_set_threads (n >= 1), else the
 * LUAGRAD_THREADS environment variable, else the number of online cores;
 * at most 64. par_set_threads(0) goes back to the default. */
int par_threads(void);
void par_set_threads(int n);

#endif
