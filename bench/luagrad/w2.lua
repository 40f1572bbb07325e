-- w2.lua: W2 with luagrad, the MSE of y_hat = w*x + b over a grid of (w, b).
--   luagrad bench/luagrad/w2.lua [n=10000] [grid=201] [method=auto|direct|closed]
-- Timed: the scan. Printed: the method scan.mse used, the smallest MSE,
-- where it is (first in row-major order, w outer) and the sum of the grid.
local P = params{ n = 10000, grid = 201, method = "auto" }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local ws, bs = tensor.linspace(0, 4, P.grid), tensor.linspace(0, 4, P.grid)

local t0 = sys.clock()
local mse, method = scan.mse{ x = x, y = y, w = ws, b = bs, method = P.method }
local t1 = sys.clock()

local bj, bk, best, total = 1, 1, math.huge, 0.0
for j = 1, #ws do
  for k = 1, #bs do
    local v = mse:get(j, k)
    if v < best then bj, bk, best = j, k, v end
    total = total + v
  end
end
print(string.format("seconds=%.9f", t1 - t0))
print("method=" .. tostring(method))
print(string.format("min=%.17g\nargmin_w=%.17g\nargmin_b=%.17g\ntotal=%.17g",
                    best, ws[bj], bs[bk], total))
