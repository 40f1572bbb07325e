/* scanlib.c: the Lua module `scan`, the MSE over a grid of parameters (the
 * course's loss curve and loss surface; see src/core/scan.h).
 *
 *   local mse, how = scan.mse{ x = xs, y = ys, w = ws }            -- linear
 *   local mse, how = scan.mse{ x = xs, y = ys, w = ws, b = bs }    -- affine
 *
 * ws and bs are tensors (or tables) of parameter values, e.g.
 * tensor.range(0, 4, 0.1). The result is a vector (one MSE per w) or a matrix
 * [#ws x #bs] whose row i, column j is the MSE at (ws[i], bs[j]). `how` says
 * which way it was computed: "direct" (every point over every sample) or
 * "closed" (from the quadratic's coefficients). method = "direct" or
 * "closed" forces one; the default "auto" takes closed for large work. */
#include <lauxlib.h>
#include <string.h>

#include "core/scan.h"
#include "lib/openers.h"
#include "lib/progress.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

/* From this many grid-point-samples (some 0.1 s) a direct scan shows progress. */
#define SCAN_PROGRESS_FROM ((size_t)1 << 26)

static int l_scan_mse(lua_State *L)
{
    static const char *const known[] = {"x", "y", "w", "b", "method", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lib_check_options(L, 1, "scan.mse", known);
    lua_settop(L, 1);
    lua_getfield(L, 1, "x");  /* 2 */
    lua_getfield(L, 1, "y");  /* 3 */
    lua_getfield(L, 1, "w");  /* 4 */
    lua_getfield(L, 1, "b");  /* 5 */
    lua_getfield(L, 1, "method");
    Tensor *x = lib_checkvector(L, 2, "scan.mse", "x");
    Tensor *y = lib_checkvector(L, 3, "scan.mse", "y");
    Tensor *ws = lib_checkvector(L, 4, "scan.mse", "w");
    int affine = !lua_isnil(L, 5);
    Tensor *bs = affine ? lib_checkvector(L, 5, "scan.mse", "b") : NULL;
    if (y->rows != x->rows)
        return luaL_error(L, "scan.mse: y has %I elements, expected %I (like x)",
                          (lua_Integer)y->rows, (lua_Integer)x->rows);
    ScanMethod method = SCAN_AUTO;
    if (!lua_isnil(L, 6) && lua_type(L, 6) != LUA_TSTRING)
        return luaL_error(L, "scan.mse: method must be \"auto\", \"direct\" or \"closed\", got %s",
                          luaL_typename(L, 6));
    const char *mname = luaL_optstring(L, 6, "auto");
    if (strcmp(mname, "direct") == 0) method = SCAN_DIRECT;
    else if (strcmp(mname, "closed") == 0) method = SCAN_CLOSED;
    else if (strcmp(mname, "auto") != 0)
        return luaL_error(L, "scan.mse: method must be \"auto\", \"direct\" or \"closed\", got '%s'",
                          mname);
    if (x->rows == 0) return luaL_error(L, "scan.mse: the data is empty");
    lib_check_finite(L, "scan.mse", "x", x->data, x->rows, 0);
    lib_check_finite(L, "scan.mse", "y", y->data, y->rows, 0);
    lib_check_finite(L, "scan.mse", "w", ws->data, ws->rows, 0);
    if (affine) lib_check_finite(L, "scan.mse", "b", bs->data, bs->rows, 0);
    size_t nb = affine ? bs->rows : 1;
    Tensor *out = lib_newtensor(L, "scan.mse", affine ? 2 : 1, ws->rows, nb);
    ScanMethod used;
    Err e;
    /* A long direct scan goes in slices of rows of w, for the progress line;
     * each grid point is computed on its own, so the numbers are the same. */
    size_t n = x->rows, nw = ws->rows, points = nw * nb;
    size_t work = points > (size_t)-1 / n ? (size_t)-1 : points * n;
    int direct = method == SCAN_DIRECT || (method == SCAN_AUTO && work < SCAN_CLOSED_FROM);
    size_t step = direct && work >= SCAN_PROGRESS_FROM && nw >= 2 ? (nw + 99) / 100 : nw;
    for (size_t r = 0; r < nw; r += step) {
        size_t rows = nw - r < step ? nw - r : step;
        if (scan_mse(affine ? MODEL_AFFINE : MODEL_LINEAR, x->data, y->data, n, ws->data + r,
                     rows, affine ? bs->data : NULL, nb, method, out->data + r * nb, &used,
                     &e) != ST_OK) {
            progress_end();
            return luaL_error(L, "scan.mse: %s", e.msg);
        }
        if (step < nw) progress_step("scan.mse", (double)(r + rows), (double)nw, NULL, NULL);
    }
    lua_pushstring(L, used == SCAN_CLOSED ? "closed" : "direct");
    return 2;
}

static const luaL_Reg scan_functions[] = {
    {"mse", l_scan_mse},
    {NULL, NULL}
};

int luaopen_scan(lua_State *L)
{
    luaL_newlib(L, scan_functions);
    return 1;
}
