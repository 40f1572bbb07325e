/* test_mem.c: mem.c's cache of small blocks keeps the accounting exact and
 * the cap in force, and tensor.c's small tensors (one allocation) outlive
 * their tensor through views of their storage. */
#include <string.h>

#include "core/mem.h"
#include "core/tensor.h"
#include "unit.h"

void test_mem(void);

static void cache_accounting(void)
{
    size_t before = mem_in_use();
    char *a = mem_alloc(40), *b = mem_alloc(40), *c = mem_alloc(200);
    CHECK(a && b && c);
    CHECK(mem_in_use() == before + 280);
    memset(a, 1, 40);
    memset(c, 3, 200);
    mem_free(a, 40);
    mem_free(c, 200);
    CHECK(mem_in_use() == before + 40);  /* cached blocks are not in use */
    /* a block of the same class comes back whole: all 48 bytes of it */
    char *d = mem_alloc(48);
    CHECK(d != NULL);
    memset(d, 2, 48);
    CHECK(mem_in_use() == before + 88);
    /* growing a block out of the cache keeps its contents */
    d = mem_realloc(d, 48, 1000);
    CHECK(d != NULL && d[0] == 2 && d[47] == 2);
    mem_free(d, 1000);
    mem_free(b, 40);
    CHECK(mem_in_use() == before);
    mem_drain();
    CHECK(mem_in_use() == before);
}

static void cache_and_cap(void)
{
    size_t before = mem_in_use();
    void *a = mem_alloc(64);
    mem_free(a, 64);  /* now cached */
    mem_set_limit(before + 32);
    CHECK(mem_alloc(64) == NULL);  /* the cap holds even with a block cached */
    void *b = mem_alloc(16);
    CHECK(b != NULL);
    mem_free(b, 16);
    mem_set_limit(0);
    mem_drain();
    CHECK(mem_in_use() == before);
}

/* A small tensor's view keeps its storage (and the one block) alive. */
static void small_view_outlives(size_t n)
{
    size_t before = mem_in_use();
    Err e;
    Tensor *t = tensor_new(1, n, 1, 0, &e);
    CHECK(t != NULL);
    for (size_t i = 0; i < n; i++) t->data[i] = (double)i + 1;
    Tensor *v = tensor_view(t, 1, n - 1, 1, 1, 1, 1, &e);
    CHECK(v != NULL);
    tensor_release(t);
    CHECK(v->data[0] == 2 && v->data[n - 2] == (double)n);
    v->data[0] = 42;
    Tensor *w = tensor_view(v, 1, 1, 1, 0, 1, 1, &e);
    tensor_release(v);
    CHECK(w->data[0] == 42);
    tensor_release(w);
    CHECK(mem_in_use() == before);
}

void test_mem(void)
{
    cache_accounting();
    cache_and_cap();
    small_view_outlives(2);
    small_view_outlives(TENSOR_SMALL_NUMEL);
    small_view_outlives(TENSOR_SMALL_NUMEL + 1);
}
