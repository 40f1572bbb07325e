/* modules.h: the Lua modules of lua/luagrad/, compiled to Lua bytecode and
 * into the binary by src/host/embed.c. The table ends with an entry whose
 * name is NULL. */
#ifndef LUAGRAD_MODULES_H
#define LUAGRAD_MODULES_H

#include <stddef.h>

typedef struct EmbeddedModule {
    const char *name;  /* "luagrad.params" */
    const char *code;  /* bytecode; it names its source for tracebacks */
    size_t size;
} EmbeddedModule;

extern const EmbeddedModule embedded_modules[];

#endif
