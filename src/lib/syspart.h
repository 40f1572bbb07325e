/* syspart.h: functions of the module luagrad.sys that live in files of
 * their own; luaopen_luagrad_sys (syslib.c) adds them to the module. */
#ifndef LUAGRAD_SYSPART_H
#define LUAGRAD_SYSPART_H

#include <lauxlib.h>

extern const luaL_Reg sys_runinfo_functions[]; /* runinfo.c: sys.sha256, find, cwd, hostname */

#endif
