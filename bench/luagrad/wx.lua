-- wx.lua: WX with luagrad, reading every element of a tensor in a Lua
-- loop, x[i] for i = 1 .. n, summed left to right.
--   luagrad bench/luagrad/wx.lua [n=1000000]
-- Timed: the loop. Printed: the sum.
local P = params{ n = 1000000 }
local sys = require("luagrad.sys")
local x = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)

local t0 = sys.clock()
local s = 0.0
for i = 1, #x do s = s + x[i] end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("sum=%.17g", s))
