-- tests/test_reference.lua: doc/reference.md is what doc/gendoc.lua makes
-- from the editor definitions (make doc), so the two cannot drift.
local T = dofile("tests/check.lua")

T.test("doc/reference.md equals what make doc generates from lua/types/", function()
  local status, out, err = T.run({ "-q", "--out", T.tmpdir(), "doc/gendoc.lua" })
  T.eq(status, 0, err)
  local committed = T.slurp("doc/reference.md")
  if out ~= committed then
    local n = 1
    local got, want = {}, {}
    for l in out:gmatch("[^\n]*") do got[#got + 1] = l end
    for l in committed:gmatch("[^\n]*") do want[#want + 1] = l end
    while got[n] == want[n] and n <= #got do n = n + 1 end
    error(string.format("doc/reference.md is out of date (run make doc); first difference at line %d:\n"
      .. "  generated: %s\n  committed: %s", n, tostring(got[n]), tostring(want[n])), 0)
  end
end)

T.test("the reference covers every function definition, with errors and an example", function()
  local ref = T.slurp("doc/reference.md")
  local n = 0
  for _, e in ipairs(require("luagrad.defs").builtin()) do
    if e.kind == "function" then
      n = n + 1
      T.contains(ref, "### `" .. require("luagrad.defs").signature(e) .. "`")
    end
  end
  T.truthy(n > 100, n .. " functions")
  T.contains(ref, "Formula: `mse = (1/n) sum_i (yhat_i - y_i)^2`")
end)

T.done()
