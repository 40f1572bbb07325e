/* tensorjoin.h: the second half of the tensor operations (tensorjoin.c). */
#ifndef LUAGRAD_TENSORJOIN_H
#define LUAGRAD_TENSORJOIN_H

#include <lua.h>

/* Puts matmul, index and the in-place methods into the methods table and,
 * with stack and cat, into the module table (absolute stack indices). */
void lib_tensorjoin_register(lua_State *L, int methods, int module);

#endif
