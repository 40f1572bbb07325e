/* sandbox.c: --sandbox (see sandbox.h). Two things decide everything: the
 * table `rules` below (each function a sandboxed script cannot use as it
 * is: replaced by a checked version, or refused with the reason), and
 * allowed(), the one check of a path against the folders of the run. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "host/sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/lazy.h"
#include "lib/util.h"

#define ROOTS_KEY "luagrad.sandbox.roots"    /* {out, script's folder, data...} */
#define ENV_KEY "luagrad.sandbox.env"        /* the script's globals */
#define LOADED_KEY "luagrad.sandbox.loaded"  /* the script's package.loaded */
#define COPIES_KEY "luagrad.sandbox.copies"  /* name -> the script's copy of a
                                                module loaded on first use */

/* ---- paths ------------------------------------------------------------ */

/* path as an absolute path without symbolic links, "." or "..", also when
 * its last parts do not exist yet (a file or folder to be made): the part
 * that exists goes through realpath, the rest is appended. Returns 0, or -1
 * when that cannot be done safely: a part that does not exist is "." or
 * "..", or exists but does not resolve (a link that points nowhere, which
 * opening for writing would follow). */
static int resolve(const char *path, char *out)
{
    if (realpath(path, out)) return 0;
    if (errno != ENOENT) return -1;
    struct stat st;
    if (lstat(path, &st) == 0) return -1;  /* there, but not resolvable */
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, path, n + 1);
    while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0';
    char *slash = strrchr(buf, '/');
    const char *last = slash ? slash + 1 : buf;
    if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0) return -1;
    const char *parent = ".";
    if (slash == buf) parent = "/";
    else if (slash) {
        *slash = '\0';
        parent = buf;
    }
    char dir[PATH_MAX];
    if (resolve(parent, dir) != 0) return -1;
    size_t d = strlen(dir), l = strlen(last);
    if (d + 1 + l >= PATH_MAX) return -1;
    memcpy(out, dir, d);
    if (d > 1) out[d++] = '/';
    memcpy(out + d, last, l + 1);
    return 0;
}

