/* progress.h: the progress line of long work (fit's epochs, scan.mse over a
 * large grid, csv.read of a large file, a script's own loop through the
 * global progress(i, n, info)).
 *
 * One meter at a time, on stderr:
 *  - stderr a terminal: one line redrawn in place at most PROGRESS_TTY_EVERY
 *    seconds apart, first after PROGRESS_TTY_AFTER seconds (short work shows
 *    nothing), erased when the work ends:
 *        fit [##########----------]  50%  0:02 elapsed  0:02 left  loss 0.0123
 *  - otherwise (a file, a pipe): a plain line every few seconds (5, or
 *    LUAGRAD_PROGRESS=SECONDS), and one when the work ends if any was shown;
 *  - -q or LUAGRAD_PROGRESS=off: nothing.
 *
 * progress_step is meant for tight loops: when nothing is due it costs a
 * few comparisons and a read of the coarse clock. */
#ifndef LUAGRAD_PROGRESS_H
#define LUAGRAD_PROGRESS_H

#include <stddef.h>

#define PROGRESS_TTY_AFTER 0.5
#define PROGRESS_TTY_EVERY 0.2
#define PROGRESS_PLAIN_EVERY 5.0

/* Writes the meter's extra text ("loss 0.0123") into buf; called only when a
 * line is drawn. */
typedef void (*ProgressText)(void *ud, char *buf, size_t size);

/* Sets the mode from quiet, whether stderr is a terminal and
 * LUAGRAD_PROGRESS; returns NULL or a message about a bad LUAGRAD_PROGRESS. */
const char *progress_configure(int quiet);

/* Step i of n (1-based; i == n ends the meter) of the work called label (a
 * string that lives as long as the work). A new label, another n or an i
 * smaller than the last starts a new meter. text may be NULL. */
void progress_step(const char *label, double i, double n, ProgressText text, void *ud);

/* Ends the meter now (work stopped early, an error): erases its line. */
void progress_end(void);

/* Erases the line on the terminal, if one is shown, so other output starts
 * at the left; the meter goes on (it is redrawn at its next step). */
void progress_clear(void);

#endif
