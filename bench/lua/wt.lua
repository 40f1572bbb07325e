-- wt.lua: WT5/WT6 in plain Lua 5.4, tables of numbers: the arithmetic of
-- the tensor-expression loop (r = x*w + b - y; cost = mean(r*r);
-- w -= lr*2*mean(r*x); b -= lr*2*mean(r)), per element in one loop, as a
-- plain Lua programmer would write it (no temporary tables).
--   lua5.4 bench/lua/wt.lua [n=100000] [epochs=300] [lr=0.1]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 100000, epochs = 300, lr = 0.1 }
local n, lr = math.tointeger(a.n), a.lr
local x, y = C.data(n)

local w, b, cost = 0.0, 0.0, 0.0
local t0 = C.clock()
for _ = 1, a.epochs do
  local srr, srx, sr = 0.0, 0.0, 0.0
  for i = 1, n do
    local xi = x[i]
    local r = xi * w + b - y[i]
    srr = srr + r * r
    srx = srx + r * xi
    sr = sr + r
  end
  cost = srr / n
  w = w - lr * 2 * (srx / n)
  b = b - lr * 2 * (sr / n)
end
local t1 = C.clock()

io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("w", w)
C.show("b", b)
C.show("cost", cost)