/* Is the resolved path real inside the folder root (or root itself)? */
static int under(const char *real, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/') return 1;
    return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* The one decision about files: a sandboxed script may read (write = 0)
 * under its own folder, its output folder and the --data folders, and
 * write (write = 1) only under its output folder, wherever `..` and
 * symbolic links lead. */
static int allowed(lua_State *L, const char *path, int write)
{
    char real[PATH_MAX];
    if (resolve(path, real) != 0) return 0;
    lua_getfield(L, LUA_REGISTRYINDEX, ROOTS_KEY);
    int n = write ? 1 : (int)lua_rawlen(L, -1);  /* entry 1: the output folder */
    int ok = 0;
    for (int i = 1; i <= n && !ok; i++) {
        lua_rawgeti(L, -1, i);
        ok = under(real, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return ok;
}

#define READ_WHY "is outside the folders a sandboxed script may read (its own folder, " \
                 "its output folder and --data folders)"
#define WRITE_WHY "is outside the folder a sandboxed script may write (its output folder)"

/* Raises "fname: 'path' is outside ..." unless allowed; the check luagrad's
 * C modules call too (lib_path_guard). */
static void guard(lua_State *L, const char *fname, const char *path, int write)
{
    if (!allowed(L, path, write))
        luaL_error(L, "%s: '%s' %s", fname, path, write ? WRITE_WHY : READ_WHY);
}

/* ---- the checked functions -------------------------------------------- */

/* Calls upvalue 1, the function replaced, with the arguments as given. */
static int call_original(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static int sb_io_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *mode = luaL_optstring(L, 2, "r");
    guard(L, "io.open", path, strpbrk(mode, "wa+") != NULL);
    return call_original(L);
}

static int sb_io_lines(lua_State *L)
{
    if (!lua_isnoneornil(L, 1)) guard(L, "io.lines", luaL_checkstring(L, 1), 0);
    return call_original(L);
}

static int sb_io_input(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) guard(L, "io.input", lua_tostring(L, 1), 0);
    return call_original(L);
}

static int sb_io_output(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) guard(L, "io.output", lua_tostring(L, 1), 1);
    return call_original(L);
}

static int sb_os_remove(lua_State *L)
{
    guard(L, "os.remove", luaL_checkstring(L, 1), 1);
    return call_original(L);
}

static int sb_os_rename(lua_State *L)
{
    guard(L, "os.rename", luaL_checkstring(L, 1), 1);
    guard(L, "os.rename", luaL_checkstring(L, 2), 1);
    return call_original(L);
}

/* The environment variables a sandboxed script may read: how to show text
 * and numbers, nothing about the user or the machine. */
static const char *const env_allowed[] = {"COLUMNS", "LANG", "LC_ALL", "LC_NUMERIC",
                                          "LUAGRAD_THREADS", "TERM", "TZ", NULL};
#define ENV_LIST "COLUMNS, LANG, LC_ALL, LC_NUMERIC, LUAGRAD_THREADS, TERM, TZ"

static int sb_os_getenv(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    for (const char *const *p = env_allowed; *p; p++)
        if (strcmp(name, *p) == 0) return call_original(L);
    return luaL_error(L, "os.getenv: '%s' is not readable in a sandboxed run (only %s)", name,
                      ENV_LIST);
}

#define BINARY_WHY "binary chunks are refused in a sandboxed run (only Lua source text)"

/* The mode argument at idx of load or loadfile: absent or "t". */
static void check_mode(lua_State *L, int idx, const char *fname)
{
    const char *mode = luaL_optstring(L, idx, "t");
    if (strcmp(mode, "t") != 0)
        luaL_error(L, "%s: mode '%s' asked for; %s", fname, mode, BINARY_WHY);
}

/* Sets the first upvalue (_ENV) of the function on top to the value at
 * env, or to the script's globals when env is 0. */
static void set_env(lua_State *L, int env)
{
    if (env) lua_pushvalue(L, env);
    else lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
}

/* load(chunk [, name [, mode [, env]]]): text only, in the script's globals
 * unless env is given. */
static int sb_load(lua_State *L)
{
    int n = lua_gettop(L);
    check_mode(L, 3, "load");
    if (lua_type(L, 1) == LUA_TSTRING && lua_tostring(L, 1)[0] == LUA_SIGNATURE[0]) {
        luaL_pushfail(L);
        lua_pushliteral(L, "load: " BINARY_WHY);
        return 2;
    }
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    if (n < 4) {
        lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
        lua_replace(L, 4);
    }
    return call_original(L);
}

/* Loads the file path (stdin when NULL) as text; returns the status and
 * leaves the function or a message. */
static int load_text_file(lua_State *L, const char *fname, const char *path)
{
    if (path) guard(L, fname, path, 0);
    int st = luaL_loadfilex(L, path, "t");
    if (st != LUA_OK && strstr(lua_tostring(L, -1), "binary chunk")) {
        lua_pop(L, 1);
        lua_pushfstring(L, "%s: '%s' is a binary chunk; %s", fname, path ? path : "stdin",
                        BINARY_WHY);
    }
    return st;
}

static int sb_loadfile(lua_State *L)
{
    const char *path = luaL_optstring(L, 1, NULL);
    check_mode(L, 2, "loadfile");
    int env = lua_isnone(L, 3) ? 0 : 3;
    if (load_text_file(L, "loadfile", path) != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    set_env(L, env);
    return 1;
}

static int sb_dofile(lua_State *L)
{
    const char *path = luaL_optstring(L, 1, NULL);
    lua_settop(L, 1);
    if (load_text_file(L, "dofile", path) != LUA_OK) return lua_error(L);
    set_env(L, 0);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

static void push_script_copy(lua_State *L, const char *name);

/* luagrad.outdir(dir) in a sandboxed run: the output folder, which the
 * script cannot move (it is the one folder it may write). Upvalue 1: the
 * real outdir. */
static int sb_outdir(lua_State *L)
{
    if (!lua_isnoneornil(L, 1))
        return luaL_error(L, "luagrad.outdir: a sandboxed run cannot set its output folder "
                          "(it is the one folder the script may write); call it without dir");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 0, 1);
    return 1;
}

/* luagrad.globals() in a sandboxed run: the table's modules become the
 * script's globals. Upvalue 1: the table. */
static int sb_lg_globals(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    int env = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, lua_upvalueindex(1))) {
        const char *k = lua_tostring(L, -2);
        if (strcmp(k, "version") && strcmp(k, "outdir") && strcmp(k, "globals")) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_settable(L, env);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    return 1;
}

/* require "luagrad": the table lua/luagrad/module.lua makes, with the
 * script's copies of the modules in it (the real table would hand the
 * script luagrad's own tables, and outdir would move the folder it may
 * write). */
static void push_script_luagrad(lua_State *L)
{
    lua_getglobal(L, "require");  /* the real one */
    lua_pushliteral(L, "luagrad");
    lua_call(L, 1, 1);
    int real = lua_gettop(L);
    lua_newtable(L);
    lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    int lg = real + 1, env = real + 2;
    lua_pushnil(L);
    while (lua_next(L, real)) {
        const char *k = lua_tostring(L, -2);
        if (strcmp(k, "outdir") == 0) {
            lua_pushcclosure(L, sb_outdir, 1);
        } else if (strcmp(k, "globals") == 0) {
            lua_pop(L, 1);
            continue;
        } else if (strcmp(k, "version") != 0) {
            lua_pop(L, 1);
            lua_getfield(L, env, k);  /* the script's copy */
        }
        lua_setfield(L, lg, k);
    }
    lua_pushvalue(L, lg);
    lua_pushcclosure(L, sb_lg_globals, 1);
    lua_setfield(L, lg, "globals");
    lua_settop(L, lg);
    lua_remove(L, real);
}

/* require(name): luagrad's modules and the standard libraries (the
 * script's copies), or a Lua file found through package.path in the
 * folders the script may read, loaded as text in the script's globals. */
static int sb_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, LOADED_KEY);  /* 2 */
    if (lua_getfield(L, 2, name) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    if (strcmp(name, "luagrad") == 0) {
        push_script_luagrad(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, 2, name);
        return 1;
    }
    /* a global loaded on first use, as the script would have found it
     * in package.loaded had it been loaded at start */
    if (lazy_has(name, 1) && lazy_has(name, 0)) {
        push_script_copy(L, name);
        lua_pushvalue(L, -1);
        lua_setfield(L, 2, name);
        return 1;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    const char *path = NULL;
    if (lua_getfield(L, -1, "package") == LUA_TTABLE && lua_getfield(L, -1, "path") == LUA_TSTRING)
        path = lua_tostring(L, -1);
    if (!path) return luaL_error(L, "require: package.path must be a string");
    const char *file = luaL_gsub(L, name, ".", "/");  /* keeps path alive below it */
    luaL_Buffer tried;
    luaL_buffinit(L, &tried);
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        lua_pushlstring(L, p, len);
        const char *candidate = luaL_gsub(L, lua_tostring(L, -1), "?", file);
        lua_remove(L, -2);
        p += len + (end ? 1 : 0);
        if (!*candidate) {
            lua_pop(L, 1);
            continue;
        }
        struct stat st;
        if (!allowed(L, candidate, 0)) {
            lua_pushfstring(L, "\n\tno file '%s' (%s)", candidate, READ_WHY);
        } else if (stat(candidate, &st) != 0 || !S_ISREG(st.st_mode)) {
            lua_pushfstring(L, "\n\tno file '%s'", candidate);
        } else {
            if (load_text_file(L, "require", candidate) != LUA_OK)
                return luaL_error(L, "require: error loading module '%s' from file '%s':\n\t%s",
                                  name, candidate, lua_tostring(L, -1));
            set_env(L, 0);
            lua_pushvalue(L, 1);
            lua_pushstring(L, candidate);
            lua_call(L, 2, 1);
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
                lua_pushboolean(L, 1);
            }
            if (lua_getfield(L, 2, name) == LUA_TNIL) {
                lua_pop(L, 1);
                lua_pushvalue(L, -1);
                lua_setfield(L, 2, name);
            } else {
                lua_remove(L, -2);  /* what the module put there itself */
            }
            lua_pushstring(L, candidate);
            return 2;
        }
        lua_remove(L, -2);  /* the candidate: keep only the line */
        luaL_addvalue(&tried);
    }
    luaL_pushresult(&tried);
    return luaL_error(L, "require: module '%s' not found (a sandboxed script can require "
                      "luagrad's modules and Lua files in the folders it may read):%s",
                      name, lua_tostring(L, -1));
}

