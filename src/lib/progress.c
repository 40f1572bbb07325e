/* progress.c: the progress line (see progress.h) and the global
 *
 *   progress(i, n)                    step i of n of the script's own loop
 *   progress(i, n, { loss = l })      with figures shown after the bar
 *   progress(i, n, l)                 the same as { loss = l }
 *
 * A table's numbers and strings are shown "key value" in key order, its
 * field label names the work (default "progress"). The table is read only
 * when a line is drawn, a few times a second at most. */
#include "lib/progress.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/keys.h"
#include "lib/openers.h"

enum { MODE_OFF, MODE_TTY, MODE_PLAIN };

static struct {
    int mode;
    double every;        /* plain mode: seconds between lines */
    int active;
    const char *label_ptr;  /* the label of the last step, for a quick compare */
    char label[32];
    double n, last_i, first_i;
    double start, next;  /* when the meter started; when a line is next due */
    int shown;           /* tty: a line is on screen; plain: a line was written */
} pm = {MODE_OFF, PROGRESS_PLAIN_EVERY, 0, NULL, "", 0, 0, 0, 0, 0, 0};

/* The coarse clock is read in a few nanoseconds: a step in a tight loop
 * must cost next to nothing. Its 1-4 ms resolution is plenty here. */
static double now_seconds(void)
{
    struct timespec ts;
#ifdef CLOCK_MONOTONIC_COARSE
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

const char *progress_configure(int quiet)
{
    const char *env = getenv("LUAGRAD_PROGRESS");
    pm.every = PROGRESS_PLAIN_EVERY;
    if (env && *env && strcmp(env, "off") != 0) {
        char *end;
        double s = strtod(env, &end);
        if (*end || !(s > 0) || !(s < 1e6))
            return "LUAGRAD_PROGRESS must be off or a number of seconds between plain progress "
                   "lines (e.g. 5)";
        pm.every = s;
    }
    if (quiet || (env && strcmp(env, "off") == 0)) pm.mode = MODE_OFF;
    else pm.mode = isatty(STDERR_FILENO) ? MODE_TTY : MODE_PLAIN;
    return NULL;
}

/* m:ss, or h:mm:ss from an hour. */
static void format_time(double s, char *buf, size_t size)
{
    if (!(s >= 0) || s > 1e7) {
        snprintf(buf, size, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

static void draw(double i, double now, int final, ProgressText text, void *ud)
{
    char elapsed[32], left[32], extra[160] = "";
    double spent = now - pm.start;
    double steps = i - pm.first_i;
    format_time(spent, elapsed, sizeof elapsed);
    if (steps > 0) format_time(spent * (pm.n - i) / steps, left, sizeof left);
    else snprintf(left, sizeof left, "?");
    if (text) text(ud, extra, sizeof extra);
    double frac = i / pm.n;
    if (frac < 0) frac = 0;
    if (frac > 1) frac = 1;
    if (pm.mode == MODE_PLAIN) {
        fprintf(stderr, "%s: %.0f/%.0f (%.0f%%), %s elapsed%s%s%s%s%s\n", pm.label, i, pm.n,
                floor(frac * 100), elapsed, final ? "" : ", ", final ? "" : left,
                final ? "" : " left", *extra ? ", " : "", extra);
        fflush(stderr);
        pm.shown = 1;
        return;
    }
    char line[512];
    int width = terminal_width() - 1;
    int bar = width >= 100 ? 30 : 20;
    char cells[64];
    int full = (int)(frac * bar);
    for (int k = 0; k < bar; k++) cells[k] = k < full ? '#' : '-';
    cells[bar] = '\0';
    snprintf(line, sizeof line, "%s [%s] %3.0f%%  %s elapsed  %s left%s%s", pm.label, cells,
             floor(frac * 100), elapsed, left, *extra ? "  " : "", extra);
    if (width > 0 && width < (int)sizeof line) line[width] = '\0';
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    pm.shown = 1;
}

void progress_clear(void)
{
    if (pm.mode == MODE_TTY && pm.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        pm.shown = 0;
        pm.next = 0;  /* redraw at the next step */
    }
}

void progress_end(void)
{
    progress_clear();
    pm.active = 0;
    pm.shown = 0;
}

void progress_step(const char *label, double i, double n, ProgressText text, void *ud)
{
    if (pm.mode == MODE_OFF) return;
    if (!pm.active || n != pm.n || i < pm.last_i ||
        (label != pm.label_ptr && strncmp(label, pm.label, sizeof pm.label - 1) != 0)) {
        progress_end();
        pm.active = 1;
        pm.n = n;
        pm.first_i = i - 1;
        pm.start = now_seconds();
        pm.next = pm.start + (pm.mode == MODE_TTY ? PROGRESS_TTY_AFTER : pm.every);
        snprintf(pm.label, sizeof pm.label, "%s", label);
    }
    pm.label_ptr = label;
    pm.last_i = i;
    if (i >= n) {
        if (pm.mode == MODE_PLAIN && pm.shown) draw(i, now_seconds(), 1, text, ud);
        progress_end();
        return;
    }
    double now = now_seconds();
    if (now < pm.next) return;
    draw(i, now, 0, text, ud);
    pm.next = now + (pm.mode == MODE_TTY ? PROGRESS_TTY_EVERY : pm.every);
}

/* ---- the global progress(i, n, info) ------------------------------------ */

typedef struct LuaInfo {
    lua_State *L;
    int idx;  /* the info argument: a table, a number or none */
} LuaInfo;

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "key value" for each number and string of the table (label aside). */
static void info_text(void *ud, char *buf, size_t size)
{
    LuaInfo *info = ud;
    lua_State *L = info->L;
    if (lua_type(L, info->idx) == LUA_TNUMBER) {
        snprintf(buf, size, "loss %.4g", lua_tonumber(L, info->idx));
        return;
    }
    if (lua_type(L, info->idx) != LUA_TTABLE) return;
    const char *keys[16];
    int nk = 0;
    lua_pushnil(L);
    while (nk < 16 && lua_next(L, info->idx)) {
        int t = lua_type(L, -1);
        if (lua_type(L, -2) == LUA_TSTRING && (t == LUA_TNUMBER || t == LUA_TSTRING) &&
            strcmp(lua_tostring(L, -2), "label") != 0)
            keys[nk++] = lua_tostring(L, -2);  /* alive: the table holds it */
        lua_pop(L, 1);
    }
    qsort(keys, (size_t)nk, sizeof *keys, compare_keys);
    size_t used = 0;
    for (int k = 0; k < nk && used < size; k++) {
        lua_pushstring(L, keys[k]);
        lua_rawget(L, info->idx);  /* raw, as lua_next found it: no __index runs here */
        int w;
        if (lua_isinteger(L, -1))
            w = snprintf(buf + used, size - used, "%s%s %lld", k ? "  " : "", keys[k],
                         (long long)lua_tointeger(L, -1));
        else if (lua_type(L, -1) == LUA_TNUMBER)
            w = snprintf(buf + used, size - used, "%s%s %.4g", k ? "  " : "", keys[k],
                         lua_tonumber(L, -1));
        else
            w = snprintf(buf + used, size - used, "%s%s %s", k ? "  " : "", keys[k],
                         lua_tostring(L, -1));
        lua_pop(L, 1);
        if (w < 0) break;
        used += (size_t)w;
    }
}

static int l_progress(lua_State *L)
{
    int isnum;
    double i = lua_tonumberx(L, 1, &isnum);
    if (!isnum || lua_type(L, 1) != LUA_TNUMBER)
        return luaL_error(L, "progress: i (argument 1) must be a number, got %s",
                          luaL_typename(L, 1));
    double n = lua_tonumberx(L, 2, &isnum);
    if (!isnum || lua_type(L, 2) != LUA_TNUMBER || !(n > 0) || isinf(n))
        return luaL_error(L, "progress: n (argument 2) must be a number > 0, got %s",
                          lua_type(L, 2) == LUA_TNUMBER ? lua_tostring(L, 2) : luaL_typename(L, 2));
    int t = lua_type(L, 3);
    if (t != LUA_TNONE && t != LUA_TNIL && t != LUA_TTABLE && t != LUA_TNUMBER)
        return luaL_error(L, "progress: info (argument 3) must be a table like { loss = l } "
                          "or a number, got %s", luaL_typename(L, 3));
    const char *label = "progress";
    if (t == LUA_TTABLE && lua_getfield(L, 3, "label") == LUA_TSTRING) label = lua_tostring(L, -1);
    LuaInfo info = {L, 3};
    progress_step(label, i, n, t == LUA_TTABLE || t == LUA_TNUMBER ? info_text : NULL, &info);
    return 0;
}

int luaopen_progress(lua_State *L)
{
    int quiet = 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY) == LUA_TTABLE) {
        lua_getfield(L, -1, "quiet");
        quiet = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    const char *why = progress_configure(quiet);
    if (why) return luaL_error(L, "%s", why);
    lua_pushcfunction(L, l_progress);
    return 1;
}
