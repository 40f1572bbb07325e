-- w3.lua: W3 in plain Lua 5.4: full-batch gradient descent on
-- y_hat = w*x + b under the MSE, w = b = 0 at the start.
--   lua5.4 bench/lua/w3.lua [n=1000000] [epochs=100] [lr=0.1]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 1000000, epochs = 100, lr = 0.1 }
local n, lr = math.tointeger(a.n), a.lr
local x, y = C.data(n)

local w, b = 0.0, 0.0
local t0 = C.clock()
for _ = 1, a.epochs do
  local gw, gb = 0.0, 0.0
  for i = 1, n do
    local r = w * x[i] + b - y[i]
    gw = gw + r * x[i]
    gb = gb + r
  end
  w = w - lr * (2 * gw / n)
  b = b - lr * (2 * gb / n)
end
local t1 = C.clock()

io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("w", w)
C.show("b", b)