/* Upvalues: the function's name and why it is refused. */
static int sb_refused(lua_State *L)
{
    return luaL_error(L, "%s: not allowed in a sandboxed run (%s)",
                      lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, lua_upvalueindex(2)));
}

/* debug.anything: the library is not there. */
static int sb_no_debug(lua_State *L)
{
    return luaL_error(L, "debug.%s: the debug library is not available in a sandboxed run "
                      "(it can change any value's metatable and read any local variable)",
                      luaL_optstring(L, 2, "?"));
}

/* ---- the table of what changes ---------------------------------------- */

typedef struct Rule {
    const char *lib;        /* a module in package.loaded; NULL: a global function */
    const char *name;
    lua_CFunction checked;  /* the checked version, or NULL: refused because of why */
    const char *why;
    int real_too;           /* also in the real table, which luagrad's own Lua code
                               (plot, run.json) uses: its files obey the same rule */
} Rule;

#define STARTS "a sandboxed script starts no programs"
#define SYS_WHY "luagrad uses it for itself, not for scripts"

static const Rule rules[] = {
    {NULL, "dofile", sb_dofile, NULL, 0},
    {NULL, "load", sb_load, NULL, 0},
    {NULL, "loadfile", sb_loadfile, NULL, 0},
    {NULL, "require", sb_require, NULL, 0},
    {"io", "input", sb_io_input, NULL, 1},
    {"io", "lines", sb_io_lines, NULL, 1},
    {"io", "open", sb_io_open, NULL, 1},
    {"io", "output", sb_io_output, NULL, 1},
    {"io", "popen", NULL, STARTS, 1},
    {"io", "tmpfile", NULL, "it would write outside the output folder", 1},
    {"os", "execute", NULL, STARTS, 1},
    {"os", "getenv", sb_os_getenv, NULL, 0},
    {"os", "remove", sb_os_remove, NULL, 1},
    {"os", "rename", sb_os_rename, NULL, 1},
    {"os", "tmpname", NULL, "it would make a file outside the output folder", 1},
    {"package", "loadlib", NULL, "a sandboxed script loads no C code", 1},
    {"package", "searchpath", NULL, "it looks for files in any folder", 0},
    {"luagrad.sys", "cwd", NULL, SYS_WHY, 0},
    {"luagrad.sys", "find", NULL, SYS_WHY, 0},
    {"luagrad.sys", "hostname", NULL, SYS_WHY, 0},
    {"luagrad.sys", "info", NULL, SYS_WHY, 0},
    {"luagrad.sys", "pool", NULL, STARTS, 0},
    {"luagrad.sys", "record", NULL, SYS_WHY, 0},
    {"luagrad.sys", "run", NULL, STARTS, 0},
    {"luagrad.sys", "sha256", NULL, SYS_WHY, 0},
    {"luagrad.sys", "which", NULL, SYS_WHY, 0},
    {"luagrad.sys", "write_atomic", NULL, SYS_WHY, 0},
    {NULL, NULL, NULL, NULL, 0}
};

