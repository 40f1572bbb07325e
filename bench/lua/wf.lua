-- wf.lua: WF in plain Lua 5.4, one prediction per call: an object with a
-- forward method (yhat = x*w + b, w = 2, b = 1) at x_i = i * 1e-6 for
-- i = 1 .. n, summed left to right.
--   lua5.4 bench/lua/wf.lua [n=1000000]
local C = dofile((arg[0]:match("^(.*/)") or "./") .. "common.lua")
local a = C.args{ n = 1000000 }
local n = math.tointeger(a.n)

local Model = {}
Model.__index = Model
function Model:forward(x) return x * self.w + self.b end
local m = setmetatable({ w = 2.0, b = 1.0 }, Model)

local t0 = C.clock()
local s = 0.0
for i = 1, n do s = s + m:forward(i * 1e-6) end
local t1 = C.clock()

io.write("seconds=", string.format("%.9f", t1 - t0), "\n")
C.show("sum", s)
