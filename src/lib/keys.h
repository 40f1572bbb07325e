/* keys.h: the names of the Lua registry entries that the host and the
 * modules share. Both sides include this header, so a key is spelled once. */
#ifndef LUAGRAD_KEYS_H
#define LUAGRAD_KEYS_H

/* The run's own description (script, out, seed, overrides, ...), made by
 * the host (src/host/state.c); the global `luagrad` is a copy of it. */
#define RUN_KEY "luagrad.run"

/* The files the run wrote: path -> true, and 1..n -> path in the order they
 * were first written (src/lib/util.c). */
#define OUTPUTS_KEY "luagrad.outputs"

#endif
