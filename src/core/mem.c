/* mem.c: see mem.h. Single-threaded by design: only the main thread
 * allocates; worker threads of the numeric loops only read and write arrays
 * they are given. */
#include "core/mem.h"

#include <stdlib.h>

/* A cached block is freed memory to AddressSanitizer and, in the build of
 * make valgrind (LUAGRAD_MEMCHECK), to memcheck: HIDE after it enters the
 * cache, SHOW before its link is read, FRESH when it is handed out (not yet
 * written). Elsewhere memcheck's requests would cost 3% of W7. The link
 * itself stays visible: the leak checkers follow it, so cached blocks are
 * reachable, not leaked, at exit. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HIDE(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SHOW(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#define FRESH(p, n) ((void)(p), (void)(n))
#elif defined(LUAGRAD_MEMCHECK)
#include <valgrind/memcheck.h>
#define HIDE(p, n) VALGRIND_MAKE_MEM_NOACCESS(p, n)
#define SHOW(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)
#define FRESH(p, n) VALGRIND_MAKE_MEM_UNDEFINED(p, n)
#endif
#ifndef HIDE
#define HIDE(p, n) ((void)(p), (void)(n))
#define SHOW(p, n) ((void)(p), (void)(n))
#define FRESH(p, n) ((void)(p), (void)(n))
#endif

static size_t in_use, limit;
static int refused;  /* the cap said no at least once */
static void (*reclaim)(void);  /* frees big buffers kept for reuse (core/bufcache.h) */

/* ---- the cache of small blocks ----------------------------------------------
 * A scalar loop (W7) allocates and frees a few dozen blocks of under 256
 * bytes per sample: Lua's userdata, small tensors, graph nodes. Freed blocks
 * wait in a list per size class (multiples of 16 bytes) for the next request
 * of that class, which costs a few instructions instead of malloc's and
 * free's hundred or so each. The collector frees in bursts (thousands of
 * blocks per cycle), so the lists may hold CACHE_BYTES in all (1 MB);
 * mem_drain empties them. A small block is allocated with its class's
 * size, so any block of a class fits any request of it. Cached blocks are
 * not in use (mem_in_use does not count them) and are freed memory to
 * AddressSanitizer and memcheck: a use after free is still reported. */
#define CLASS_BYTES 16
#define NCLASSES 16
#define CACHE_BYTES ((size_t)1 << 20)

typedef struct Cached {
    struct Cached *next;
} Cached;

static Cached *cache[NCLASSES];
static size_t cached;  /* bytes in all lists */

/* The class of a block of n bytes (1 <= n <= NCLASSES * CLASS_BYTES). */
static size_t class_of(size_t n) { return (n - 1) / CLASS_BYTES; }
static int is_small(size_t n) { return n >= 1 && n <= NCLASSES * CLASS_BYTES; }
static size_t rounded(size_t n) { return is_small(n) ? (class_of(n) + 1) * CLASS_BYTES : n; }

static void *cache_take(size_t n)
{
    size_t c = class_of(n);
    Cached *b = cache[c];
    if (!b) return malloc(rounded(n));
    SHOW(b + 1, rounded(n) - sizeof *b);
    cache[c] = b->next;
    cached -= rounded(n);
    FRESH(b, rounded(n));
    return b;
}

static void cache_put(void *p, size_t n)
{
    size_t c = class_of(n);
    if (cached + rounded(n) > CACHE_BYTES) {
        free(p);
        return;
    }
    Cached *b = p;
    b->next = cache[c];
    cache[c] = b;
    cached += rounded(n);
    HIDE(b + 1, rounded(n) - sizeof *b);
}

void mem_drain(void)
{
    for (size_t c = 0; c < NCLASSES; c++) {
        while (cache[c]) {
            Cached *b = cache[c];
            SHOW(b + 1, (c + 1) * CLASS_BYTES - sizeof *b);
            cache[c] = b->next;
            free(b);
        }
    }
    cached = 0;
}

/* A new block of n bytes, or p resized to n: a small one from its class's
 * list, else from the system with its class's size. */
static inline void *obtain(void *p, size_t n)
{
    return p || !is_small(n) ? realloc(p, rounded(n)) : cache_take(n);
}

/* The cap or the system said no to growing p from old_size to new_size:
 * give back the big buffers kept for reuse and try once more. Out of line,
 * so the common path stays as short as it was. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *retry(void *p, size_t old_size, size_t new_size)
{
    if (!reclaim) return NULL;
    reclaim();
    if (limit && in_use - old_size + new_size > limit) return NULL;
    return obtain(p, new_size);
}

/* mem_realloc's body, inline so that mem_alloc's copy is as direct as
 * can be: a tensor is up to three allocations. */
static inline void *resize(void *p, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        if (p && is_small(old_size)) cache_put(p, old_size);
        else free(p);
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
    } else if (!(q = obtain(p, new_size)) && !(q = retry(p, old_size, new_size))) {
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
