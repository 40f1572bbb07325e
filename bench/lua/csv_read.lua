-- csv_read.lua: the CSV workload in plain Lua 5.4, as a user would write it:
-- io.lines, a pattern, tonumber.
--   lua5.4 bench/lua/csv_read.lua file=PATH
local path = (arg[1] or ""):match("^file=(.*)$") or error("usage: csv_read.lua file=PATH", 0)
local t0 = os.clock()
local x, y, n = {}, {}, 0
local lines = io.lines(path)
lines() -- the header
for line in lines do
  local a, b = line:match("^([^,]*),(.*)$")
  n = n + 1
  x[n], y[n] = tonumber(a), tonumber(b)
end
local t1 = os.clock()
local sx, sy = 0, 0
for i = 1, n do sx, sy = sx + x[i], sy + y[i] end
io.write(string.format("seconds=%.9f\nrows=%d\nsum_x=%.17g\nsum_y=%.17g\n", t1 - t0, n, sx, sy))
