/* csvlib.c: the Lua module `csv`, CSV files in and out (src/core/csv.h).
 *
 *   local w = csv.writer(path, {"epoch", "w", "loss"})
 *   w:row(1, 0.5, 0.25)          one row: numbers, strings, booleans
 *   w:close()                    the file appears under its name; -> path
 *   w.path, w.rows               the final path, the rows written so far
 *   local cols, names = csv.read(path [, opts])
 *   local X, names = csv.matrix(path, {columns = {"x1", "x2"}})   n x d
 *   local rows = csv.rows(path [, opts])
 *   csv.close(path)              commits the open writer of path, if any
 *
 * Writers: a relative path lands in the run's output folder. Every open
 * writer is listed in the registry table OPEN_WRITERS (canonical path ->
 * writer), so that the end of the run (csvlib_finish) and plot (csv.close)
 * find it. A writer leaves that table when it closes, however it closes.
 *
 * Readers: paths are relative to the current folder, like io.open. */
#include "lib/csvlib.h"

#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/csv.h"
#include "lib/openers.h"
#include "lib/progress.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

#define WRITER_MT "CsvWriter"
#define TABLE_MT "luagrad.CsvTable"
#define OPEN_WRITERS "luagrad.csv.writers"

/* User values of a writer. */
#define UV_KEY 1     /* its key in OPEN_WRITERS */
#define UV_HEADER 2  /* its header, a list of strings */

/* ---- the set of open writers ---------------------------------------------- */

static void push_open_writers(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OPEN_WRITERS) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, OPEN_WRITERS);
    }
}

/* Pushes the key of a resolved path: its folder's device and inode number
 * and its base name, so "out/x/a.csv" and "./out/x/../x/a.csv" are the same
 * file. */
static const char *push_key(lua_State *L, const char *full)
{
    char dir[4096];
    const char *slash = strrchr(full, '/');
    const char *base = slash ? slash + 1 : full;
    size_t n = !slash ? 0 : slash == full ? 1 : (size_t)(slash - full);
    if (n >= sizeof dir) return lua_pushstring(L, full);
    if (n == 0) strcpy(dir, ".");
    else {
        memcpy(dir, full, n);
        dir[n] = '\0';
    }
    struct stat st;
    if (stat(dir, &st) != 0) return lua_pushstring(L, full);
    char id[64];
    snprintf(id, sizeof id, "%ju:%ju/", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
    return lua_pushfstring(L, "%s%s", id, base);
}

/* Takes the writer at idx out of OPEN_WRITERS. */
static void forget_writer(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    push_open_writers(L);
    lua_getiuservalue(L, idx, UV_KEY);
    lua_pushnil(L);
    lua_settable(L, -3);
    lua_pop(L, 1);
}

/* ---- writer --------------------------------------------------------------- */

/* The path argument at idx: a string without NUL bytes (the system would
 * take only the part before one, a different file). */
static const char *check_path(lua_State *L, int idx, const char *fname)
{
    size_t len;
    const char *path = luaL_checklstring(L, idx, &len);
    if (strlen(path) != len)
        luaL_error(L, "%s: the path holds a NUL byte (byte %I of %I)", fname,
                   (lua_Integer)strlen(path) + 1, (lua_Integer)len);
    return path;
}

static CsvWriter *check_writer(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, WRITER_MT);
}

/* Commits the writer at idx. Returns 1, or 0 with e set (the writer is then
 * closed and its rows kept as NAME.incomplete). */
static int commit_writer(lua_State *L, int idx, Err *e)
{
    CsvWriter *w = check_writer(L, idx);
    if (!csv_writer_is_open(w)) return 1;
    forget_writer(L, idx);
    if (csv_writer_commit(w, e) != ST_OK) return 0;
    lib_record_output(L, w->given ? w->given : w->path);
    return 1;
}

/* Closes the writer at idx keeping what it wrote as NAME.incomplete.
 * Never raises for the file: a failure is reported on stderr. */
static void abandon_writer(lua_State *L, int idx)
{
    CsvWriter *w = check_writer(L, idx);
    if (!csv_writer_is_open(w)) return;
    forget_writer(L, idx);
    Err e;
    if (csv_writer_abandon(w, &e) != ST_OK) fprintf(stderr, "luagrad: csv: %s\n", e.msg);
}

