/* bufcache.h: a few freed tensor buffers kept for the next tensor of the
 * same size.
 *
 * A loop of tensor expressions (r = x * w + b - y) frees and allocates
 * buffers of one size again and again. Handing the buffer freed last to the
 * next tensor reuses memory that is still in the cache, and saves the page
 * faults of a fresh block where the C library would map and unmap one.
 *
 * Only buffers of BUFCACHE_MIN bytes or more are kept, at most BUFCACHE_SLOTS
 * of them and BUFCACHE_MAX_BYTES in all. A kept buffer still counts in
 * mem_in_use (the memory is held), so --max-mem and sys.memory() see it;
 * before the cap (or the system) refuses any allocation, Lua's included,
 * mem_realloc frees the kept buffers and tries once more. Single-threaded,
 * like mem.c. */
#ifndef LUAGRAD_BUFCACHE_H
#define LUAGRAD_BUFCACHE_H

#include <stddef.h>

#include "core/mem.h"

#define BUFCACHE_MIN ((size_t)64 << 10)
#define BUFCACHE_SLOTS 4
#define BUFCACHE_MAX_BYTES ((size_t)64 << 20)

/* The large-block halves of bufcache_alloc and bufcache_free below. */
void *bufcache_take_or_alloc(size_t bytes);
void bufcache_keep_or_free(void *p, size_t bytes);

/* A block of bytes bytes (mem_free-able with that size): a kept one of
 * exactly that size when there is one, the one freed last first; otherwise
 * mem_alloc's. NULL when memory or the cap says no. Its contents are
 * whatever they are: the caller writes or zeroes them. Inline, so that the
 * small tensors of per-sample loops pay one comparison. */
static inline void *bufcache_alloc(size_t bytes)
{
    return bytes >= BUFCACHE_MIN ? bufcache_take_or_alloc(bytes) : mem_alloc(bytes);
}

/* Releases a block of bytes bytes from bufcache_alloc or mem_alloc (NULL is
 * allowed): keeps it when it is large enough (dropping the oldest kept
 * blocks when full), otherwise mem_free. */
static inline void bufcache_free(void *p, size_t bytes)
{
    if (bytes >= BUFCACHE_MIN) bufcache_keep_or_free(p, bytes);
    else mem_free(p, bytes);
}

/* Is a block of exactly bytes bytes kept? (Then bufcache_alloc(bytes)
 * allocates nothing new.) */
int bufcache_has(size_t bytes);

/* Frees every kept block. Called at exit, so leak checkers see none. */
void bufcache_flush(void);

/* How many bytes, and blocks, are kept now. (The byte count is read on
 * every tensor the collector is charged for: inline.) */
extern size_t bufcache_kept_bytes;
static inline size_t bufcache_bytes(void) { return bufcache_kept_bytes; }
int bufcache_count(void);

#endif
