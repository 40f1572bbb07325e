/* autogradlib.c: automatic differentiation from Lua, with PyTorch's names
 * (the numerics are src/core/autograd.c and backward.c).
 *
 * On every tensor:
 *   t.requires_grad            read; set (leaves only) to true or false
 *   t:requires_grad_([on])     the same, returns t
 *   t.grad                     the gradient (a tensor) after backward, or nil;
 *                              settable to nil or a tensor of t's shape
 *   t.data                     the values without the graph: a view of the
 *                              same storage that requires no gradient;
 *                              t.data = u copies u's values into t in place
 *   t.is_leaf, t.grad_fn       leaf or not; the operation's name ("MulBackward")
 *   t:detach()                 the same view as t.data
 *   l:backward([{ retain_graph = true }])   l has one element
 * The module `autograd`:
 *   autograd.no_grad(fn, ...)  runs fn with recording off (restored even when
 *                              fn raises); returns fn's results
 *   autograd.is_enabled()      is recording on?
 *   autograd.graph(l)          the graph behind l as a table (for plot.graph):
 *     { nodes = { {op = "MulBackward" or nil, shape = "[2x3]", leaf = bool,
 *                  requires_grad = bool}, ... },  edges = { {from, to}, ... } }
 *     node 1 is l; an edge goes from an input to the operation that used it. */
#include <lauxlib.h>
#include <string.h>

#include "lib/openers.h"
#include "lib/tensorlib.h"
#include "lib/util.h"

/* ---- fields ------------------------------------------------------------- */

static int get_requires_grad(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_pushboolean(L, t->requires_grad || t->node);
    return 1;
}

static void set_flag(lua_State *L, Tensor *t, int on, const char *fname)
{
    if (t->node)
        luaL_error(L, "%s: only a leaf tensor's flag can be changed; this one was made by %s "
                   "(use t:detach() for a copy of its values outside the graph)", fname,
                   ag_op_name((AgOp)ag_op_of(t)));
    t->requires_grad = on;
}

static int set_requires_grad(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (!lua_isboolean(L, 2))
        return luaL_error(L, "t.requires_grad: expected true or false, got %s",
                          luaL_typename(L, 2));
    set_flag(L, t, lua_toboolean(L, 2), "t.requires_grad");
    return 0;
}

static int l_requires_grad_(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    int on = 1;
    if (!lua_isnoneornil(L, 2)) {
        if (!lua_isboolean(L, 2))
            return luaL_error(L, "t:requires_grad_: expected true or false, got %s",
                              luaL_typename(L, 2));
        on = lua_toboolean(L, 2);
    }
    set_flag(L, t, on, "t:requires_grad_");
    lua_settop(L, 1);
    return 1;
}

static int get_grad(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (!t->grad) {
        lua_pushnil(L);
        return 1;
    }
    /* the handle of t.grad is kept in t's user value: t.grad is the same
     * object every time (as in PyTorch), and a loop that reads it per
     * sample makes no garbage */
    if (lua_getiuservalue(L, 1, TENSOR_UV_GRAD) == LUA_TUSERDATA && lib_totensor(L, -1) == t->grad)
        return 1;
    lua_pop(L, 1);
    lib_pushtensor(L, t->grad);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, TENSOR_UV_GRAD);
    return 1;
}

static int set_grad(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    lua_pushnil(L);
    lua_setiuservalue(L, 1, TENSOR_UV_GRAD);  /* get_grad's handle of the old grad */
    if (lua_isnil(L, 2)) {
        tensor_release(t->grad);
        t->grad = NULL;
        return 0;
    }
    Tensor *g = lib_totensor(L, 2);
    char st[64], sg[64];
    if (!g)
        return luaL_error(L, "t.grad: expected nil or a tensor of shape %s, got %s",
                          tensor_shape_text(t, st, sizeof st), luaL_typename(L, 2));
    if (!tensor_same_shape(t, g))
        return luaL_error(L, "t.grad: expected a tensor of shape %s, got shape %s",
                          tensor_shape_text(t, st, sizeof st), tensor_shape_text(g, sg, sizeof sg));
    /* a tensor holding itself as its grad would never be freed */
    if (g == t)
        return luaL_error(L, "t.grad: a tensor cannot be its own grad (use t:clone())");
    /* backward adds into the grad as one contiguous block */
    if (!tensor_is_contiguous(g)) g = lib_contiguous(L, 2, "t.grad");
    tensor_retain(g);
    tensor_release(t->grad);
    t->grad = g;
    return 0;
}

