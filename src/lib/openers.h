/* openers.h: the luaopen_ function of each C module in src/lib/. */
#ifndef LUAGRAD_OPENERS_H
#define LUAGRAD_OPENERS_H

#include <lua.h>

int luaopen_luagrad_sys(lua_State *L);
int luaopen_tensor(lua_State *L);

#endif
