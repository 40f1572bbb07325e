/* hugepage.c: see hugepage.h. madvise is POSIX plus a Linux flag, so this
 * file asks for the system's declarations and does nothing where there is
 * no MADV_HUGEPAGE. */
#define _DEFAULT_SOURCE 1
#include "core/hugepage.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

void hugepage_advise(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!p || bytes < HUGEPAGE_MIN) return;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) return;
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~((uintptr_t)page - 1);
    /* advice only: a kernel that says no leaves the block as it was */
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}
