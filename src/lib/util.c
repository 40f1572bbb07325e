/* util.c: see util.h. */
#include "lib/util.h"

#include "core/numfmt.h"
#include "core/tensor.h"
#include "lib/keys.h"

#include <errno.h>
#include <lauxlib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int lib_make_parents(const char *path, char *bad, size_t n)
{
    char dir[4096];
    size_t len = strlen(path);
    if (len >= sizeof dir) {
        errno = ENAMETOOLONG;
        snprintf(bad, n, "%s", path);
        return -1;
    }
    memcpy(dir, path, len + 1);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return 0;
    *slash = '\0';
    for (char *p = dir + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                snprintf(bad, n, "%s", dir);
                return -1;
            }
            *p = saved;
            if (saved == '\0') break;
        }
    }
    /* The last one may exist as a file, not a folder. */
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        snprintf(bad, n, "%s", dir);
        return -1;
    }
    return 0;
}

const char *lib_resolve_outpath(lua_State *L, const char *path)
{
    if (path[0] == '/') return lua_pushstring(L, path);
    lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    lua_getfield(L, -1, "out");
    const char *out = lua_tostring(L, -1);
    if (!out || !*out) out = ".";
    /* A path that already starts with the output folder (w.path, or
     * luagrad.out .. "/x.csv") is taken as it is, so either form names the
     * same file. */
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/') n--;
    if (strcmp(out, ".") != 0 && strncmp(path, out, n) == 0 && path[n] == '/') {
        lua_pop(L, 2);
        return lua_pushstring(L, path);
    }
    const char *full = lua_pushfstring(L, "%s/%s", out, path);
    lua_replace(L, -3);
    lua_pop(L, 1);
    return full;
}

void (*lib_path_guard)(lua_State *L, const char *fname, const char *path, int write);

void lib_check_path(lua_State *L, const char *fname, const char *path, int write)
{
    if (lib_path_guard) lib_path_guard(L, fname, path, write);
}

const char *lib_outpath(lua_State *L, const char *fname, const char *path)
{
    const char *full = lib_resolve_outpath(L, path);
    lib_check_path(L, fname, full, 1);  /* before any folder is made */
    char bad[4096];
    if (lib_make_parents(full, bad, sizeof bad) != 0) {
        luaL_error(L, "%s: cannot create folder '%s': %s", fname, bad, strerror(errno));
        return NULL;
    }
    return full;
}

/* The registry table OUTPUTS_KEY (lib/keys.h): path -> true, and 1..n -> path in
 * the order they were first written. */
void lib_record_output(lua_State *L, const char *path)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OUTPUTS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, OUTPUTS_KEY);
    }
    if (lua_getfield(L, -1, path) == LUA_TNIL) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -3, path);
        lua_pushstring(L, path);
        lua_rawseti(L, -3, (lua_Integer)lua_rawlen(L, -3) + 1);
    }
    lua_pop(L, 2);
}

void lib_check_options(lua_State *L, int idx, const char *fname, const char *const *known)
{
    if (lua_isnoneornil(L, idx)) return;
    if (!lua_istable(L, idx))
        luaL_error(L, "%s: expected a table of options, got %s", fname, luaL_typename(L, idx));
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        int ok = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (const char *const *k = known; *k; k++) ok |= strcmp(lua_tostring(L, -1), *k) == 0;
        if (!ok) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (const char *const *k = known; *k; k++) {
                luaL_addstring(&b, *k);
                if (k[1]) luaL_addstring(&b, ", ");
            }
            luaL_pushresult(&b);
            const char *key = luaL_tolstring(L, -2, NULL);  /* pushed above the list */
            luaL_error(L, "%s: unknown option '%s' (known: %s)", fname, key, lua_tostring(L, -2));
        }
    }
}

const char *lib_num(lua_State *L, double v)
{
    char buf[NUMFMT_SIZE];
    numfmt_double(v, buf);
    return lua_pushstring(L, buf);
}

void lib_check_finite(lua_State *L, const char *fname, const char *what, const double *x,
                      size_t n, int scalar)
{
    size_t bad = array_find_nonfinite(x, n);
    if (bad == n) return;
    const char *kind = numfmt_nonfinite(x[bad]);
    if (scalar && n == 1) luaL_error(L, "%s: %s is %s", fname, what, kind);
    luaL_error(L, "%s: %s[%I] is %s", fname, what, (lua_Integer)bad + 1, kind);
}

double lib_check_overflow(lua_State *L, const char *fname, const char *what, double v)
{
    if (!isfinite(v))
        luaL_error(L, "%s: the %s overflowed to %s: training diverged (is the learning rate "
                   "too large?)", fname, what, numfmt_nonfinite(v));
    return v;
}

int lib_exit_request(lua_State *L, int idx, int *code)
{
    if (lua_type(L, idx) != LUA_TTABLE) return 0;
    lua_getfield(L, idx, "exit");
    int yes = lua_isinteger(L, -1);
    if (yes && code) *code = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return yes;
}

void lib_mt_tag(lua_State *L, const void *tag)
{
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, tag);
}

void *lib_fastudata(lua_State *L, int idx, const void *tag)
{
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
    int same = lua_rawgetp(L, -1, tag) == LUA_TBOOLEAN;
    lua_settop(L, -3);
    return same ? lua_touserdata(L, idx) : NULL;
}

int lib_error_at_script(lua_State *L, const char *fmt, ...)
{
    static const char own[] = "@lua/luagrad/";
    lua_Debug ar;
    int level = 1;
    for (int l = 1; lua_getstack(L, l, &ar); l++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && strncmp(ar.source, own, sizeof own - 1) != 0) {
            level = l;
            break;
        }
    }
    luaL_where(L, level);
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return lua_error(L);
}
