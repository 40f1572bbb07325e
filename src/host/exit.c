/* exit.c: os.exit for scripts, and the pcall and xpcall that let it through
 * (see exit.h).
 *
 * os.exit(code) does not end the process on the spot: it raises an exit
 * request {exit = code, message = ""}, which unwinds like an error (closing
 * to-be-closed variables) up to the host, which then closes the output
 * files, writes run.json and exits with the code. A script's own pcall or
 * xpcall must not stop that unwinding, so they are replaced by versions that
 * catch errors as usual but raise an exit request again. The request is also
 * kept in the registry, because xpcall's message handler may have turned it
 * into something else (debug.traceback returns a table error as it is, but a
 * handler of the script's may not). */
#include "host/exit.h"

#include <lauxlib.h>

#include "host/script.h"
#include "host/limits.h"
#include "lib/util.h"

#define PENDING "luagrad.exiting"

/* os.exit([code]): true or nothing is 0, false is 1, else the integer. */
static int l_os_exit(lua_State *L)
{
    lua_Integer code;
    if (lua_isnoneornil(L, 1) || (lua_isboolean(L, 1) && lua_toboolean(L, 1))) code = 0;
    else if (lua_isboolean(L, 1)) code = 1;
    else code = luaL_checkinteger(L, 1);
    /* A process exits with code & 255: run.json must say the same. */
    luaL_argcheck(L, code >= 0 && code <= 255, 1, "the exit status must be from 0 to 255");
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, code);
    lua_setfield(L, -2, "exit");
    lua_pushliteral(L, "");
    lua_setfield(L, -2, "message");
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, PENDING);
    return lua_error(L);
}

/* After a failed protected call (error object on top): raises an exit
 * request again, or returns false and the error object. */
static int failed(lua_State *L)
{
    limits_check(L);  /* a timeout is not caught either */
    if (lib_exit_request(L, -1, NULL)) return lua_error(L);
    if (lua_getfield(L, LUA_REGISTRYINDEX, PENDING) != LUA_TNIL) return lua_error(L);
    lua_pop(L, 1);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* The continuation of both calls (also when the called function yields):
 * on success, true and the results; extra is the number of stack slots
 * below the results that are not returned (the handler of xpcall). */
static int finish(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) return failed(L);
    return lua_gettop(L) - (int)extra;
}

/* pcall(f, ...) -> true, results | false, error */
static int l_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);  /* the first result when all goes well */
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish);
    return finish(L, status, 0);
}

/* xpcall(f, handler, ...) -> true, results | false, handler(error) */
static int l_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);  /* stack: f, handler, args..., true */
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);    /* f, handler, true, f, args... */
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish);
    return finish(L, status, 2);
}

/* Calls the standard function (upvalue 1) with the arguments, with co
 * marked as the running thread (for Ctrl-C, src/host/script.c) and
 * unmarked however the call ends. Leaves the results on the stack. */
static void call_in_thread(lua_State *L, lua_State *co)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_State *prev = co ? script_thread_enter(co) : NULL;
    int status = lua_pcall(L, n, LUA_MULTRET, 0);
    if (co) script_thread_leave(L, prev);
    if (status != LUA_OK) lua_error(L);
}

/* coroutine.resume(co, ...): the standard one (upvalue 1), but an exit
 * request inside the coroutine goes on unwinding the caller. */
static int l_resume(lua_State *L)
{
    call_in_thread(L, lua_tothread(L, 1));
    if (lua_toboolean(L, 1) || lua_gettop(L) < 2) return lua_gettop(L);
    lua_settop(L, 2);
    return failed(L);
}

/* coroutine.close(co): runs the coroutine's pending to-be-closed variables,
 * which are Lua code. */
static int l_close(lua_State *L)
{
    call_in_thread(L, lua_tothread(L, 1));
    return lua_gettop(L);
}

/* The function coroutine.wrap returns: the standard one (upvalue 1), whose
 * coroutine is upvalue 2. */
static int l_wrapped(lua_State *L)
{
    call_in_thread(L, lua_tothread(L, lua_upvalueindex(2)));
    return lua_gettop(L);
}

/* coroutine.wrap(f): the standard one (upvalue 1); its result keeps the
 * coroutine it resumes as its first upvalue (Lua 5.4's lcorolib.c). */
static int l_wrap(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    /* not as expected: the standard function as it is */
    if (!lua_getupvalue(L, -1, 1)) return 1;
    if (!lua_isthread(L, -1)) {
        lua_pop(L, 1);
        return 1;
    }
    lua_pushcclosure(L, l_wrapped, 2);
    return 1;
}

void exit_install(lua_State *L)
{
    lua_getglobal(L, "coroutine");
    lua_getfield(L, -1, "resume");
    lua_pushcclosure(L, l_resume, 1);
    lua_setfield(L, -2, "resume");
    lua_getfield(L, -1, "wrap");
    lua_pushcclosure(L, l_wrap, 1);
    lua_setfield(L, -2, "wrap");
    lua_getfield(L, -1, "close");
    lua_pushcclosure(L, l_close, 1);
    lua_setfield(L, -2, "close");
    lua_pop(L, 1);
    lua_getglobal(L, "os");
    lua_pushcfunction(L, l_os_exit);
    lua_setfield(L, -2, "exit");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_pcall);
    lua_setglobal(L, "pcall");
    lua_pushcfunction(L, l_xpcall);
    lua_setglobal(L, "xpcall");
}