/* csv.writer(path, header) */
static int l_csv_writer(lua_State *L)
{
    const char *path = check_path(L, 1, "csv.writer");
    if (lua_type(L, 2) != LUA_TTABLE)
        return luaL_error(L, "csv.writer: header must be a list of column names, got %s",
                          luaL_typename(L, 2));
    lua_Integer ncols = (lua_Integer)lua_rawlen(L, 2);
    if (ncols == 0)
        return luaL_error(L, "csv.writer: header must be a non-empty list of column names, "
                          "got an empty table");
    luaL_checkstack(L, 8, NULL);
    for (lua_Integer j = 1; j <= ncols; j++) {
        if (lua_rawgeti(L, 2, j) != LUA_TSTRING)
            return luaL_error(L, "csv.writer: header[%d] is %s, expected a string (a column "
                              "name)", (int)j, luaL_typename(L, -1));
        for (lua_Integer k = 1; k < j; k++) {
            lua_rawgeti(L, 2, k);
            if (lua_rawequal(L, -1, -2))
                return luaL_error(L, "csv.writer: header has '%s' twice (columns %d and %d)",
                                  lua_tostring(L, -1), (int)k, (int)j);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    const char *full = lib_outpath(L, "csv.writer", path);  /* index 3 */
    push_key(L, full);                                       /* index 4 */
    push_open_writers(L);                                    /* index 5 */
    lua_pushvalue(L, 4);
    if (lua_rawget(L, 5) != LUA_TNIL)
        return luaL_error(L, "csv.writer: '%s' is already open for writing in this run "
                          "(close that writer first)", full);
    lua_pop(L, 1);

    CsvWriter *w = lua_newuserdatauv(L, sizeof *w, 2);       /* index 6 */
    csv_writer_init(w);  /* safe to collect from here on */
    luaL_setmetatable(L, WRITER_MT);
    lua_pushvalue(L, 4);
    lua_setiuservalue(L, 6, UV_KEY);
    lua_createtable(L, (int)ncols, 0);  /* a copy: the caller may change theirs */
    for (lua_Integer j = 1; j <= ncols; j++) {
        lua_rawgeti(L, 2, j);
        lua_rawseti(L, -2, j);
    }
    lua_setiuservalue(L, 6, UV_HEADER);

    Err e;
    if (csv_writer_open(w, full, &e) != ST_OK) return luaL_error(L, "csv.writer: %s", e.msg);
    CsvField one[16];
    CsvField *f = ncols <= 16 ? one : lua_newuserdatauv(L, (size_t)ncols * sizeof *f, 0);
    for (lua_Integer j = 1; j <= ncols; j++) {
        lua_rawgeti(L, 2, j);
        f[j - 1].kind = CSV_STRING;
        f[j - 1].str = lua_tolstring(L, -1, &f[j - 1].len);
        lua_pop(L, 1);  /* still in the header table: stays alive */
    }
    /* The header goes out at once, so a full disk or a bad device shows
     * here rather than rows later. */
    if (csv_write_row(w, f, (size_t)ncols, &e) != ST_OK || csv_writer_flush(w, &e) != ST_OK) {
        csv_writer_abandon(w, NULL);
        return luaL_error(L, "csv.writer: %s", e.msg);
    }
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 6);
    lua_rawset(L, 5);
    lua_pushvalue(L, 6);
    return 1;
}

/* Column j's name (1-based) of the writer at idx, pushed. */
static const char *push_column_name(lua_State *L, int idx, int j)
{
    lua_getiuservalue(L, idx, UV_HEADER);
    lua_rawgeti(L, -1, j);
    lua_remove(L, -2);
    return lua_tostring(L, -1);
}

/* w:row(v1, v2, ...) */
static int l_writer_row(lua_State *L)
{
    CsvWriter *w = check_writer(L, 1);
    if (!csv_writer_is_open(w))
        return luaL_error(L, "writer:row: the writer of '%s' is closed", w->path);
    int n = lua_gettop(L) - 1;
    if ((size_t)n != w->ncols)
        return luaL_error(L, "writer:row: got %d value%s, but '%s' has %d columns", n,
                          n == 1 ? "" : "s", w->path, (int)w->ncols);
    CsvField one[16];
    CsvField *f = n <= 16 ? one : lua_newuserdatauv(L, (size_t)n * sizeof *f, 0);
    for (int j = 0; j < n; j++) {
        int idx = j + 2;
        switch (lua_type(L, idx)) {
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx)) {
                f[j].kind = CSV_INTEGER;
                f[j].integer = (long long)lua_tointeger(L, idx);
            } else {
                f[j].kind = CSV_NUMBER;
                f[j].number = (double)lua_tonumber(L, idx);
            }
            break;
        case LUA_TSTRING:
            f[j].kind = CSV_STRING;
            f[j].str = lua_tolstring(L, idx, &f[j].len);
            /* a CSV file is text: csv.read refuses a NUL byte, so none goes in */
            if (memchr(f[j].str, '\0', f[j].len))
                return luaL_error(L, "writer:row: value %d (column '%s') holds a NUL byte, which "
                                  "a CSV text file cannot carry", j + 1, push_column_name(L, 1, j + 1));
            break;
        case LUA_TBOOLEAN:
            f[j].kind = CSV_STRING;
            f[j].str = lua_toboolean(L, idx) ? "true" : "false";
            f[j].len = strlen(f[j].str);
            break;
        default:
            return luaL_error(L, "writer:row: value %d (column '%s') is %s, expected a number, "
                              "a string or a boolean", j + 1, push_column_name(L, 1, j + 1),
                              luaL_typename(L, idx));
        }
    }
    Err e;
    if (csv_write_row(w, f, (size_t)n, &e) != ST_OK) {
        abandon_writer(L, 1);
        return luaL_error(L, "writer:row: %s", e.msg);
    }
    return 0;
}

