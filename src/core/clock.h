/* clock.h: the one monotonic clock of luagrad, for durations (a run's
 * seconds, a job's seconds in a batch, sys.clock). */
#ifndef LUAGRAD_CLOCK_H
#define LUAGRAD_CLOCK_H

/* Seconds since an arbitrary fixed point; never goes back. */
double clock_seconds(void);

#endif
