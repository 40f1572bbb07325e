/* watch.h: luagrad --watch SCRIPT.lua key=value ...: runs the script, then
 * again each time it or a file it read is saved (see watch.c). */
#ifndef LUAGRAD_WATCH_H
#define LUAGRAD_WATCH_H

#include "host/state.h"

/* Returns only when stopped (Ctrl-C: 130, SIGTERM: 143) or on an error (1). */
int watch_main(const RunConfig *rc);

#endif
