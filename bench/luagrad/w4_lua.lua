-- w4_lua.lua: W4 written as a learner writes the loop in Lua: per-sample
-- SGD on y_hat = w*x + b, one epoch in order, w = b = 0 at the start; for
-- each sample the gradient of its squared error (grad.se, left in m.grad)
-- and one optimizer step.
--   luagrad bench/luagrad/w4_lua.lua [n=1000000] [lr=0.01]
-- Timed: the loop. Printed: the final w and b.
local P = params{ n = 1000000, lr = 0.01 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local m = model.affine{ w = 0, b = 0 }
local opt = optim.sgd(m, { lr = P.lr })

local t0 = sys.clock()
for i = 1, #x do
  grad.se(m, x[i], y[i])
  opt:step()
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g", m.w, m.b))
