/* runinfo.c: what the provenance of a run (run.json) and `luagrad collect`
 * need from the system, as functions of luagrad.sys:
 *
 *   sys.sha256(text)      -> 64 lowercase hex digits (core/sha256.c)
 *   sys.find(dir, name)   -> sorted list of the paths of the files called
 *                            name under dir (dir itself included), or nil
 *                            and why when dir cannot be read; symbolic
 *                            links to folders are not followed
 *   sys.cwd()             -> the current folder, absolute
 *   sys.hostname()        -> this machine's name */
#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sha256.h"
#include "lib/syspart.h"

#define FIND_DEPTH 64 /* deeper folders are not searched */

static int l_sys_sha256(lua_State *L)
{
    size_t n;
    const char *text = luaL_checklstring(L, 1, &n);
    char hex[SHA256_HEX_SIZE];
    sha256_hex(text, n, hex);
    lua_pushstring(L, hex);
    return 1;
}

/* Appends to the table on top of the stack the paths under dir. */
static void find_in(lua_State *L, const char *dir, const char *name, int depth)
{
    DIR *d = opendir(dir);
    if (!d) return;  /* an unreadable subfolder is skipped */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path) break;
        snprintf(path, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < FIND_DEPTH) {
                find_in(L, path, name, depth + 1);
            } else if (strcmp(e->d_name, name) == 0 && !S_ISDIR(st.st_mode)) {
                lua_pushstring(L, path);
                lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
            }
        }
        free(path);
    }
    closedir(d);
}

static int l_sys_find(lua_State *L)
{
    const char *dir = luaL_checkstring(L, 1);
    const char *name = luaL_checkstring(L, 2);
    luaL_argcheck(L, *dir, 1, "expected a folder, got an empty string");
    struct stat st;
    const char *why = NULL;
    if (stat(dir, &st) != 0) why = strerror(errno);
    else if (!S_ISDIR(st.st_mode)) why = strerror(ENOTDIR);
    if (why) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot read folder '%s': %s", dir, why);
        return 2;
    }
    lua_newtable(L);
    find_in(L, dir, name, 0);
    /* sorted, so that the order does not depend on the file system */
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_pushvalue(L, -3);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    return 1;
}

static int l_sys_cwd(lua_State *L)
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) return luaL_error(L, "sys.cwd: %s", strerror(errno));
    lua_pushstring(L, buf);
    return 1;
}

static int l_sys_hostname(lua_State *L)
{
    char buf[256];
    if (gethostname(buf, sizeof buf) != 0) return luaL_error(L, "sys.hostname: %s", strerror(errno));
    buf[sizeof buf - 1] = '\0';
    lua_pushstring(L, buf);
    return 1;
}

const luaL_Reg sys_runinfo_functions[] = {
    {"cwd", l_sys_cwd},
    {"find", l_sys_find},
    {"hostname", l_sys_hostname},
    {"sha256", l_sys_sha256},
    {NULL, NULL}
};
