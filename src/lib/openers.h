/* openers.h: the luaopen_ function of each C module in src/lib/. */
#ifndef LUAGRAD_OPENERS_H
#define LUAGRAD_OPENERS_H

#include <lua.h>

int luaopen_csv(lua_State *L);
int luaopen_luagrad_sys(lua_State *L);
int luaopen_tensor(lua_State *L);
int luaopen_autograd(lua_State *L);
int luaopen_luagrad_nnc(lua_State *L);
int luaopen_rng(lua_State *L);
int luaopen_model(lua_State *L);
int luaopen_loss(lua_State *L);
int luaopen_grad(lua_State *L);
int luaopen_optim(lua_State *L);
int luaopen_fit(lua_State *L);
int luaopen_scan(lua_State *L);
int luaopen_progress(lua_State *L);

#endif
