/* mem.c: see mem.h. Single-threaded by design: only the main thread
 * allocates; worker threads of the numeric loops only read and write arrays
 * they are given. */
#include "core/mem.h"

#include <stdlib.h>

static size_t in_use, limit;
static int refused;  /* the cap said no at least once */
static void (*reclaim)(void);  /* frees memory kept for reuse (core/bufcache.h) */

void *mem_realloc(void *p, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        free(p);
        in_use -= old_size;
        return NULL;
    }
    /* Before saying no, give back the memory kept for reuse and look again. */
    if (new_size > old_size && limit && in_use - old_size + new_size > limit) {
        if (reclaim) reclaim();
        if (in_use - old_size + new_size > limit) {
            refused = 1;
            return NULL;
        }
    }
    void *q = realloc(p, new_size);
    if (!q && reclaim) {
        reclaim();
        q = realloc(p, new_size);
    }
    if (!q) return NULL;
    in_use = in_use - old_size + new_size;
    return q;
}

void *mem_alloc(size_t size) { return mem_realloc(NULL, 0, size); }
void mem_free(void *p, size_t size) { if (p) mem_realloc(p, size, 0); }
size_t mem_in_use(void) { return in_use; }
void mem_set_limit(size_t bytes) { limit = bytes; }
int mem_limit_reached(void) { return refused; }
void mem_set_reclaim(void (*fn)(void)) { reclaim = fn; }
