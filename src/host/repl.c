/* repl.c: the interactive prompt, `luagrad` with no script on a terminal.
 *
 * Each line is first tried as an expression (so `1 + 1` prints 2), then as a
 * statement; a statement that is not finished yet ("<eof>" in the syntax
 * error) reads more lines with the ">>" prompt. Ctrl-C interrupts the running
 * line and returns to the prompt; Ctrl-D or os.exit() leaves. With GNU
 * readline the lines have editing and history.
 *
 * readline is opened with dlopen when the prompt starts, not linked: loading
 * it (and libtinfo) and resolving their symbols cost every run of a script
 * about 0.5 M instructions, half of what `lua5.4 -e ''` executes in all. */
#include "host/repl.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cli.h"
#include "host/script.h"

#ifdef LUAGRAD_READLINE
#include <dlfcn.h>

/* The library's name at build time: libreadline.so.8 on Debian 12. */
#ifndef LUAGRAD_READLINE_SO
#define LUAGRAD_READLINE_SO "libreadline.so.8"
#endif

typedef char *(*ReadlineFn)(const char *);
typedef void (*AddHistoryFn)(const char *);
static ReadlineFn rl_readline;      /* NULL: plain lines without editing */
static AddHistoryFn rl_add_history;

/* Opens readline; without it the prompt still works, without editing, and
 * says so once. */
static void open_readline(void)
{
    void *lib = dlopen(LUAGRAD_READLINE_SO, RTLD_NOW | RTLD_LOCAL);
    if (lib) {
        /* dlsym returns void *; the memcpy is the C99 way to make a
         * function pointer of it */
        void *f = dlsym(lib, "readline"), *h = dlsym(lib, "add_history");
        if (f && h) {
            memcpy(&rl_readline, &f, sizeof f);
            memcpy(&rl_add_history, &h, sizeof h);
            return;
        }
    }
    const char *why = dlerror();
    fprintf(stderr, "luagrad: no line editing or history at this prompt: cannot load %s (%s); "
            "install it with  sudo apt-get install libreadline8\n",
            LUAGRAD_READLINE_SO, why ? why : "readline or add_history missing");
}
#endif

/* One line without its newline, or NULL at end of input. Free with free(). */
static char *read_line(const char *prompt)
{
#ifdef LUAGRAD_READLINE
    if (rl_readline) {
        char *line = rl_readline(prompt);
        if (line && *line) rl_add_history(line);
        return line;
    }
#endif
    char buf[4096];
    fputs(prompt, stdout);
    fflush(stdout);
    if (!fgets(buf, sizeof buf, stdin)) return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return strdup(buf);
}

static int incomplete(lua_State *L, int status)
{
    if (status != LUA_ERRSYNTAX) return 0;
    size_t len;
    const char *msg = lua_tolstring(L, -1, &len);
    return len >= 5 && strcmp(msg + len - 5, "<eof>") == 0;
}

/* Compiles a statement that starts with the line `first` (which it frees),
 * reading more lines while it is incomplete. Pushes the function, or an
 * error message; returns the load status. */
static int load_statement(lua_State *L, char *first)
{
    /* An expression first, so that `1 + 1` prints 2. */
    lua_pushfstring(L, "return %s;", first);
    int st = luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=stdin");
    lua_remove(L, -2);
    if (st == LUA_OK) {
        free(first);
        return st;
    }
    lua_pop(L, 1);

    char *text = first;
    for (;;) {
        st = luaL_loadbuffer(L, text, strlen(text), "=stdin");
        if (!incomplete(L, st)) break;
        char *more = read_line(">> ");
        if (!more) break;  /* end of input: report the incomplete statement */
        lua_pop(L, 1);
        size_t n = strlen(text), m = strlen(more);
        char *joined = realloc(text, n + m + 2);
        if (!joined) {
            free(more);
            lua_pushliteral(L, "out of memory");
            st = LUA_ERRMEM;
            break;
        }
        text = joined;
        text[n] = '\n';
        memcpy(text + n + 1, more, m + 1);
        free(more);
    }
    free(text);
    return st;
}

/* print(...) with the results, looked up and called in protected mode
 * (a script may have replaced print, or _G's metatable). A table shows its
 * contents (lua/luagrad/show.lua), not its address. */
static int print_all(lua_State *L)
{
    int n = lua_gettop(L);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "luagrad.show");
    lua_call(L, 1, 1);
    for (int i = 1; i <= n; i++) {
        if (!lua_istable(L, i)) continue;
        lua_pushvalue(L, -1);
        lua_pushvalue(L, i);
        lua_call(L, 1, 1);
        lua_replace(L, i);
    }
    lua_pop(L, 1);
    lua_getglobal(L, "print");
    lua_insert(L, 1);
    lua_call(L, n, 0);
    return 0;
}

static void print_results(lua_State *L, int n)
{
    if (n == 0) return;
    luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
    lua_pushcfunction(L, print_all);
    lua_insert(L, -(n + 1));
    script_call(L, n, 0);  /* an error is reported there */
}

int repl_main(lua_State *L)
{
#ifdef LUAGRAD_READLINE
    open_readline();
#endif
    /* Every global of src/host/lazy.c: each loads when first used. */
    printf("luagrad %s (%s): tensor, model, loss, grad, optim, fit, scan, rng, csv, plot, "
           "autograd, nn, data, params, report, progress, help at hand. Ctrl-D leaves.\n",
           LUAGRAD_VERSION, LUA_RELEASE);
    char *line;
    while ((line = read_line("> ")) != NULL) {
        int top = lua_gettop(L);
        int st = load_statement(L, line);
        if (st != LUA_OK) {
            fprintf(stderr, "luagrad: %s\n", lua_tostring(L, -1));
        } else if (script_call(L, 0, LUA_MULTRET) == EXIT_OK) {
            print_results(L, lua_gettop(L) - top);
        } else if (script_exit_code() >= 0) {  /* os.exit(n) leaves the prompt */
            lua_settop(L, top);
            return script_exit_code();
        }
        lua_settop(L, top);
    }
    putchar('\n');
    return EXIT_OK;
}
