/* cancel.h: a flag that asks long C loops to stop. The host's signal
 * handler sets it (to the signal's number: SIGINT for Ctrl-C); every long
 * loop of the core (a training run, a grid scan, a file read) polls it every
 * CANCEL_EVERY iterations and returns ST_ECANCEL. */
#ifndef LUAGRAD_CANCEL_H
#define LUAGRAD_CANCEL_H

#include <signal.h>

#define CANCEL_EVERY 4096

extern volatile sig_atomic_t cancel_flag;

static inline int cancel_requested(void) { return cancel_flag != 0; }

#endif
