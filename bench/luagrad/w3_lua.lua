-- w3_lua.lua: W3 written as a learner writes the loop in Lua: full-batch
-- gradient descent on y_hat = w*x + b under the MSE, w = b = 0 at the
-- start; each epoch the cost (loss.mse, as the course prints it), the
-- gradient (grad.mse, left in m.grad) and one optimizer step.
--   luagrad bench/luagrad/w3_lua.lua [n=1000000] [epochs=100] [lr=0.1]
-- Timed: the epochs. Printed: the final w and b, the last epoch's cost.
local P = params{ n = 1000000, epochs = 100, lr = 0.1 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local m = model.affine{ w = 0, b = 0 }
local opt = optim.sgd(m, { lr = P.lr })

local t0 = sys.clock()
local cost
for _ = 1, P.epochs do
  cost = loss.mse(m, x, y)
  grad.mse(m, x, y)
  opt:step()
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g", m.w, m.b))
