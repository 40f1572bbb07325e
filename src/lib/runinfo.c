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

/* An open folder owned by a userdata, so that a Lua error (out of memory)
 * while it is open still closes it, when the collector frees the box. */
#define DIR_MT "luagrad.Dir"

static int dir_gc(lua_State *L)
{
    DIR **box = luaL_checkudata(L, 1, DIR_MT);
    if (*box) closedir(*box);
    *box = NULL;
    return 0;
}

/* Appends to the table at index tidx the paths under dir. */
static void find_in(lua_State *L, int tidx, const char *dir, const char *name, int depth)
{
    DIR **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    if (luaL_newmetatable(L, DIR_MT)) {
        lua_pushcfunction(L, dir_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    *box = opendir(dir);
    if (!*box) {  /* an unreadable subfolder is skipped */
        lua_pop(L, 1);
        return;
    }
    struct dirent *e;
    while ((e = readdir(*box)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        const char *path = lua_pushfstring(L, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                                           e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth < FIND_DEPTH) {
                find_in(L, tidx, path, name, depth + 1);
            } else if (strcmp(e->d_name, name) == 0 && !S_ISDIR(st.st_mode)) {
                lua_pushvalue(L, -1);
                lua_rawseti(L, tidx, (lua_Integer)lua_rawlen(L, tidx) + 1);
            }
        }
        lua_pop(L, 1);  /* path */
    }
    closedir(*box);
    *box = NULL;
    lua_pop(L, 1);  /* the box */
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
    luaL_checkstack(L, 2 * FIND_DEPTH + LUA_MINSTACK, "sys.find: folders too deep");
    find_in(L, lua_gettop(L), dir, name, 0);
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
