-- doc/gendoc.lua: writes doc/reference.md, the reference of every Lua
-- function of luagrad, from the editor definitions (lua/types/*.lua, as
-- built into the binary; read by lua/luagrad/defs.lua, the reader help()
-- uses). Run by make doc:
--
--   build/luagrad -q --out build/gendoc doc/gendoc.lua > doc/reference.md
--
-- tests/test_reference.lua checks that the committed file equals what this
-- prints, so the reference and the definitions cannot drift.
local defs = require("luagrad.defs")
local list = defs.builtin()
local w = function(...) io.stdout:write(...) end

local function cell(s) return (s or ""):gsub("|", "\\|") end

local function function_section(e)
  w("### `", defs.signature(e), "`\n\n")
  for _, line in ipairs(e.text) do w(line, "\n") end
  w("\n")
  if #e.params > 0 then
    w("| parameter | type | |\n|---|---|---|\n")
    for _, p in ipairs(e.params) do
      w("| `", p.name, p.optional and "` (optional)" or "`", " | `", cell(p.type), "` | ", cell(p.desc), " |\n")
    end
    w("\n")
  end
  for _, r in ipairs(e.returns) do
    w("Returns `", cell(r.type), "`", r.name ~= "" and (" " .. r.name) or "", r.desc ~= "" and (": " .. r.desc) or "", ".\n\n")
  end
end

local function class_section(e, level)
  w(level, " ", e.global and ("`" .. e.global .. "`") or ("`" .. e.name .. "`"), "\n\n")
  for _, line in ipairs(e.text) do w(line, "\n") end
  w("\n")
  if #e.fields > 0 then
    w("| field | type | |\n|---|---|---|\n")
    for _, f in ipairs(e.fields) do
      w("| `", f.name, "` | `", cell(f.type), "` | ", cell(f.desc), " |\n")
    end
    w("\n")
  end
end

w([[
# luagrad reference

Every Lua function of luagrad: its signature, what it computes (with the
formula where there is one), the errors it raises and an example. Generated
by `make doc` (doc/gendoc.lua) from the editor definitions in `lua/types/`,
which the Lua language server and `help()` at the prompt read too: edit
those, not this file.

A method `Tensor:f(...)` is also the module function `tensor.f(t, ...)`.
In the Lua module (`local lg = require "luagrad"` in a stock lua5.4) every
module is a field of `lg` (`lg.tensor`, `lg.loss`, ...); see `lg.outdir` and
`lg.globals` under luagrad.

]])

-- One section per file, in file order: its module first, then its classes
-- and functions in the order they are defined.
local files, seen = {}, {}
for _, e in ipairs(list) do
  if not seen[e.file] then seen[e.file] = true; files[#files + 1] = e.file end
end
w("Contents: ")
for i, f in ipairs(files) do
  local name = f:gsub("%.lua$", "")
  w(i > 1 and ", " or "", "[", name, "](#", name, ")")
end
w("\n\n")
for _, f in ipairs(files) do
  w("## ", (f:gsub("%.lua$", "")), "\n\n")
  for _, e in ipairs(list) do
    if e.file == f then
      if e.kind == "class" then class_section(e, "####")
      else function_section(e) end
    end
  end
end
