-- scalar.lua: W7 with luagrad, scalar autograd as lecture 4 writes it: one
-- sample at a time, one-element tensors w and b requiring gradients,
--   l = (x*w + b - y) * (x*w + b - y)   (four recorded operations)
--   l:backward(); w.data = w.data - lr * w.grad.data; w.grad:zero_()
-- on the seed's data (x, y from data.lua, read as numbers by x[i]).
--   luagrad bench/luagrad/scalar.lua [n=250000] [lr=0.01]
-- n samples: 4n recorded operations, each forward and backward. Timed: the
-- loop. Printed: w, b and the last sample's loss.
local P = params{ n = 250000, lr = 0.01 }
local sys = require("luagrad.sys")
local x_data, y_data = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local w = tensor{ 0 }:requires_grad_()
local b = tensor{ 0 }:requires_grad_()

local t0 = sys.clock()
local l
for i = 1, P.n do
  local x, y = x_data[i], y_data[i]
  local r = x * w + b - y
  l = r * r
  l:backward()
  w.data = w.data - P.lr * w.grad.data
  b.data = b.data - P.lr * b.grad.data
  w.grad:zero_()
  b.grad:zero_()
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("w=%.17g\nb=%.17g\nloss=%.17g", w:item(), b:item(), l:item()))
