-- backprop.lua: lecture 4, the gradient by backpropagation instead of by
-- hand: the same stochastic gradient descent as sgd.lua, but d(loss)/dw
-- comes from l:backward() through the computational graph of the loss.
--
-- Model yhat = x*w, data y = 2x, w = 1 a tensor that requires its gradient.
-- For each sample, as the lecture's listing does:
--   l = (x*w - y)^2            the forward pass records the graph
--   l:backward()               fills w.grad = 2x(xw - y)
--   w.data = w.data - lr * w.grad.data, then w.grad:zero_()
-- Each epoch prints "progress:" and writes epoch, w (after the epoch) and
-- the loss of its last sample (computed before that sample's update),
-- epochs counted from 0. The graph of one loss is drawn by plot.graph
-- (backprop_graph.dot, and a PNG when Graphviz is installed).
--
--   luagrad examples/backprop.lua lr=0.05 epochs=20
--   luagrad examples/backprop.lua verbose=false
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",
  w0 = 1.0, lr = 0.01, epochs = 100,
  verbose = true,                -- print every sample's gradient
}

local x_data, y_data = tensor.parse(P.x), tensor.parse(P.y)
local w = tensor{ P.w0 }:requires_grad_()

local function forward(x)
  return x * w
end

local function loss(x, y)
  local y_pred = forward(x)
  return (y_pred - y) * (y_pred - y)
end

local out <close> = csv.writer("backprop.csv", { "epoch", "w", "loss" })
print("predict (before training)", 4, forward(4):item())
local l
for epoch = 0, P.epochs - 1 do
  for i = 1, #x_data do
    local x, y = x_data[i], y_data[i]
    l = loss(x, y)
    l:backward()
    if P.verbose then print("\tgrad:", x, y, w.grad:item()) end
    w.data = w.data - P.lr * w.grad.data
    w.grad:zero_()
  end
  print("progress:", epoch, l:item())
  out:row(epoch, w:item(), l:item())
end
print("predict (after training)", 4, forward(4):item())
out:close()
report{ w = w:item(), loss = l:item() }   -- the last epoch's, for run.json and sweeps

plot.line{ csv = "backprop.csv", x = "epoch", y = "loss", logy = true,
           title = "SGD on yhat = x * w, gradients by backpropagation", xlabel = "epoch",
           ylabel = "loss of the epoch's last sample" }
-- The computational graph of one sample's loss: x*w, minus y, squared.
plot.graph(loss(x_data[1], y_data[1]), "backprop_graph")