/* Applies rule r to the table on top (the real module, or the script's
 * copy, or the script's globals). */
static void apply(lua_State *L, const Rule *r)
{
    if (r->checked) {
        lua_getfield(L, -1, r->name);  /* the original, upvalue 1 */
        lua_pushcclosure(L, r->checked, 1);
    } else {
        if (r->lib) lua_pushfstring(L, "%s.%s", r->lib, r->name);
        else lua_pushstring(L, r->name);
        lua_pushstring(L, r->why);
        lua_pushcclosure(L, sb_refused, 2);
    }
    lua_setfield(L, -2, r->name);
}

/* Pushes a shallow copy of the table at idx, with a copy of its metatable
 * (tensor{...} calls the tensor table): the script cannot reach the
 * original through either. */
static void push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    if (lua_getmetatable(L, idx)) {
        int mt = lua_gettop(L);
        lua_newtable(L);
        lua_pushnil(L);
        while (lua_next(L, mt)) {
            if (lua_rawequal(L, -1, idx)) {  /* __index = the table itself */
                lua_pop(L, 1);
                lua_pushvalue(L, mt - 1);
            }
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_setmetatable(L, mt - 1);
        lua_pop(L, 1);
    }
}

/* Pushes the script's copy of the module or global name, loaded on first
 * use (src/host/lazy.h): made once, with the rules of its table applied,
 * so the global and require give the same copy. */
