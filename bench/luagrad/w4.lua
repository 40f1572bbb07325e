-- w4.lua: W4 with luagrad, per-sample SGD on y_hat = w*x + b, one epoch in
-- order, w = b = 0 at the start.
--   luagrad bench/luagrad/w4.lua [n=1000000] [lr=0.01]
-- Timed: the fit. Printed: the final w and b.
local P = params{ n = 1000000, lr = 0.01 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local m = model.affine{ w = 0, b = 0 }

local t0 = sys.clock()
fit(m, x, y, { epochs = 1, lr = P.lr, batch = 1, shuffle = false })
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g", m.w, m.b))
