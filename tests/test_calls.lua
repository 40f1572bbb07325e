-- tests/test_calls.lua: the calls a loop written in Lua makes once per
-- sample (x[i], grad.se, opt:step, m:forward) and the data checks of
-- loss.mse and grad.mse, which scan for inf and nan only when their result
-- is not finite: every way of writing a bad value into the data must still
-- be reported by name. Expected values are set here or worked by hand.
local T = dofile("tests/check.lua")

T.test("x[i]: vectors, strided views, float keys equal to integers", function()
  local x = tensor{ 1.5, -2, 3.25 }
  T.eq(x[1], 1.5, "x[1]")
  T.eq(x[3], 3.25, "x[3]")
  T.eq(x[2.0], -2.0, "x[2.0] is x[2]")
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  local c = m:col(2)              -- a view with a stride of 3
  T.eq(c[1], 2.0, "col(2)[1]")
  T.eq(c[2], 5.0, "col(2)[2]")
  local r = m:T():row(3)          -- transposed: stride 3 again
  T.eq(r[2], 6.0, "T():row(3)[2]")
  T.eq(x:narrow(1, 2, 2)[2], 3.25, "narrow(1, 2, 2)[2]")
end)

T.test("x[i]: bounds, types and closed tensors say what is wrong", function()
  local x = tensor{ 1, 2, 3 }
  T.raises(function() return x[0] end, "tensor: index 0 is out of range 1..3")
  T.raises(function() return x[4] end, "tensor: index 4 is out of range 1..3")
  T.raises(function() return x[-1] end, "tensor: index -1 is out of range 1..3")
  T.raises(function() return x[math.mininteger] end, "is out of range 1..3")
  T.raises(function() return x[1.5] end, "number has no integer representation")
  T.raises(function() return x["1"] end, "tensor: no method or field '1'")
  T.raises(function() return tensor{ { 1, 2 } }[1] end, "t[i] is for vectors; this is a 1x2 matrix")
  T.raises(function() return tensor.zeros(0)[1] end, "index 1 is out of range 1..0")
  local c
  do
    local t <close> = tensor{ 1, 2 }
    c = t
  end
  T.raises(function() return c[1] end, "tensor has been closed")
  -- __index called on something that is not a tensor: an error, not a crash
  local index = getmetatable(x).__index
  T.raises(function() return index({}, 1) end, "Tensor expected, got table")
  T.raises(function() return index(io.stdout, 1) end, "Tensor expected")
  T.raises(function() return index(model.linear{ w = 1 }, 1) end, "Tensor expected")
end)

-- The message loss.mse and grad.mse give for x after write(x) puts a bad
-- value at x[k]; both must name it.
local function check_reported(write, k, kind)
  local m = model.affine{ w = 1, b = 0 }
  local x, y = tensor{ 1, 2, 3, 4 }, tensor{ 2, 4, 6, 8 }
  T.eq(loss.mse(m, x, y), 7.5, "loss before: r = -x, (1+4+9+16)/4")
  write(x)
  local want = string.format("x[%d] is %s", k, kind)
  T.raises(function() return loss.mse(m, x, y) end, "loss.mse: " .. want)
  T.raises(function() return grad.mse(m, x, y) end, "grad.mse: " .. want)
  T.raises(function() return loss.mse(x, y) end, "loss.mse: yhat[" .. k .. "] is " .. kind)
  T.raises(function() return fit(m, x, y, { epochs = 1, lr = 0.1 }) end, "fit: " .. want)
end

T.test("data checks see values written by x[i] = v", function()
  check_reported(function(x) x[3] = 0 / 0 end, 3, "nan")
  check_reported(function(x) x[1] = math.huge end, 1, "inf")
  check_reported(function(x) x[4] = -math.huge end, 4, "-inf")
end)

T.test("data checks see values written through views", function()
  check_reported(function(x) x:narrow(1, 2, 3)[2] = 0 / 0 end, 3, "nan")
  check_reported(function(x) x:reshape(2, 2):set(2, 1, math.huge) end, 3, "inf")
  check_reported(function(x) x:reshape(2, 2):col(2):fill_(0 / 0) end, 2, "nan")
end)

T.test("data checks see values written by in-place operations and copy_", function()
  check_reported(function(x) x:mul_(math.huge) end, 1, "inf")
  check_reported(function(x) x:narrow(1, 4, 1):add_(0 / 0) end, 4, "nan")
  check_reported(function(x) x:copy_(tensor{ 1, 2, 3, 1 / 0 }) end, 4, "inf")
  check_reported(function(x) x:div_(0) end, 1, "inf")
end)

T.test("a check that passed does not hide a later write", function()
  local m = model.linear{ w = 2 }
  local x, y = tensor{ 1, 2 }, tensor{ 2, 4 }
  T.eq(loss.mse(m, x, y), 0.0, "perfect fit")
  T.eq(grad.mse(m, x, y).w, 0.0, "zero gradient")
  y[2] = 0 / 0
  T.raises(function() return loss.mse(m, x, y) end, "loss.mse: y[2] is nan")
  T.raises(function() return grad.mse(m, x, y) end, "grad.mse: y[2] is nan")
  y[2] = 4
  T.eq(loss.mse(m, x, y), 0.0, "fixed again")
end)

