/* source.h: a script's text, read whole (from a file or stdin), so that it
 * can be checked, hashed for provenance, and loaded. */
#ifndef LUAGRAD_SOURCE_H
#define LUAGRAD_SOURCE_H

#include <lua.h>
#include <stddef.h>

typedef struct Source {
    char *text;
    size_t size;
    const char *name;     /* as given, or "stdin" */
    char chunkname[1024]; /* "@path": Lua's messages then say path:line: */
} Source;

/* Reads path ("-" for stdin). On failure writes the reason into why
 * ("cannot open 'x.lua': No such file or directory") and returns 0. */
int source_read(const char *path, Source *s, char *why, size_t why_size);

/* Compiles the text as a Lua chunk, skipping a first line starting with '#'
 * (#!/usr/bin/env luagrad) the way the lua interpreter does. Pushes the
 * function, or the error message; returns the lua_load status. */
int source_load(lua_State *L, const Source *s);

void source_free(Source *s);

#endif