/* A view of t's storage with no graph: t.data and t:detach(). */
static int push_detached(lua_State *L, const char *fname)
{
    Tensor *t = lib_checktensor(L, 1);
    lib_pushview(L, fname, t, t->ndim, t->rows, t->cols, 0, t->rs, t->cs);
    return 1;
}

/* t.data hands out the view it made last while that view is as new: its
 * flag, grad and graph untouched (a view's shape and place never change),
 * so nothing tells it from a fresh one but ==. A loop that reads w.data
 * per sample then makes no garbage. */
static int get_data(lua_State *L)
{
    lib_checktensor(L, 1);
    if (lua_getiuservalue(L, 1, TENSOR_UV_DATA) == LUA_TUSERDATA) {
        Tensor *d = lib_totensor(L, -1);
        if (d && !d->requires_grad && !d->grad && !d->node) return 1;
    }
    lua_pop(L, 1);
    push_detached(L, "t.data");
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, TENSOR_UV_DATA);
    return 1;
}
static int l_detach(lua_State *L) { return push_detached(L, "t:detach"); }

static int set_data(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    Tensor *u = lib_totensor(L, 2);
    char st[64], su[64];
    if (!u)
        return luaL_error(L, "t.data: expected a tensor of shape %s, got %s",
                          tensor_shape_text(t, st, sizeof st), luaL_typename(L, 2));
    if (!tensor_same_shape(t, u))
        return luaL_error(L, "t.data: expected a tensor of shape %s, got shape %s",
                          tensor_shape_text(t, st, sizeof st), tensor_shape_text(u, su, sizeof su));
    if (u->st == t->st) {  /* overlapping views (w.data = w.data:T()): copy first */
        Tensor **h = lib_newhandle(L);
        Err e;
        if (!(*h = tensor_clone(u, &e))) return luaL_error(L, "t.data: %s", e.msg);
        u = *h;
    }
    tensor_copy_into(t, u);
    return 0;
}

static int get_is_leaf(lua_State *L)
{
    lua_pushboolean(L, lib_checktensor(L, 1)->node == NULL);
    return 1;
}

static int get_grad_fn(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    if (t->node) lua_pushstring(L, ag_op_name((AgOp)ag_op_of(t)));
    else lua_pushnil(L);
    return 1;
}

/* ---- backward ------------------------------------------------------------ */

static int l_backward(lua_State *L)
{
    Tensor *t = lib_checktensor(L, 1);
    int retain = 0;
    if (!lua_isnoneornil(L, 2)) {
        static const char *const known[] = {"retain_graph", NULL};
        if (!lua_istable(L, 2))
            return luaL_error(L, "backward: expected a table of options like "
                              "{ retain_graph = true }, got %s", luaL_typename(L, 2));
        lib_check_options(L, 2, "backward", known);
        lua_getfield(L, 2, "retain_graph");
        if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
            return luaL_error(L, "backward: retain_graph must be true or false, got %s",
                              luaL_typename(L, -1));
        retain = lua_toboolean(L, -1);
    }
    Err e;
    if (ag_backward(t, retain, &e) != ST_OK) return luaL_error(L, "backward: %s", e.msg);
    lib_gc_charge(L);
    return 0;
}

/* ---- the module ------------------------------------------------------------ */

