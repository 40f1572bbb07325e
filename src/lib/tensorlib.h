/* tensorlib.h: the Tensor userdata, for the other C modules.
 *
 * A Tensor userdata is a handle: a pointer to a reference-counted Tensor
 * (core/tensor.h), NULL once closed. Functions that push a tensor create the
 * handle first and fill it after, so a Lua error in between leaks nothing. */
#ifndef LUAGRAD_TENSORLIB_H
#define LUAGRAD_TENSORLIB_H

#include <lua.h>

#include "core/autograd.h"
#include "core/tensor.h"

#define TENSOR_MT "Tensor"

/* The tensor at idx (any view), or a "bad argument" error (closed tensors
 * too). */
Tensor *lib_checktensor(lua_State *L, int idx);

/* The tensor at idx, or NULL when it is not one (or is closed). */
Tensor *lib_totensor(lua_State *L, int idx);

/* Is the value at idx a tensor userdata, open or closed? */
int lib_ishandle(lua_State *L, int idx);

/* Pushes a new zero-filled contiguous tensor; raises "fname: reason" on
 * failure. lib_newresult is the same without the zeroing, for results that
 * the caller writes whole. Both charge the memory to the collector. */
Tensor *lib_newtensor(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols);
Tensor *lib_newresult(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols);

/* Pushes a view on base's storage (see tensor_view). */
Tensor *lib_pushview(lua_State *L, const char *fname, const Tensor *base, int ndim, size_t rows,
                     size_t cols, size_t offset, size_t rs, size_t cs);

/* Pushes a new handle to t, taking a new reference to it. */
Tensor *lib_pushtensor(lua_State *L, Tensor *t);

/* A tensor userdata's user values: the handles that t.grad and t.data
 * handed out last (autogradlib.c), so that a loop reading them per sample
 * makes no garbage. */
enum { TENSOR_UV_GRAD = 1, TENSOR_UV_DATA, TENSOR_NUV = TENSOR_UV_DATA };

/* Pushes an empty handle (a closed tensor) whose slot the caller fills with
 * a tensor it owns one reference to. */
Tensor **lib_newhandle(lua_State *L);

/* Pushes a vector tensor that takes over data: n doubles allocated with
 * mem_alloc(n * sizeof(double)), n >= 1. When it raises (out of memory),
 * data is still the caller's. */
Tensor *lib_adopttensor(lua_State *L, double *data, size_t n);

/* Runs a garbage collection when memory in use has grown enough since the
 * last one: called after every tensor allocation (see tensorlib.c). */
void lib_gc_charge(lua_State *L);

/* The tensor at idx, contiguous: a view that is not is replaced at idx by a
 * contiguous copy. */
Tensor *lib_contiguous(lua_State *L, int idx, const char *fname);

/* A vector argument: a 1-d tensor, or a Lua table of numbers, which is
 * converted (the new tensor replaces the table at idx). Contiguous, like
 * lib_checkdata. Raises "fname: argname must be ..." otherwise. */
Tensor *lib_checkvector(lua_State *L, int idx, const char *fname, const char *argname);

/* A vector or a matrix, or a (nested) table of numbers, converted like
 * lib_checkvector; a view that is not contiguous is replaced by a copy, so
 * data[0 .. numel-1] are its elements in row-major order. */
Tensor *lib_checkdata(lua_State *L, int idx, const char *fname, const char *argname);

/* After an operation made out (a and b its tensor inputs; b may be NULL):
 * records it for autograd when an input wants a gradient (ag_wanted), else
 * does nothing. Raises on failure (out of memory). */
void lib_record(lua_State *L, Tensor *out, AgOp op, Tensor *a, Tensor *b, const AgAux *aux);

/* tensorops.c: puts the operations into the metatable, the methods table and
 * the module table (absolute stack indices). */
void lib_tensorops_register(lua_State *L, int mt, int methods, int module);

#endif
