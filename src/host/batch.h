/* batch.h: the subcommands that run several scripts: run, sweep, collect.
 * The process pool is C (host/pool.c, sys.pool); planning the runs, naming
 * their folders, the summary and runs.csv are Lua (lua/luagrad/batch.lua,
 * sweep.lua, runs.lua). */
#ifndef LUAGRAD_BATCH_H
#define LUAGRAD_BATCH_H

#include "host/cli.h"

int batch_main(const Options *o, const char *argv0);
int sweep_main(const Options *o, const char *argv0);
int collect_main(const Options *o, const char *argv0);  /* o->args[0]: the folder */

#endif
