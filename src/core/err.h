/* err.h: how the numeric core reports failure. The core never raises and
 * knows nothing of Lua: a function that can fail returns a Status and, when
 * it is not ST_OK, leaves a message in an Err the caller provides. The Lua
 * bindings turn that into a Lua error naming the Lua function. */
#ifndef LUAGRAD_ERR_H
#define LUAGRAD_ERR_H

typedef enum Status {
    ST_OK = 0,
    ST_EINVAL,   /* bad argument: shapes, sizes, values */
    ST_ENOMEM,   /* allocation failed or the memory cap was reached */
    ST_EIO,      /* a file could not be read or written */
    ST_ECANCEL,  /* interrupted (Ctrl-C) while in a long loop */
    ST_EDIVERGED /* a loss or parameter became inf or nan */
} Status;

typedef struct Err {
    char msg[512];
} Err;

/* Sets e->msg from a printf format (e may be NULL) and returns code, so a
 * failing path reads  return err_set(e, ST_EINVAL, "x has %d ...", n); */
Status err_set(Err *e, Status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