static void push_script_copy(lua_State *L, const char *name)
{
    lua_getfield(L, LUA_REGISTRYINDEX, COPIES_KEY);
    if (lua_getfield(L, -1, name) != LUA_TNIL) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    if (!lazy_push(L, name)) luaL_error(L, "sandbox: no loader for '%s'", name);
    if (lua_istable(L, -1)) {
        push_copy(L, -1);
        lua_remove(L, -2);
        for (const Rule *r = rules; r->name; r++)
            if (r->lib && strcmp(r->lib, name) == 0) apply(L, r);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    lua_remove(L, -2);
}

/* The script's globals' __index(env, k): a global loaded on first use, as
 * the script's copy. Upvalue 1: the names the script has not got yet. */
static int sb_global_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNIL) return 0;
    push_script_copy(L, lua_tostring(L, 2));
    lua_pushvalue(L, 2);
    lua_pushnil(L);
    lua_rawset(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

/* __newindex(env, k, v): a name assigned before its first use is the
 * script's. */
static int sb_global_newindex(lua_State *L)
{
    lua_pushvalue(L, 2);
    lua_pushnil(L);
    lua_rawset(L, lua_upvalueindex(1));
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

/* The script's globals: the real ones, with every table (io, string,
 * tensor, plot, ...) a copy and no debug library. Also the script's
 * package.loaded: the same copies under their module names. */
static void make_env(lua_State *L, const char *script_dir)
{
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    lua_newtable(L);  /* env */
    int env = g + 1;
    lua_newtable(L);  /* debug: a table whose every field raises */
    lua_newtable(L);
    lua_pushcfunction(L, sb_no_debug);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    int debug = g + 2;
    lua_pushnil(L);
    while (lua_next(L, g)) {
        if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "debug") == 0) {
            lua_pop(L, 1);
            lua_pushvalue(L, debug);
        } else if (lua_rawequal(L, -1, g)) {
            lua_pop(L, 1);
            lua_pushvalue(L, env);
        } else if (lua_istable(L, -1)) {
            push_copy(L, -1);
            lua_remove(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, env);
    }
    /* package.loaded for the script: what is a global under the same name */
    lua_newtable(L);
    int loaded = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) continue;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, g) != LUA_TNIL) {
            lua_pushvalue(L, -2);
            lua_rawget(L, env);
            lua_pushvalue(L, -3);
            lua_insert(L, -2);
            lua_rawset(L, loaded);
        }
        lua_pop(L, 1);
    }
    lua_getfield(L, -1, "luagrad.sys");
    push_copy(L, -1);
    lua_setfield(L, loaded, "luagrad.sys");
    lua_pop(L, 2);  /* sys, the real package.loaded */
    /* the script's package: its own loaded, searched paths in its folders */
    lua_getfield(L, env, "package");
    lua_pushvalue(L, loaded);
    lua_setfield(L, -2, "loaded");
    lua_newtable(L);
    lua_setfield(L, -2, "preload");
    lua_pushnil(L);
    lua_setfield(L, -2, "searchers");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    if (script_dir)
        lua_pushfstring(L, "./?.lua;./?/init.lua;%s/?.lua;%s/?/init.lua", script_dir, script_dir);
    else
        lua_pushliteral(L, "./?.lua;./?/init.lua");
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
    /* the rules, in the script's copies */
    for (const Rule *r = rules; r->name; r++) {
        if (r->lib) lua_getfield(L, loaded, r->lib);
        else lua_pushvalue(L, env);
        apply(L, r);
        lua_pop(L, 1);
    }
    /* the globals loaded on first use, as copies */
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, COPIES_KEY);
    lua_createtable(L, 0, 2);
    lazy_push_pending(L);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, sb_global_index, 1);
    lua_setfield(L, -3, "__index");
    lua_pushcclosure(L, sb_global_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lazy_add_pairs(L, -1);
    lua_setmetatable(L, env);
    lua_pushvalue(L, loaded);
    lua_setfield(L, LUA_REGISTRYINDEX, LOADED_KEY);
    lua_pushvalue(L, env);
    lua_setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    lua_settop(L, g - 1);
}

