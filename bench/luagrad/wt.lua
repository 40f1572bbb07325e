-- wt.lua: WT5/WT6 with luagrad, the tensor-expression loop of the tensor
-- issue exactly as a course learner writes it (full-batch gradient descent
-- on y_hat = w*x + b under the MSE, w = b = 0 at the start): every
-- expression makes a new tensor, which the collector frees.
--   luagrad bench/luagrad/wt.lua [n=100000] [epochs=300] [lr=0.1]
-- Timed: the epochs. Printed: the final w, b and the last epoch's cost.
local P = params{ n = 100000, epochs = 300, lr = 0.1 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local epochs, lr = P.epochs, P.lr
local w, b, cost = 0, 0, 0

local t0 = sys.clock()
for e = 1, epochs do
  local r = x * w + b - y
  cost = (r * r):mean()
  w = w - lr * 2 * (r * x):mean(); b = b - lr * 2 * r:mean()
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g\ncost=%.17g", w, b, cost))
