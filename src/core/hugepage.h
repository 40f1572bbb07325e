/* hugepage.h: large tensor buffers in huge pages where the system offers
 * them on request (Linux's transparent huge pages in "madvise" mode).
 *
 * A fresh 8 MB buffer touched for the first time costs 2048 page faults of
 * 4 KiB, each a trip into the kernel that zeroes a page; in 2 MiB pages it
 * costs 4. A loop of tensor expressions at 10^6 samples takes its
 * temporaries fresh in its first pass (then from core/bufcache.h), and
 * those faults were a visible part of its time. NumPy asks the same for its
 * arrays of 4 MiB or more. */
#ifndef LUAGRAD_HUGEPAGE_H
#define LUAGRAD_HUGEPAGE_H

#include <stddef.h>

#define HUGEPAGE_MIN ((size_t)4 << 20)

/* Advises the whole pages inside p[0..bytes) to be backed by huge pages when
 * bytes >= HUGEPAGE_MIN; nothing otherwise, or where the system cannot. */
void hugepage_advise(void *p, size_t bytes);

#endif
