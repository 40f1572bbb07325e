-- w2_agree.lua: does scan.mse's closed form agree with its direct
-- evaluation at every point of the W2 grid? Prints the largest relative
-- difference (target: at most 1e-9) and the methods scan.mse reported.
--   luagrad bench/luagrad/w2_agree.lua [n=10000] [grid=201]
local P = params{ n = 10000, grid = 201 }
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local ws, bs = tensor.linspace(0, 4, P.grid), tensor.linspace(0, 4, P.grid)

local direct, m1 = scan.mse{ x = x, y = y, w = ws, b = bs, method = "direct" }
local closed, m2 = scan.mse{ x = x, y = y, w = ws, b = bs, method = "closed" }
local _, auto = scan.mse{ x = x, y = y, w = ws, b = bs }
local worst = 0.0
for j = 1, #ws do
  for k = 1, #bs do
    local d, c = direct:get(j, k), closed:get(j, k)
    worst = math.max(worst, math.abs(d - c) / math.max(math.abs(d), math.abs(c)))
  end
end
print("direct_method=" .. tostring(m1))
print("closed_method=" .. tostring(m2))
print("auto_method=" .. tostring(auto))
print(string.format("max_rel_diff=%.3g", worst))
