/* spawn.h: starting a program, the one place that sets up a child process
 * (sys.run for gnuplot, the pool of `luagrad run` and `luagrad sweep`). */
#ifndef LUAGRAD_SPAWN_H
#define LUAGRAD_SPAWN_H

#include <sys/types.h>

#define SPAWN_INHERIT (-1)  /* the child shares luagrad's own descriptor */
#define SPAWN_DEVNULL (-2)  /* the child reads /dev/null (stdin only) */

/* Starts argv[0] (searched on PATH when it has no '/') with the given
 * descriptors as its stdin, stdout and stderr, and no signal blocked,
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE at their default action (a background
 * shell may have started us with SIGINT ignored). With new_group, the child
 * leads a process group of its own, so that a signal can reach it and its
 * children at once. Returns 0 and sets *pid, or an errno value. */
int spawn_program(pid_t *pid, const char *const *argv, int in, int out, int err, int new_group);

#endif
