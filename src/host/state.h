/* state.h: a fresh Lua state with what a luagrad script may use.
 *
 * This is the one place that decides what a script can reach: the Lua
 * standard libraries, luagrad's C modules (tensor, model, loss, grad, optim,
 * rng, csv, ...), the Lua modules embedded from lua/luagrad/, and the global
 * table `luagrad` describing the run. With --sandbox, src/host/sandbox.c
 * then narrows what the script sees. */
#ifndef LUAGRAD_STATE_H
#define LUAGRAD_STATE_H

#include <lua.h>
#include <stdint.h>

typedef struct RunConfig {
    const char *script;     /* path as given, "-" for stdin, NULL at the prompt */
    const char *out_dir;    /* where relative output paths go */
    uint64_t seed;
    int quiet;
    int list_params;        /* --params: params{} lists and stops the script;
                               2: as JSON (--params-json, for the sweep) */
    const char *plot;       /* "png", "term" or "none" */
    int stdin_implicit;     /* no script given and stdin not a terminal */
    int noverrides;
    char **overrides;       /* "key=value" words */
    int sandbox;            /* --sandbox: see src/host/sandbox.h */
    int ndata;
    char **data;            /* --data folders */
    double timeout;         /* --timeout seconds, 0 for none (src/host/limits.h) */
    double max_mem;         /* --max-mem megabytes, 0 for none */
} RunConfig;

#include "lib/keys.h"  /* RUN_KEY: the run's own description (see state.c) */

/* Returns NULL (after a message on stderr) when the state cannot be made. */
lua_State *state_new(const RunConfig *rc);

/* The folder a script's output goes to without --out: out/NAME, NAME the
 * script's file name without .lua. Writes into buf. */
void state_default_out_dir(const char *script, char *buf, size_t size);

#endif
