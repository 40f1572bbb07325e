-- w3.lua: W3 with luagrad, full-batch gradient descent on y_hat = w*x + b
-- under the MSE, w = b = 0 at the start.
--   luagrad bench/luagrad/w3.lua [n=1000000] [epochs=100] [lr=0.1]
-- Timed: the fit. Printed: the final w and b.
local P = params{ n = 1000000, epochs = 100, lr = 0.1 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local m = model.affine{ w = 0, b = 0 }

local t0 = sys.clock()
fit(m, x, y, { epochs = P.epochs, lr = P.lr, batch = "full", shuffle = false })
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g", m.w, m.b))