/* w:close(): commits (a second close does nothing). Returns the path. */
static int l_writer_close(lua_State *L)
{
    CsvWriter *w = check_writer(L, 1);
    Err e;
    if (!commit_writer(L, 1, &e)) return luaL_error(L, "writer:close: %s", e.msg);
    lua_pushstring(L, w->path);
    return 1;
}

/* Does the error object at idx stand for success? os.exit(0) unwinds with
 * the exit request {exit = 0}. */
static int success_exit(lua_State *L, int idx)
{
    int code;
    return lib_exit_request(L, idx, &code) && code == 0;
}

/* local w <close> = csv.writer(...): committed when the scope ends
 * normally, kept as NAME.incomplete when it ends by an error. */
static int writer_close_tbc(lua_State *L)
{
    if (lua_isnil(L, 2) || success_exit(L, 2)) {
        Err e;
        if (!commit_writer(L, 1, &e)) return luaL_error(L, "writer:close: %s", e.msg);
    } else {
        abandon_writer(L, 1);
    }
    return 0;
}

/* A writer nobody closed and nobody refers to any more: not complete. */
static int writer_gc(lua_State *L)
{
    CsvWriter *w = check_writer(L, 1);
    csv_writer_release(w);
    return 0;
}

static int writer_tostring(lua_State *L)
{
    CsvWriter *w = check_writer(L, 1);
    lua_pushfstring(L, "csv writer '%s' (%s, %I rows)", w->path ? w->path : "?",
                    csv_writer_is_open(w) ? "open" : "closed", (lua_Integer)w->rows);
    return 1;
}

static int writer_index(lua_State *L)
{
    CsvWriter *w = check_writer(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (strcmp(k, "path") == 0) {
        lua_pushstring(L, w->path);
    } else if (strcmp(k, "rows") == 0) {
        lua_pushinteger(L, (lua_Integer)w->rows);
    } else if (strcmp(k, "row") == 0) {
        lua_pushcfunction(L, l_writer_row);
    } else if (strcmp(k, "close") == 0) {
        lua_pushcfunction(L, l_writer_close);
    } else {
        lua_pushnil(L);
    }
    return 1;
}

/* csv.close(path): commits the writer of path if one is open in this run.
 * Returns true when it closed one. plot uses it, so that a file being
 * written can be plotted in the same scope. */
static int l_csv_close(lua_State *L)
{
    const char *path = check_path(L, 1, "csv.close");
    const char *full = lib_resolve_outpath(L, path);
    push_key(L, full);
    push_open_writers(L);
    lua_insert(L, -2);
    if (lua_rawget(L, -2) == LUA_TNIL) {
        lua_pushboolean(L, 0);
        return 1;
    }
    Err e;
    if (!commit_writer(L, -1, &e)) return luaL_error(L, "csv.close: %s", e.msg);
    lua_pushboolean(L, 1);
    return 1;
}

static int finish_all(lua_State *L)
{
    int ok = lua_toboolean(L, 1);
    /* Collect first: closing a writer changes OPEN_WRITERS. */
    lua_newtable(L);
    push_open_writers(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_rawseti(L, -4, ++n);
    }
    lua_pop(L, 1);
    int failed = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (ok) {
            Err e;
            if (!commit_writer(L, -1, &e)) {
                fprintf(stderr, "luagrad: csv: %s\n", e.msg);
                failed = 1;
            }
        } else {
            abandon_writer(L, -1);
        }
        lua_pop(L, 1);
    }
    lua_pushboolean(L, !failed);
    return 1;
}

