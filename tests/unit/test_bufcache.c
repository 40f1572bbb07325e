/* test_bufcache.c: the cache of freed tensor buffers (core/bufcache.h):
 * what it keeps, in which order it hands blocks back, its bounds, and the
 * memory cap. Each expectation follows from the header's rules. */
#include "core/bufcache.h"
#include "core/mem.h"
#include "core/tensor.h"
#include "unit.h"

void test_bufcache(void);

#define KB ((size_t)1 << 10)

void test_bufcache(void)
{
    bufcache_flush();
    size_t base = mem_in_use();

    /* Small blocks are freed, not kept. */
    void *s = bufcache_alloc(BUFCACHE_MIN - 8);
    bufcache_free(s, BUFCACHE_MIN - 8);
    CHECK(bufcache_count() == 0);
    CHECK(mem_in_use() == base);

    /* A large block is kept (still counted as in use) and handed back for
     * the same size, not for another. */
    void *a = bufcache_alloc(128 * KB);
    bufcache_free(a, 128 * KB);
    CHECK(bufcache_count() == 1 && bufcache_bytes() == 128 * KB);
    CHECK(mem_in_use() == base + 128 * KB);
    CHECK(bufcache_has(128 * KB) && !bufcache_has(256 * KB));
    void *b = bufcache_alloc(256 * KB);
    CHECK(b != a);
    CHECK(bufcache_count() == 1);
    void *a2 = bufcache_alloc(128 * KB);
    CHECK(a2 == a);
    CHECK(bufcache_count() == 0 && bufcache_bytes() == 0);

    /* Two of a size: the one freed last comes back first. */
    void *c = bufcache_alloc(128 * KB);
    bufcache_free(a2, 128 * KB);
    bufcache_free(c, 128 * KB);
    CHECK(bufcache_alloc(128 * KB) == c);
    CHECK(bufcache_alloc(128 * KB) == a2);
    bufcache_free(a2, 128 * KB);
    bufcache_free(c, 128 * KB);
    bufcache_free(b, 256 * KB);

    /* At most BUFCACHE_SLOTS blocks: the oldest are freed. */
    bufcache_flush();
    CHECK(mem_in_use() == base);
    void *p[BUFCACHE_SLOTS + 3];
    for (int i = 0; i < BUFCACHE_SLOTS + 3; i++) p[i] = bufcache_alloc((size_t)(64 + i) * KB);
    for (int i = 0; i < BUFCACHE_SLOTS + 3; i++) bufcache_free(p[i], (size_t)(64 + i) * KB);
    CHECK(bufcache_count() == BUFCACHE_SLOTS);
    CHECK(!bufcache_has(64 * KB) && bufcache_has((size_t)(64 + BUFCACHE_SLOTS + 2) * KB));
    size_t kept = 0;
    for (int i = 3; i < BUFCACHE_SLOTS + 3; i++) kept += (size_t)(64 + i) * KB;
    CHECK(bufcache_bytes() == kept);
    CHECK(mem_in_use() == base + kept);

    /* At most BUFCACHE_MAX_BYTES: a block larger is freed at once; one that
     * fits pushes out the oldest until the total fits. */
    bufcache_flush();
    void *big = bufcache_alloc(BUFCACHE_MAX_BYTES + 8);
    bufcache_free(big, BUFCACHE_MAX_BYTES + 8);
    CHECK(bufcache_count() == 0 && mem_in_use() == base);
    size_t half = BUFCACHE_MAX_BYTES / 2;
    void *h1 = bufcache_alloc(half), *h2 = bufcache_alloc(half), *h3 = bufcache_alloc(half + 8);
    bufcache_free(h1, half);
    bufcache_free(h2, half);
    CHECK(bufcache_count() == 2 && bufcache_bytes() == BUFCACHE_MAX_BYTES);
    bufcache_free(h3, half + 8);
    CHECK(bufcache_count() == 1 && bufcache_bytes() == half + 8);
    CHECK(bufcache_bytes() <= BUFCACHE_MAX_BYTES);

    /* Under a cap the kept blocks would pass, they are given back and the
     * allocation succeeds. */
    bufcache_flush();
    void *k1 = bufcache_alloc(1024 * KB), *k2 = bufcache_alloc(1024 * KB);
    bufcache_free(k1, 1024 * KB);
    bufcache_free(k2, 1024 * KB);
    mem_set_limit(base + 2048 * KB + 512 * KB);
    void *d = bufcache_alloc(1536 * KB);
    CHECK(d != NULL);
    CHECK(bufcache_count() == 0);
    CHECK(mem_in_use() == base + 1536 * KB);
    bufcache_free(d, 1536 * KB);
    mem_set_limit(0);

    /* Through tensors: a buffer freed with its last tensor goes to the next
     * tensor of its size, and tensor_new(zero) zeroes it. */
    bufcache_flush();
    Err e;
    size_t n = 2 * BUFCACHE_MIN / sizeof(double);
    Tensor *t = tensor_new(1, n, 1, 0, &e);
    for (size_t i = 0; i < n; i++) t->data[i] = 7;
    double *buf = t->data;
    tensor_release(t);
    CHECK(bufcache_has(n * sizeof(double)));
    Tensor *z = tensor_new(1, n, 1, 1, &e);
    CHECK(z->data == buf);
    int zeros = 1;
    for (size_t i = 0; i < n; i++) zeros &= z->data[i] == 0;
    CHECK(zeros);
    /* A view keeps the storage: its buffer is not handed out. */
    Tensor *v = tensor_view(z, 1, 4, 1, 0, 1, 1, &e);
    tensor_release(z);
    CHECK(!bufcache_has(n * sizeof(double)));
    Tensor *w = tensor_new(1, n, 1, 0, &e);
    CHECK(w->data != v->data);
    tensor_release(v);
    tensor_release(w);
    bufcache_flush();
    CHECK(mem_in_use() == base);
}