static int l_no_grad(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    int was = ag_enabled();
    ag_set_enabled(0);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    ag_set_enabled(was);
    if (status != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

static int l_is_enabled(lua_State *L)
{
    lua_pushboolean(L, ag_enabled());
    return 1;
}

/* Breadth first from l; a Lua table maps each tensor (a light userdata) to
 * its node number, so everything the walk holds belongs to the collector. */
static int l_graph(lua_State *L)
{
    Tensor *root = lib_checktensor(L, 1);
    lua_settop(L, 1);
    lua_newtable(L);  /* 2: tensor -> id */
    lua_newtable(L);  /* 3: nodes */
    lua_newtable(L);  /* 4: edges */
    lua_newtable(L);  /* 5: id -> tensor (light userdata), the queue */
    lua_Integer n = 0, nedges = 0;
    lua_pushlightuserdata(L, root);
    lua_pushinteger(L, ++n);
    lua_rawset(L, 2);
    lua_pushlightuserdata(L, root);
    lua_rawseti(L, 5, n);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 5, k);
        Tensor *t = lua_touserdata(L, -1);
        lua_pop(L, 1);
        char s[64];
        lua_createtable(L, 0, 4);
        if (t->node) {
            lua_pushstring(L, ag_op_name((AgOp)ag_op_of(t)));
            lua_setfield(L, -2, "op");
        }
        lua_pushstring(L, tensor_shape_text(t, s, sizeof s));
        lua_setfield(L, -2, "shape");
        lua_pushboolean(L, t->node == NULL);
        lua_setfield(L, -2, "leaf");
        lua_pushboolean(L, t->requires_grad || t->node);
        lua_setfield(L, -2, "requires_grad");
        lua_pushboolean(L, t->graph_freed);
        lua_setfield(L, -2, "freed");
        lua_rawseti(L, 3, k);
        for (int i = 0; i < 2; i++) {
            Tensor *x = ag_input(t, i);
            if (!x) continue;
            lua_pushlightuserdata(L, x);
            lua_Integer id;
            if (lua_rawget(L, 2) == LUA_TNUMBER) {
                id = lua_tointeger(L, -1);
            } else {
                id = ++n;
                lua_pushlightuserdata(L, x);
                lua_pushinteger(L, id);
                lua_rawset(L, 2);
                lua_pushlightuserdata(L, x);
                lua_rawseti(L, 5, id);
            }
            lua_pop(L, 1);
            lua_createtable(L, 2, 0);
            lua_pushinteger(L, id);
            lua_rawseti(L, -2, 1);
            lua_pushinteger(L, k);
            lua_rawseti(L, -2, 2);
            lua_rawseti(L, 4, ++nedges);
        }
    }
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "nodes");
    lua_pushvalue(L, 4);
    lua_setfield(L, -2, "edges");
    return 1;
}

static const luaL_Reg fields[] = {
    {"data", get_data},
    {"grad", get_grad},
    {"grad_fn", get_grad_fn},
    {"is_leaf", get_is_leaf},
    {"requires_grad", get_requires_grad},
    {NULL, NULL}
};

static const luaL_Reg setters[] = {
    {"data", set_data},
    {"grad", set_grad},
    {"requires_grad", set_requires_grad},
    {NULL, NULL}
};

static const luaL_Reg methods[] = {
    {"backward", l_backward},
    {"detach", l_detach},
    {"requires_grad_", l_requires_grad_},
    {NULL, NULL}
};

static const luaL_Reg functions[] = {
    {"graph", l_graph},
    {"is_enabled", l_is_enabled},
    {"no_grad", l_no_grad},
    {NULL, NULL}
};

int luaopen_autograd(lua_State *L)
{
    if (luaL_getmetatable(L, TENSOR_MT) != LUA_TTABLE)
        return luaL_error(L, "autograd: the tensor module must be opened first");
    lua_getfield(L, -1, "fields");
    luaL_setfuncs(L, fields, 0);
    lua_getfield(L, -2, "setters");
    luaL_setfuncs(L, setters, 0);
    lua_getfield(L, -3, "methods");
    luaL_setfuncs(L, methods, 0);
    lua_pop(L, 4);
    luaL_newlib(L, functions);
    return 1;
}
