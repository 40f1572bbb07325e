/* mem.c: see mem.h. Single-threaded by design: only the main thread
 * allocates; worker threads of the numeric loops only read and write arrays
 * they are given. */
#include "core/mem.h"

#include <stdlib.h>

static size_t in_use, limit;
static int refused;  /* the cap said no at least once */
static void (*reclaim)(void);  /* frees memory kept for reuse (core/bufcache.h) */

/* The cap or the system said no to growing p from old_size to new_size:
 * give back the memory kept for reuse and try once more. Out of line, so
 * the common path of mem_realloc stays as short as it was. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *retry(void *p, size_t old_size, size_t new_size)
{
    if (!reclaim) return NULL;
    reclaim();
    if (limit && in_use - old_size + new_size > limit) return NULL;
    return realloc(p, new_size);
}

/* mem_realloc's body, inline so that mem_alloc's copy calls malloc (as
 * realloc of NULL) directly: a tensor is three allocations. */
static inline void *resize(void *p, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        free(p);
        in_use -= old_size;
        return NULL;
    }
    void *q;
    if (new_size > old_size && limit && in_use - old_size + new_size > limit) {
        q = retry(p, old_size, new_size);
        if (!q) {
            refused = 1;
            return NULL;
        }
    } else if (!(q = realloc(p, new_size)) && !(q = retry(p, old_size, new_size))) {
        return NULL;
    }
    in_use = in_use - old_size + new_size;
    return q;
}

void *mem_realloc(void *p, size_t old_size, size_t new_size) { return resize(p, old_size, new_size); }
void *mem_alloc(size_t size) { return resize(NULL, 0, size); }
void mem_free(void *p, size_t size) { if (p) mem_realloc(p, size, 0); }
size_t mem_in_use(void) { return in_use; }
void mem_set_limit(size_t bytes) { limit = bytes; }
int mem_limit_reached(void) { return refused; }
void mem_set_reclaim(void (*fn)(void)) { reclaim = fn; }
