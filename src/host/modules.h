/* modules.h: the Lua modules of lua/luagrad/, compiled into the binary by
 * src/host/embed.c. The table ends with an entry whose name is NULL. */
#ifndef LUAGRAD_MODULES_H
#define LUAGRAD_MODULES_H

typedef struct EmbeddedModule {
    const char *name;      /* "luagrad.params" */
    const char *chunkname; /* "@lua/luagrad/params.lua", for tracebacks */
    const char *source;
    int size;
} EmbeddedModule;

extern const EmbeddedModule embedded_modules[];

#endif