int csvlib_finish(lua_State *L, int ok)
{
    lua_pushcfunction(L, finish_all);
    lua_pushboolean(L, ok);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "luagrad: closing the csv files: %s\n", msg ? msg : "(error)");
        lua_pop(L, 1);
        return 0;
    }
    int done = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return done;
}

/* ---- reader --------------------------------------------------------------- */

/* Options of csv.read and csv.rows (the table at idx, or nil). */
static void check_read_options(lua_State *L, int idx, const char *fname, CsvReadOptions *o,
                               int slot)
{
    csv_read_defaults(o);
    if (lua_isnoneornil(L, idx)) return;
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table, got %s", fname, luaL_typename(L, idx));
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        if (strcmp(k, "comment") == 0) {
            if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
                luaL_error(L, "%s: comment must be a non-empty string (like \"#\"), got %s",
                           fname, luaL_typename(L, -1));
            o->comment = lua_tostring(L, -1);  /* alive: in the options table */
        } else if (strcmp(k, "header") == 0) {
            if (lua_type(L, -1) != LUA_TBOOLEAN)
                luaL_error(L, "%s: header must be true or false, got %s", fname,
                           luaL_typename(L, -1));
            o->header = lua_toboolean(L, -1);
        } else if (strcmp(k, "sep") == 0) {
            const char *s = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) != 1 || *s == '"' ||
                *s == '\n' || *s == '\r')
                luaL_error(L, "%s: sep must be one character other than a quote or a line "
                           "end (like \";\" or \"\\t\"), got %s", fname,
                           lua_type(L, -1) == LUA_TSTRING ? lua_pushfstring(L, "'%s'", s)
                                                          : luaL_typename(L, -1));
            o->sep = *s;
        } else if (strcmp(k, "text") == 0) {
            /* names of columns read as text: kept in a userdata pushed
             * below the options' keys, alive until the file is read */
            if (lua_type(L, -1) != LUA_TTABLE)
                luaL_error(L, "%s: text must be a list of column names (like text = {\"tag\"}), "
                           "got %s", fname, luaL_typename(L, -1));
            lua_Integer n = luaL_len(L, -1);
            const char **names = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *names, 0);
            for (lua_Integer i = 1; i <= n; i++) {
                if (lua_geti(L, -2, i) != LUA_TSTRING)
                    luaL_error(L, "%s: text[%I] must be a column name, got %s", fname, i,
                               luaL_typename(L, -1));
                names[i - 1] = lua_tostring(L, -1);  /* alive: in the list */
                lua_pop(L, 1);
            }
            lua_replace(L, slot);
            o->text = names;
            o->ntext = (size_t)n;
        } else if (strcmp(k, "columns") == 0 && strcmp(fname, "csv.matrix") == 0) {
            /* csv.matrix's own option, read by it */
        } else {
            luaL_error(L, "%s: unknown option '%s' (the options are %s)", fname,
                       lua_type(L, -2) == LUA_TSTRING ? k : luaL_typename(L, -2),
                       strcmp(fname, "csv.matrix") == 0 ? "columns, comment, header, sep, text"
                                                         : "comment, header, sep, text");
        }
        lua_pop(L, 1);
    }
}

/* The progress line of a large file (a small one is read before any shows). */
static void read_progress(void *ud, size_t done, size_t total)
{
    (void)ud;
    if (total > 0) progress_step("csv.read", (double)done, (double)total, NULL, NULL);
}

static int table_gc(lua_State *L)
{
    csv_table_free(luaL_checkudata(L, 1, TABLE_MT));
    return 0;
}

/* Reads the file named at index 1 into a CsvTable owned by a userdata
 * (pushed), so a Lua error while converting it frees it too. */
