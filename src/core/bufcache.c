/* bufcache.c: see bufcache.h. A small stack: slot[n - 1] is the block freed
 * last, the one most likely still in the processor's cache. */
#include "core/bufcache.h"

#include "core/hugepage.h"

#include <stdlib.h>
#include <string.h>

typedef struct Kept {
    void *p;
    size_t bytes;
} Kept;

static Kept slot[BUFCACHE_SLOTS];
static int n;
size_t bufcache_kept_bytes;
static int hooked;

static void remove_at(int i)
{
    bufcache_kept_bytes -= slot[i].bytes;
    memmove(&slot[i], &slot[i + 1], (size_t)(n - i - 1) * sizeof slot[0]);
    n--;
}

void *bufcache_take_or_alloc(size_t bytes)
{
    for (int i = n - 1; i >= 0; i--)
        if (slot[i].bytes == bytes) {
            void *p = slot[i].p;
            remove_at(i);
            return p;
        }
    void *p = mem_alloc(bytes);  /* which calls bufcache_flush before it says no */
    hugepage_advise(p, bytes);
    return p;
}

void bufcache_keep_or_free(void *p, size_t bytes)
{
    if (!p) return;
    if (bytes > BUFCACHE_MAX_BYTES) {
        mem_free(p, bytes);
        return;
    }
    if (!hooked) {  /* kept blocks go before the cap or the system says no, and at exit */
        hooked = 1;
        mem_set_reclaim(bufcache_flush);
        atexit(bufcache_flush);
    }
    /* Room by count and by bytes: the oldest blocks go first. */
    while (n > 0 && (n == BUFCACHE_SLOTS || bufcache_kept_bytes + bytes > BUFCACHE_MAX_BYTES)) {
        mem_free(slot[0].p, slot[0].bytes);
        remove_at(0);
    }
    slot[n].p = p;
    slot[n].bytes = bytes;
    n++;
    bufcache_kept_bytes += bytes;
}

int bufcache_has(size_t bytes)
{
    for (int i = 0; i < n; i++)
        if (slot[i].bytes == bytes) return 1;
    return 0;
}

void bufcache_flush(void)
{
    while (n > 0) {
        n--;
        mem_free(slot[n].p, slot[n].bytes);
    }
    bufcache_kept_bytes = 0;
}

int bufcache_count(void) { return n; }
