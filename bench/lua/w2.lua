-- w2.lua: W2 in plain Lua 5.4, the way a user would write it without
-- luagrad: the MSE of y_hat = w*x + b at every (w, b) of a grid.
--   lua5.4 bench/lua/w2.lua [n=10000] [grid=201]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 10000, grid = 201 }
local n, g = math.tointeger(a.n), math.tointeger(a.grid)
local x, y = C.data(n)
local ws, bs = {}, {}
local step = 4 / (g - 1)                 -- linspace(0, 4, g), last exactly 4
for k = 1, g do ws[k] = (k - 1) * step; bs[k] = (k - 1) * step end
ws[g], bs[g] = 4.0, 4.0

local t0 = C.clock()
local mse = {}
for j = 1, g do
  local w = ws[j]
  for k = 1, g do
    local b, s = bs[k], 0.0
    for i = 1, n do
      local d = w * x[i] + b - y[i]
      s = s + d * d
    end
    mse[(j - 1) * g + k] = s / n
  end
end
local t1 = C.clock()

local best, total = 1, 0.0
for p = 1, g * g do
  if mse[p] < mse[best] then best = p end
  total = total + mse[p]
end
io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("min", mse[best])
C.show("argmin_w", ws[(best - 1) // g + 1])
C.show("argmin_b", bs[(best - 1) % g + 1])
C.show("total", total)