static CsvTable *read_table(lua_State *L, const char *fname)
{
    const char *path = check_path(L, 1, fname);
    CsvReadOptions o;
    lua_settop(L, 2);
    lua_pushnil(L);  /* 3: the list of text columns' names, if any */
    check_read_options(L, 2, fname, &o, 3);
    lib_check_path(L, fname, path, 0);
    CsvTable *t = lua_newuserdatauv(L, sizeof *t, 0);
    memset(t, 0, sizeof *t);
    luaL_setmetatable(L, TABLE_MT);
    Err e;
    o.on_read = read_progress;
    Status st = csv_read(path, path, &o, t, &e);
    progress_end();
    if (st != ST_OK) luaL_error(L, "%s: %s", fname, e.msg);
    return t;
}

static void push_name(lua_State *L, const CsvTable *t, size_t j)
{
    lua_pushlstring(L, t->names + t->name_off[j], t->name_off[j + 1] - t->name_off[j]);
}

/* Value i of a text column: a string, or for numbers kept as text (wide
 * integers) the number, an integer where it is one; empty is nan. */
static void push_text_value(lua_State *L, const CsvColumn *c, size_t i)
{
    const char *p = c->text + c->off[i];
    size_t n = c->off[i + 1] - c->off[i];
    if (!c->wide) {
        lua_pushlstring(L, p, n);
        return;
    }
    /* trimmed, NUL-terminated, for lua_stringtonumber */
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    char buf[64];
    double v;
    if (n < sizeof buf) {
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (n && lua_stringtonumber(L, buf)) return;
    }
    lua_pushnumber(L, csv_parse_number(p, n, &v) ? v : (lua_Number)NAN);
}

/* csv.read(path [, opts]) -> cols, names */
static int l_csv_read(lua_State *L)
{
    CsvTable *t = read_table(L, "csv.read");
    lua_createtable(L, 0, (int)t->ncols);  /* cols */
    lua_createtable(L, (int)t->ncols, 0);  /* names */
    for (size_t j = 0; j < t->ncols; j++) {
        CsvColumn *c = &t->col[j];
        push_name(L, t, j);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, (lua_Integer)j + 1);
        if (c->numeric && t->rows && c->num_cap == t->rows) {
            /* the column becomes the tensor: no copy, no second buffer */
            lib_adopttensor(L, c->num, t->rows);
            c->num = NULL;
            c->num_cap = 0;
        } else if (c->numeric) {
            Tensor *v = lib_newtensor(L, "csv.read", 1, t->rows, 1);
            if (t->rows) memcpy(v->data, c->num, t->rows * sizeof *v->data);
        } else {
            lua_createtable(L, (int)t->rows, 0);
            for (size_t i = 0; i < t->rows; i++) {
                push_text_value(L, c, i);
                lua_rawseti(L, -2, (lua_Integer)i + 1);
            }
        }
        lua_rawset(L, -4);
    }
    csv_table_free(t);  /* now, not at the next collection */
    return 2;
}

/* The 0-based column that a name or a 1-based number at idx names. */
static size_t find_column(lua_State *L, int idx, const CsvTable *t, const char *what)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        int isint;
        lua_Integer j = lua_tointegerx(L, idx, &isint);
        if (!isint || j < 1 || (size_t)j > t->ncols)
            luaL_error(L, "csv.matrix: %s is %s, but the file has columns 1..%I", what,
                       luaL_tolstring(L, idx, NULL), (lua_Integer)t->ncols);
        return (size_t)j - 1;
    }
    if (lua_type(L, idx) != LUA_TSTRING)
        luaL_error(L, "csv.matrix: %s must be a column name or number, got %s", what,
                   luaL_typename(L, idx));
    size_t len;
    const char *name = lua_tolstring(L, idx, &len);
    for (size_t j = 0; j < t->ncols; j++)
        if (t->name_off[j + 1] - t->name_off[j] == len &&
            memcmp(t->names + t->name_off[j], name, len) == 0)
            return j;
    return (size_t)luaL_error(L, "csv.matrix: %s '%s' is not a column of %s", what, name,
                              lua_tostring(L, 1));
}

/* csv.matrix(path [, opts]) -> X, names: the numeric columns named in
 * opts.columns (names or 1-based numbers; default every column) as one
 * n x d matrix, row i being the file's record i; with columns a single
 * name or number, that column as a vector. */
