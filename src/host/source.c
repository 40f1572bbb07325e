/* source.c: see source.h. */
#include "host/source.h"

#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int source_read(const char *path, Source *s, char *why, size_t why_size)
{
    memset(s, 0, sizeof *s);
    int from_stdin = strcmp(path, "-") == 0;
    s->name = from_stdin ? "stdin" : path;
    snprintf(s->chunkname, sizeof s->chunkname, "@%s", s->name);
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open '%s': %s", path, strerror(errno));
        return 0;
    }
    struct stat st;
    if (!from_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "cannot run '%s': it is a folder, not a script", path);
        fclose(f);
        return 0;
    }
    size_t cap = 4096;
    s->text = malloc(cap);
    while (s->text) {
        s->size += fread(s->text + s->size, 1, cap - s->size, f);
        if (s->size < cap) break;
        char *bigger = realloc(s->text, cap * 2);
        if (!bigger) {
            free(s->text);
            s->text = NULL;
            break;
        }
        s->text = bigger;
        cap *= 2;
    }
    int failed = !s->text || ferror(f);
    int saved = errno;
    if (!from_stdin) fclose(f);
    if (failed) {
        snprintf(why, why_size, "cannot read '%s': %s", path,
                 s->text ? strerror(saved) : "out of memory");
        source_free(s);
        return 0;
    }
    return 1;
}

int source_load(lua_State *L, const Source *s)
{
    size_t skip = 0;
    if (s->size > 0 && s->text[0] == '#')  /* keep the newline: line numbers stay */
        while (skip < s->size && s->text[skip] != '\n') skip++;
    return luaL_loadbufferx(L, s->text + skip, s->size - skip, s->chunkname, "t");
}

void source_free(Source *s)
{
    free(s->text);
    s->text = NULL;
    s->size = 0;
}
