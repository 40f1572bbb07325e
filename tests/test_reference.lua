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

-- An example with "--> value" in a definition is a claim: run it. The code
-- before the last ";" runs as statements, the rest is the expression whose
-- value is shown; numbers compare as numbers (6 and 6.0 are the same).
T.test("every example with a --> result gives that result", function()
  local files = {}
  for name in io.popen("ls lua/types/*.lua"):lines() do files[#files + 1] = name end
  local n = 0
  for _, path in ipairs(files) do
    for line in io.lines(path) do
      local code, want = line:match("^%-%-%-Example: `(.-)%s*%-%->%s*(.-)`%s*$")
      if code then
        n = n + 1
        local stmts, expr = code:match("^(.*;)%s*(.-)$")
        local chunk = assert(load((stmts or "") .. " return " .. (expr or code), "=example", "t",
          setmetatable({}, { __index = _G })))
        local got = chunk()
        local same = tonumber(want) and got == tonumber(want) or tostring(got) == want
        T.truthy(same, string.format("%s: %s gave %s, the definition says %s", path, code,
          tostring(got), want))
      end
    end
  end
  T.truthy(n >= 20, n .. " examples")
end)

T.done()
