/* mem.h: the one allocator behind every allocation of the core and of the Lua
 * state (the host gives Lua a lua_Alloc that calls mem_realloc). Because all
 * memory goes through here, a per-run memory cap is one check in one place. */
#ifndef LUAGRAD_MEM_H
#define LUAGRAD_MEM_H

#include <stddef.h>

/* Like lua_Alloc: new_size 0 frees p and returns NULL; otherwise returns a
 * block of new_size bytes holding the first min(old,new) bytes of p, or NULL
 * (p untouched) when the system is out of memory or the cap would be passed.
 * old_size must be the size p was allocated with (0 when p is NULL). */
void *mem_realloc(void *p, size_t old_size, size_t new_size);

void *mem_alloc(size_t size);            /* mem_realloc(NULL, 0, size) */
void mem_free(void *p, size_t size);     /* mem_realloc(p, size, 0) */

size_t mem_in_use(void);                 /* bytes allocated now */
void mem_set_limit(size_t bytes);        /* 0: no cap (the default) */
int mem_limit_reached(void);             /* has the cap refused a request? */
/* fn frees memory held for reuse; mem_realloc calls it before it refuses a
 * request (the cap, or the system out of memory) and then tries again. */
void mem_set_reclaim(void (*fn)(void));

/* Frees the blocks kept for reuse (mem.c: the cache of small blocks). The
 * host calls it before exiting; a later allocation starts the cache again. */
void mem_drain(void);

#endif
