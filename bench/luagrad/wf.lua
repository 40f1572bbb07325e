-- wf.lua: WF with luagrad, one prediction per call in a Lua loop:
-- m:forward(x_i) of model.affine{w = 2, b = 1} at x_i = i * 1e-6 for
-- i = 1 .. n, summed left to right.
--   luagrad bench/luagrad/wf.lua [n=1000000]
-- Timed: the loop. Printed: the sum.
local P = params{ n = 1000000 }
local sys = require("luagrad.sys")
local m = model.affine{ w = 2, b = 1 }

local t0 = sys.clock()
local s = 0.0
for i = 1, P.n do s = s + m:forward(i * 1e-6) end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("sum=%.17g", s))
