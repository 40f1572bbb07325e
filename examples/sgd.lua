-- sgd.lua: lecture 3, stochastic gradient descent: w is updated after
-- every sample, in order.
--
-- Model yhat = x*w, data y = 2x, start at w = 1. For each sample:
--   gradient = 2x(xw - y)
--   w        = w - lr * gradient
--   loss     = (xw - y)^2 at the updated w
-- Each epoch prints and writes epoch, w and the loss of the epoch's last
-- sample, as the course's listing does (epochs counted from 0).
--
--   luagrad examples/sgd.lua lr=0.05
--   luagrad examples/sgd.lua verbose=false
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",
  w0 = 1.0, lr = 0.01, epochs = 100,
  verbose = true,                -- print every sample's gradient
}

local x, y = tensor.parse(P.x), tensor.parse(P.y)
local m = model.linear{ w = P.w0 }

local out <close> = csv.writer("sgd.csv", { "epoch", "w", "loss" })
print("predict (before training)", 4, m:forward(4))
local l
for epoch = 0, P.epochs - 1 do
  for i = 1, #x do
    local g = grad.se(m, x[i], y[i]).w
    m.w = m.w - P.lr * g
    if P.verbose then print("grad:", x[i], y[i], g) end
    l = loss.se(m, x[i], y[i])
  end
  print("epoch=", epoch, "w=", m.w, "loss=", l)
  out:row(epoch, m.w, l)
end
print("predict (after training)", 4, m:forward(4))
out:close()
report{ w = m.w, loss = l }   -- the last epoch's, for run.json and sweeps

plot.line{ csv = "sgd.csv", x = "epoch", y = "loss",
           title = "SGD on yhat = x * w", xlabel = "epoch", ylabel = "loss of the last sample" }
