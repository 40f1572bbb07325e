/* optimlib.h: the Optimizer userdata, for fit. */
#ifndef LUAGRAD_OPTIMLIB_H
#define LUAGRAD_OPTIMLIB_H

#include <lua.h>

#include "core/model.h"
#include "core/optim.h"

#define OPTIM_MT "Optimizer"

Optimizer *lib_checkoptim(lua_State *L, int idx);
/* The model the optimizer at idx was made for; raises "fname: the
 * optimizer's model has been closed" when it has been. */
Model *lib_optim_model(lua_State *L, int idx, const char *fname);

/* optimlist.c: pushes an optimizer over the list of tensors at index 1 with
 * configuration c (checked here). */
int lib_optim_list_new(lua_State *L, const char *fname, const OptimConfig *c);
/* Creates its metatable (luaopen_optim calls it). */
void lib_optim_list_register(lua_State *L);

#endif