static int l_csv_matrix(lua_State *L)
{
    CsvTable *t = read_table(L, "csv.matrix");
    int single = 0;
    size_t d;
    lua_Integer nsel = 0;
    if (lua_istable(L, 2)) lua_getfield(L, 2, "columns");
    else lua_pushnil(L);
    int sel = lua_gettop(L);
    if (lua_isnil(L, sel)) d = t->ncols;
    else if (lua_type(L, sel) == LUA_TSTRING || lua_type(L, sel) == LUA_TNUMBER) single = 1, d = 1;
    else if (lua_type(L, sel) == LUA_TTABLE) d = (size_t)(nsel = luaL_len(L, sel));
    else
        return luaL_error(L, "csv.matrix: columns must be a list of column names or numbers, "
                          "got %s", luaL_typename(L, sel));
    if (d == 0) return luaL_error(L, "csv.matrix: no columns to read (columns is empty)");
    /* the chosen columns, 0-based, in a userdata so an error frees them */
    size_t *which = lua_newuserdatauv(L, d * sizeof *which, 0);
    lua_createtable(L, (int)d, 0);  /* names */
    for (size_t k = 0; k < d; k++) {
        char what[48];
        snprintf(what, sizeof what, single ? "columns" : "columns[%zu]", k + 1);
        if (single) which[k] = find_column(L, sel, t, what);
        else if (nsel) {
            lua_geti(L, sel, (lua_Integer)k + 1);
            which[k] = find_column(L, -1, t, what);
            lua_pop(L, 1);
        } else which[k] = k;
        const CsvColumn *c = &t->col[which[k]];
        push_name(L, t, which[k]);
        if (!c->numeric && !c->wide)
            return luaL_error(L, "csv.matrix: column '%s' of %s is not numeric (line %I holds "
                              "text)", lua_tostring(L, -1), lua_tostring(L, 1),
                              (lua_Integer)c->first_line);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    Tensor *X = single ? lib_newresult(L, "csv.matrix", 1, t->rows, 1)
                       : lib_newresult(L, "csv.matrix", 2, t->rows, d);
    /* column by column: each read once, written with stride d */
    for (size_t k = 0; k < d; k++) {
        const CsvColumn *c = &t->col[which[k]];
        for (size_t i = 0; i < t->rows; i++) {
            double v = NAN;
            if (c->wide)  /* to the nearest double: a matrix holds doubles */
                csv_parse_number(c->text + c->off[i], c->off[i + 1] - c->off[i], &v);
            else
                v = c->num[i];
            X->data[i * d + k] = v;
        }
    }
    lua_rotate(L, -2, 1);  /* X, names */
    csv_table_free(t);
    return 2;
}

/* csv.rows(path [, opts]) -> {{name = value, ...}, ...} */
static int l_csv_rows(lua_State *L)
{
    CsvTable *t = read_table(L, "csv.rows");
    lua_createtable(L, (int)t->ncols, 0);  /* the names, made once */
    for (size_t j = 0; j < t->ncols; j++) {
        push_name(L, t, j);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    int names = lua_gettop(L);
    lua_createtable(L, (int)t->rows, 0);
    for (size_t i = 0; i < t->rows; i++) {
        lua_createtable(L, 0, (int)t->ncols);
        for (size_t j = 0; j < t->ncols; j++) {
            const CsvColumn *c = &t->col[j];
            lua_rawgeti(L, names, (lua_Integer)j + 1);
            if (c->numeric) lua_pushnumber(L, c->num[i]);
            else push_text_value(L, c, i);
            lua_rawset(L, -3);
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    csv_table_free(t);
    return 1;
}

/* ---- registration --------------------------------------------------------- */

static const luaL_Reg writer_metamethods[] = {
    {"__close", writer_close_tbc},
    {"__gc", writer_gc},
    {"__index", writer_index},
    {"__tostring", writer_tostring},
    {NULL, NULL}
};

static const luaL_Reg csv_functions[] = {
    {"close", l_csv_close},
    {"matrix", l_csv_matrix},
    {"read", l_csv_read},
    {"rows", l_csv_rows},
    {"writer", l_csv_writer},
    {NULL, NULL}
};

int luaopen_csv(lua_State *L)
{
    luaL_newmetatable(L, WRITER_MT);
    luaL_setfuncs(L, writer_metamethods, 0);
    lua_pop(L, 1);
    luaL_newmetatable(L, TABLE_MT);
    lua_pushcfunction(L, table_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    luaL_newlib(L, csv_functions);
    return 1;
}
