/* tensorlib.h: the Tensor userdata, for the other C modules. */
#ifndef LUAGRAD_TENSORLIB_H
#define LUAGRAD_TENSORLIB_H

#include <lua.h>

#include "core/tensor.h"

#define TENSOR_MT "Tensor"

/* The tensor at idx, or a "bad argument" error (closed tensors too). */
Tensor *lib_checktensor(lua_State *L, int idx);

/* The tensor at idx, or NULL when it is not one (or is closed). */
Tensor *lib_totensor(lua_State *L, int idx);

/* Pushes a new zero-filled tensor; raises "fname: reason" on failure. */
Tensor *lib_newtensor(lua_State *L, const char *fname, int ndim, size_t rows, size_t cols);

/* Pushes a vector tensor that takes over data: n doubles allocated with
 * mem_alloc(n * sizeof(double)), n >= 1. When it raises (out of memory),
 * data is still the caller's. */
Tensor *lib_adopttensor(lua_State *L, double *data, size_t n);

/* A vector argument: a 1-d tensor, or a Lua table of numbers, which is
 * converted (the new tensor replaces the table at idx). Raises
 * "fname: argname must be ..." otherwise. */
Tensor *lib_checkvector(lua_State *L, int idx, const char *fname, const char *argname);

/* A vector or a matrix, or a (nested) table of numbers, converted like
 * lib_checkvector. */
Tensor *lib_checkdata(lua_State *L, int idx, const char *fname, const char *argname);

#endif