T.test("bad data: the data's message first, the parameter's next, overflow last", function()
  local x, y = tensor{ 1, 2 }, tensor{ 1, 2 }
  local m = model.affine{ w = 1, b = 0 }
  m.grad.w, m.grad.b = 7, 8
  x[2] = 0 / 0
  T.raises(function() return grad.mse(m, x, y) end, "grad.mse: x[2] is nan")
  T.eq(m.grad.w, 7.0, "m.grad.w unchanged by the failed call")
  T.eq(m.grad.b, 8.0, "m.grad.b unchanged by the failed call")
  x[2] = 2
  local big = model.affine{ w = 1e200, b = 0 }
  T.raises(function() return loss.mse(big, x, y) end, "loss.mse: the loss overflowed to inf")
  T.raises(function() return loss.mse(tensor{ 1e200 }, tensor{ -1e200 }) end,
    "loss.mse: the loss overflowed to inf")
end)

T.test("grad.se: 2x(yhat - y) and 2(yhat - y), the bits grad.mse gives on one sample", function()
  math.randomseed(7)
  for _ = 1, 200 do
    local w, b = math.random() * 6 - 3, math.random() * 6 - 3
    local x, y = math.random() * 10 - 5, math.random() * 10 - 5
    local m = model.affine{ w = w, b = b }
    local g = grad.se(m, x, y)
    local r = x * w + b - y      -- by hand: the residual, then the two derivatives
    T.near(g.w, 2 * r * x, 1e-12 * math.max(1, math.abs(2 * r * x)), "dw")
    T.near(g.b, 2 * r, 1e-12 * math.max(1, math.abs(2 * r)), "db")
    local gm = grad.mse(m, tensor{ x }, tensor{ y })
    T.eq(g.w, gm.w, "grad.se w = grad.mse w on one sample")
    T.eq(g.b, gm.b, "grad.se b = grad.mse b on one sample")
    T.eq(m.grad.b, gm.b, "left in m.grad")
    local lin = model.linear{ w = w }
    T.eq(grad.se(lin, x, y).w, grad.mse(lin, tensor{ x }, tensor{ y }).w, "linear")
    T.eq(grad.se(lin, x, y).b, nil, "a linear model's gradient has no b")
  end
  local mm = model.multi{ inputs = 2, w = { 0.5, -1.5 }, b = 0.25 }
  local g = grad.se(mm, { 2, 3 }, 1)
  -- yhat = 1 - 4.5 + 0.25 = -3.25; r = -4.25
  T.eq(g.w[1], -17.0, "multi dw1 = 2 * 2 * -4.25")
  T.eq(g.w[2], -25.5, "multi dw2 = 2 * 3 * -4.25")
  T.eq(g.b, -8.5, "multi db = 2 * -4.25")
  -- each call returns its own table: an earlier result keeps its values
  local m = model.linear{ w = 1 }
  local g1 = grad.se(m, 1, 0)
  local g2 = grad.se(m, 2, 0)
  T.eq(g1.w, 2.0, "first result kept")
  T.eq(g2.w, 8.0, "second result")
  T.truthy(g1 ~= g2, "two tables")
end)

T.test("per-sample SGD in Lua: the course's updates, step by step", function()
  -- yhat = w*x + b from 0, lr 0.1, samples (1, 3) then (2, 5):
  --   r = 0 - 3 = -3: w = 0 - 0.1*2*(-3)*1 = 0.6, b = 0 - 0.1*2*(-3) = 0.6
  --   r = 0.6*2 + 0.6 - 5 = -3.2: w = 0.6 + 0.1*6.4*2 = 1.88, b = 0.6 + 0.64 = 1.24
  local m = model.affine{ w = 0, b = 0 }
  local opt = optim.sgd(m, { lr = 0.1 })
  local x, y = tensor{ 1, 2 }, tensor{ 3, 5 }
  for i = 1, #x do
    grad.se(m, x[i], y[i])
    opt:step()
  end
  T.near(m.w, 1.88, 1e-15, "w")
  T.near(m.b, 1.24, 1e-15, "b")
  T.eq(opt.steps, 2, "opt.steps")
  T.eq(opt.lr, 0.1, "opt.lr")
  T.truthy(opt.model == m, "opt.model")
  T.raises(function() return opt.stepz end, "optimizer: no field 'stepz'")
  T.raises(function() return opt[1] end, "optimizer: no field '1'")
  T.eq(m:forward(2), 1.88 * 2 + 1.24, "m:forward after the updates")
  T.raises(function() return m.forwardz end, "model: no field 'forwardz'")
  local closed
  do
    local c <close> = model.linear{ w = 1 }
    closed = c
  end
  local f = getmetatable(closed).methods.forward
  T.raises(function() return f(closed, 1) end, "model has been closed")
  T.raises(function() return closed:forward(1) end, "model has been closed")
end)

T.done()