/* The metatables a script could reach with getmetatable and change for
 * everyone: the strings' (whose __index is the real string table) and
 * luagrad's userdata types'. getmetatable now returns false for them. */
static void lock_metatables(lua_State *L)
{
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {  /* key, value */
        if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
            lua_getfield(L, -1, "__name");
            int named = lua_rawequal(L, -1, -3);  /* luaL_newmetatable's mark */
            lua_pop(L, 1);
            if (named) {
                lua_pushboolean(L, 0);
                lua_setfield(L, -2, "__metatable");
            }
        }
        lua_pop(L, 1);
    }
}

/* Adds the resolved folder dir to the roots table on top. */
static void add_root(lua_State *L, const char *dir, const char *what)
{
    char real[PATH_MAX];
    if (resolve(dir, real) != 0)
        luaL_error(L, "--sandbox: cannot resolve %s '%s': %s", what, dir, strerror(errno));
    lua_pushstring(L, real);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
}

void sandbox_install(lua_State *L, const RunConfig *rc)
{
    lua_newtable(L);  /* the roots: the output folder first */
    add_root(L, rc->out_dir, "the output folder");
    const char *script_dir = NULL;
    char real[PATH_MAX];
    if (rc->script && strcmp(rc->script, "-") != 0 && realpath(rc->script, real)) {
        char *slash = strrchr(real, '/');
        if (slash == real) slash[1] = '\0';
        else if (slash) *slash = '\0';
        add_root(L, real, "the script's folder");
        lua_rawgeti(L, -1, (lua_Integer)lua_rawlen(L, -1));
        script_dir = lua_tostring(L, -1);  /* kept alive in the roots table */
        lua_pop(L, 1);
    }
    for (int i = 0; i < rc->ndata; i++) add_root(L, rc->data[i], "the --data folder");
    lua_setfield(L, LUA_REGISTRYINDEX, ROOTS_KEY);
    lib_path_guard = guard;

    /* the real tables: luagrad's own Lua code obeys the file rules too, and
     * nothing loads C code */
    for (const Rule *r = rules; r->name; r++) {
        if (!r->real_too) continue;
        lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
        lua_getfield(L, -1, r->lib);
        apply(L, r);
        lua_pop(L, 2);
    }
    lua_getglobal(L, "package");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "cpath");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "path");
    lua_getfield(L, -1, "searchers");  /* keep preload and luagrad's own (lazy.c) */
    for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i > 2; i--) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
    lua_pop(L, 2);

    make_env(L, script_dir);  /* script_dir lives on in the roots table */
    lock_metatables(L);
    lazy_loaded_hook = lock_metatables;  /* and those of modules loaded later */
}

void sandbox_set_env(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
    if (!lua_setupvalue(L, idx, 1)) lua_pop(L, 1);
}
