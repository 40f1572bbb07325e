-- wx.lua: WX in plain Lua 5.4, reading every element of a table of numbers
-- in a loop, x[i] for i = 1 .. n, summed left to right.
--   lua5.4 bench/lua/wx.lua [n=1000000]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 1000000 }
local x = C.data(math.tointeger(a.n))

local t0 = C.clock()
local s = 0.0
for i = 1, #x do s = s + x[i] end
local t1 = C.clock()

io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("sum", s)
