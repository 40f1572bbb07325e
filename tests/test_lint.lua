-- tests/test_lint.lua: examples/ pass a Lua checker with no warnings, with
-- luagrad's globals and their fields taken from the editor definitions
-- (lua/types/). The checker is luacheck (Debian's lua-check): Debian 12
-- has no lua-language-server package. A name the definitions do not have
-- (tensor.zerox) is flagged, which shows the definitions are what it reads.
local T = dofile("tests/check.lua")
local defs = require("luagrad.defs")

-- A luacheck configuration: every global of the definitions, read-only,
-- with the fields its module has (tensor's include Tensor's methods:
-- tensor.abs(t) is t:abs()).
local function config()
  local list = defs.builtin()
  local globals = {}
  local function fields_of(g)
    globals[g] = globals[g] or { fields = {} }
    return globals[g].fields
  end
  for _, e in ipairs(list) do
    if e.kind == "class" and e.global and not e.global:find(".", 1, true) then
      fields_of(e.global)
      for _, f in ipairs(e.fields) do fields_of(e.global)[f.name] = { other_fields = true } end
    elseif e.kind == "class" and e.global then  -- nn.Linear: a class of nn
      local mod, name = e.global:match("^(%w+)%.(%w+)$")
      fields_of(mod)[name] = { other_fields = true }
    elseif e.kind == "function" then
      local mod, name = e.name:match("^(%w+)%.([%w_]+)$")
      if e.name:find("^Tensor:") then fields_of("tensor")[e.name:match(":(.*)")] = {}
      elseif mod and mod ~= "lg" then fields_of(mod)[name] = {}
      elseif not e.name:find("[.:]") then globals[e.name] = {} end
    end
  end
  local function show(t, indent)
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys)
    local out = {}
    for _, k in ipairs(keys) do
      local v = t[k]
      local inner = v.fields and ("fields = {\n" .. show(v.fields, indent .. "    ") .. indent .. "  }") or ""
      if v.other_fields then inner = "other_fields = true" end
      out[#out + 1] = string.format("%s[%q] = { %s },\n", indent, k, inner)
    end
    return table.concat(out)
  end
  return "std = \"lua54\"\nread_globals = {\n" .. show(globals, "  ") .. "}\n"
end

local function luacheck(cfg, paths)
  local d = T.tmpdir()
  T.write(d .. "/luacheckrc", cfg)
  return T.sh("luacheck --no-color --formatter plain --config " .. T.quote(d .. "/luacheckrc") .. " " .. paths)
end

T.needs({ "luacheck" }, "luacheck finds nothing in examples/ with the definitions' globals", function()
  local status, out, err = luacheck(config(), "examples/")
  T.eq(out .. err, "", "luacheck's warnings")
  T.eq(status, 0, "luacheck's exit status")
end)

T.needs({ "luacheck" }, "a name the definitions lack is flagged", function()
  local d = T.tmpdir()
  T.write(d .. "/bad.lua", "local t = tensor.zerox(3)\nprint(t, loss.mse)\n")
  local status, out = luacheck(config(), T.quote(d .. "/bad.lua"))
  T.truthy(status ~= 0, "luacheck fails")
  T.contains(out, "bad.lua:1:11: accessing undefined field 'zerox' of global 'tensor'")
end)

T.done()
