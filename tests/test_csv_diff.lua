-- tests/test_csv_diff.lua: the CSV reader against Python's csv module on
-- 2000 generated files (tests/csv_diff.py says how). Needs /usr/bin/python3
-- (the system's, not whatever python3 is first on PATH); skipped without it.
local T = dofile("tests/check.lua")

local PYTHON = "/usr/bin/python3"
local f = io.open(PYTHON, "rb")
if f then f:close() end

local name = "csv.read agrees with Python's csv module on 2000 generated files"
if not f then
  T.skip(name, "needs " .. PYTHON .. ", not found (Debian: apt-get install python3)")
else
  T.test(name, function()
    local d = T.tmpdir()
    local st, out, err = T.sh(string.format("%s tests/csv_diff.py %s %s", PYTHON,
      T.quote(T.luagrad), T.quote(d)))
    io.stdout:write(out:match("^# csv_diff:[^\n]*\n") or "")
    if st ~= 0 then error("tests/csv_diff.py failed:\n" .. out .. err, 0) end
  end)
end

T.done()
