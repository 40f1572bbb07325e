/* rnglib.c: the Lua module `rng`, luagrad's seeded random numbers (the
 * algorithm is described in src/core/rng.h). The generator is seeded from
 * --seed (luagrad.seed) when the run starts, so a run is repeatable.
 *
 *   rng.seed(n)                     start the sequence again from seed n
 *   rng.uniform() -> x in [0, 1)    rng.uniform(n [, a, b]) -> tensor in [a, b)
 *   rng.normal() -> z               rng.normal(n [, mean, std]) -> tensor
 *   rng.int(a, b) -> an integer from a to b, each equally likely
 *   rng.permutation(n) -> a table holding 1..n in random order
 *
 * fit(..., {shuffle = true}) draws its permutations from this generator too,
 * the same way rng.permutation does. */
#include <lauxlib.h>
#include <limits.h>
#include <math.h>

#include "lib/keys.h"
#include "lib/openers.h"
#include "lib/rnglib.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

#define RNG_KEY "luagrad.rng"

Rng *lib_rng(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, RNG_KEY);
    Rng *r = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return r;  /* the registry keeps it alive */
}

static uint64_t check_seed(lua_State *L, int idx, const char *fname)
{
    lua_Integer s = luaL_checkinteger(L, idx);
    if (s < 0) luaL_error(L, "%s: the seed must be >= 0, got %I", fname, s);
    return (uint64_t)s;
}

static int l_rng_seed(lua_State *L)
{
    rng_seed(lib_rng(L), check_seed(L, 1, "rng.seed"));
    return 0;
}

static size_t check_count(lua_State *L, int idx, const char *fname)
{
    lua_Integer n = luaL_checkinteger(L, idx);
    if (n < 0) luaL_error(L, "%s: n must be >= 0, got %I", fname, n);
    return (size_t)n;
}

static int l_rng_uniform(lua_State *L)
{
    Rng *r = lib_rng(L);
    if (lua_isnoneornil(L, 1)) {
        lua_pushnumber(L, rng_uniform(r));
        return 1;
    }
    size_t n = check_count(L, 1, "rng.uniform");
    double a = luaL_optnumber(L, 2, 0.0), b = luaL_optnumber(L, 3, 1.0);
    lib_check_finite(L, "rng.uniform", "a", &a, 1, 1);
    lib_check_finite(L, "rng.uniform", "b", &b, 1, 1);
    if (!(a < b))
        return luaL_error(L, "rng.uniform: need a < b, got a = %s, b = %s", lib_num(L, a),
                          lib_num(L, b));
    if (!isfinite(b - a))
        return luaL_error(L, "rng.uniform: b - a is too large for a double (a = %s, b = %s)",
                          lib_num(L, a), lib_num(L, b));
    Tensor *t = lib_newtensor(L, "rng.uniform", 1, n, 1);
    for (size_t i = 0; i < n; i++) t->data[i] = a + (b - a) * rng_uniform(r);
    return 1;
}

static int l_rng_normal(lua_State *L)
{
    Rng *r = lib_rng(L);
    if (lua_isnoneornil(L, 1)) {
        lua_pushnumber(L, rng_normal(r));
        return 1;
    }
    size_t n = check_count(L, 1, "rng.normal");
    double mean = luaL_optnumber(L, 2, 0.0), std = luaL_optnumber(L, 3, 1.0);
    lib_check_finite(L, "rng.normal", "mean", &mean, 1, 1);
    lib_check_finite(L, "rng.normal", "std", &std, 1, 1);
    if (!(std >= 0)) return luaL_error(L, "rng.normal: std must be >= 0, got %s", lib_num(L, std));
    Tensor *t = lib_newtensor(L, "rng.normal", 1, n, 1);
    for (size_t i = 0; i < n; i++) t->data[i] = mean + std * rng_normal(r);
    return 1;
}

static int l_rng_int(lua_State *L)
{
    lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);
    if (a > b) return luaL_error(L, "rng.int: need a <= b, got a = %I, b = %I", a, b);
    uint64_t span = (uint64_t)b - (uint64_t)a;
    uint64_t k = span == UINT64_MAX ? rng_next(lib_rng(L)) : rng_below(lib_rng(L), span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)a + k));
    return 1;
}

/* The permutation is made in the Lua table itself, by the same steps as
 * rng_permutation (so fit's shuffles and this agree draw for draw): no
 * scratch memory that a Lua error could leak. */
static int l_rng_permutation(lua_State *L)
{
    size_t n = check_count(L, 1, "rng.permutation");
    if (n > INT_MAX)
        return luaL_error(L, "rng.permutation: n = %I is too many for a Lua table (at most %d)",
                          (lua_Integer)n, INT_MAX);
    Rng *r = lib_rng(L);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushinteger(L, (lua_Integer)i + 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    for (size_t i = n; i > 1; i--) {  /* swap entries i and j+1 (1-based) */
        lua_Integer j = (lua_Integer)rng_below(r, i) + 1;
        lua_rawgeti(L, -1, (lua_Integer)i);
        lua_rawgeti(L, -2, j);
        lua_rawseti(L, -3, (lua_Integer)i);
        lua_rawseti(L, -2, j);
    }
    return 1;
}

static const luaL_Reg rng_functions[] = {
    {"int", l_rng_int},
    {"normal", l_rng_normal},
    {"permutation", l_rng_permutation},
    {"seed", l_rng_seed},
    {"uniform", l_rng_uniform},
    {NULL, NULL}
};

int luaopen_rng(lua_State *L)
{
    Rng *r = lua_newuserdatauv(L, sizeof *r, 0);
    lua_setfield(L, LUA_REGISTRYINDEX, RNG_KEY);
    lua_getfield(L, LUA_REGISTRYINDEX, RUN_KEY);
    lua_getfield(L, -1, "seed");
    rng_seed(r, (uint64_t)lua_tointeger(L, -1));
    lua_pop(L, 2);
    luaL_newlib(L, rng_functions);
    return 1;
}
