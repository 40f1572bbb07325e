-- w4.lua: W4 in plain Lua 5.4: per-sample SGD on y_hat = w*x + b, one
-- epoch in order, w = b = 0 at the start.
--   lua5.4 bench/lua/w4.lua [n=1000000] [lr=0.01]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 1000000, lr = 0.01 }
local n, lr = math.tointeger(a.n), a.lr
local x, y = C.data(n)

local w, b = 0.0, 0.0
local t0 = C.clock()
for i = 1, n do
  local r = w * x[i] + b - y[i]
  w = w - lr * (2 * r * x[i])
  b = b - lr * (2 * r)
end
local t1 = C.clock()

io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("w", w)
C.show("b", b)
