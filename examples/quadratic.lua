-- quadratic.lua: lecture 4's exercise, backpropagation through a model with
-- three parameters: yhat = w1*x^2 + w2*x + b.
--
-- Data y = 2x (x = 1, 2, 3), start at w1 = w2 = b = 1. For each sample:
--   l = (w1*x^2 + w2*x + b - y)^2, l:backward()
--   each parameter p: p.data = p.data - lr * p.grad.data, p.grad:zero_()
-- Each epoch prints "progress:" and writes epoch, w1, w2, b (after the
-- epoch) and the loss of its last sample (before that sample's update),
-- epochs counted from 0. Three points and three parameters: the exact fit
-- is w1 = 0, w2 = 2, b = 0, but the loss is a long narrow valley and SGD
-- creeps along it: after 100 epochs w1 is still 0.24, after 1000 it is
-- 0.14, after 10000 it is 0.0009.
--
--   luagrad examples/quadratic.lua epochs=1000
--   luagrad examples/quadratic.lua lr=0.005 verbose=false
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",
  w1 = 1.0, w2 = 1.0, b = 1.0,
  lr = 0.01, epochs = 100,
  verbose = true,                -- print every sample's gradients
}

local x_data, y_data = tensor.parse(P.x), tensor.parse(P.y)
local w1 = tensor{ P.w1 }:requires_grad_()
local w2 = tensor{ P.w2 }:requires_grad_()
local b = tensor{ P.b }:requires_grad_()
local parameters = { w1, w2, b }

local function forward(x)
  return w1 * (x * x) + w2 * x + b
end

local function loss(x, y)
  local y_pred = forward(x)
  return (y_pred - y) * (y_pred - y)
end

local out <close> = csv.writer("quadratic.csv", { "epoch", "w1", "w2", "b", "loss" })
print("predict (before training)", 4, forward(4):item())
local l
for epoch = 0, P.epochs - 1 do
  for i = 1, #x_data do
    local x, y = x_data[i], y_data[i]
    l = loss(x, y)
    l:backward()
    if P.verbose then print("\tgrad:", x, y, w1.grad:item(), w2.grad:item(), b.grad:item()) end
    for _, p in ipairs(parameters) do
      p.data = p.data - P.lr * p.grad.data
      p.grad:zero_()
    end
  end
  print("progress:", epoch, l:item())
  out:row(epoch, w1:item(), w2:item(), b:item(), l:item())
end
print("predict (after training)", 4, forward(4):item())
out:close()
report{ w1 = w1:item(), w2 = w2:item(), b = b:item(), loss = l:item() }

plot.line{ csv = "quadratic.csv", x = "epoch", y = "loss", logy = true,
           title = "SGD on yhat = w1 x^2 + w2 x + b, by backpropagation", xlabel = "epoch",
           ylabel = "loss of the epoch's last sample" }
