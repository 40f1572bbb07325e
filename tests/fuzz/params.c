/* params.c: fuzzes the key=value words of the command line and the sweep's
 * value lists and ranges. Both are parsed in Lua (lua/luagrad/params.lua:
 * convert; lua/luagrad/sweep.lua: values), so the harness makes the same
 * Lua state a script runs in (state_new, with the embedded modules) once,
 * and drives those functions through it; the split of the word at '=' is
 * the host's C (cli_is_assignment, state.c).
 * Input: one command-line word (cut at a NUL, as argv would). When it is an
 * assignment, key and value are split as the host does; otherwise the whole
 * word is the value of a key "k". For a default of each type (integer,
 * float, boolean, string):
 *  - params.convert gives a value of the default's type (a float finite)
 *    or a reason, and the value's canonical text converts back to it;
 *  - sweep.values gives 1 to 10000 canonical texts, each of which the
 *    script's params{} accepts and shows the same way, or refuses with a
 *    usage error (a table {usage = message}): any other error is the
 *    internal traceback a user must never see, and a crash here. */
#include <lauxlib.h>
#include <lua.h>
#include <string.h>

#include "fuzz.h"
#include "host/cli.h"
#include "host/state.h"

static const char harness_lua[] =
"local params = require('luagrad.params')\n"
"local sweep = require('luagrad.sweep')\n"
"local defaults = { 7, 0.5, true, 's' }\n"
"local function same(a, b) return a == b or (a ~= a and b ~= b) end\n"
"return function(key, text)\n"
"  for _, default in ipairs(defaults) do\n"
"    local kind = params.kind(default)\n"
"    local v, expected = params.convert(text, default)\n"
"    if v == nil then\n"
"      assert(type(expected) == 'string', 'convert refused without a reason')\n"
"    else\n"
"      assert(params.kind(v) == kind, ('convert(%q) gave a %s for a %s'):format(text,\n"
"        tostring(params.kind(v)), kind))\n"
"      if kind == 'float' then\n"
"        assert(v == v and math.abs(v) ~= math.huge, 'convert gave ' .. tostring(v))\n"
"      end\n"
"      if kind ~= 'string' then\n"
"        local again = params.convert(params.show(v), default)\n"
"        assert(same(again, v), ('%q -> %s -> %s'):format(text, params.show(v),\n"
"          tostring(again)))\n"
"      end\n"
"    end\n"
"    local ok, texts = pcall(sweep.values, key, text, { kind = kind, default = default })\n"
"    if not ok then\n"
"      if not (type(texts) == 'table' and type(texts.usage) == 'string') then\n"
"        error(('sweep.values(%q, %q) for a %s: internal error: %s'):format(key, text,\n"
"          kind, tostring(texts)), 0)\n"
"      end\n"
"    else\n"
"      assert(#texts >= 1 and #texts <= 10000, #texts .. ' values')\n"
"      for _, t in ipairs(texts) do\n"
"        local w = params.convert(t, default)\n"
"        assert(w ~= nil, ('sweep gives %q, which params{} refuses (%s)'):format(t, kind))\n"
"        if kind ~= 'string' then\n"
"          assert(params.show(w) == t, ('%q is shown %s'):format(t, params.show(w)))\n"
"        end\n"
"      end\n"
"    end\n"
"  end\n"
"end\n";

static lua_State *L;
static int check_ref = LUA_NOREF;

static void close_state(void)
{
    if (L) lua_close(L);
    L = NULL;
}

static void open_state(void)
{
    static char script[] = "fuzz.lua";
    RunConfig rc;
    memset(&rc, 0, sizeof rc);
    rc.script = script;
    rc.out_dir = "/tmp";
    rc.seed = DEFAULT_SEED;
    rc.quiet = 1;
    rc.plot = "none";
    L = state_new(&rc);
    FUZZ_CHECK(L != NULL, "cannot make the Lua state");
    atexit(close_state);
    if (luaL_loadbufferx(L, harness_lua, sizeof harness_lua - 1, "=fuzz/params", "t") != LUA_OK ||
        lua_pcall(L, 0, 1, 0) != LUA_OK)
        FUZZ_CHECK(0, "the harness's Lua: %s", lua_tostring(L, -1));
    check_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int fuzz_params(const uint8_t *data, size_t size)
{
    if (!L) open_state();
    char word[512];
    size_t n = size < sizeof word - 1 ? size : sizeof word - 1;
    memcpy(word, data, n);
    word[n] = '\0';  /* argv words end at the first NUL */
    const char *key = "k", *text = word;
    size_t key_len = 1;
    if (cli_is_assignment(word)) {
        const char *eq = strchr(word, '=');
        key = word;
        key_len = (size_t)(eq - word);
        text = eq + 1;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, check_ref);
    lua_pushlstring(L, key, key_len);
    lua_pushstring(L, text);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        FUZZ_CHECK(0, "%s", msg ? msg : "(an error that is not a string)");
    }
    lua_settop(L, 0);
    return 0;
}

FUZZ_ENTRY(fuzz_params)
