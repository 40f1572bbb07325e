-- batch_gd.lua: lecture 3, gradient descent on the whole data set.
--
-- Model yhat = x*w, data y = 2x, start at w = 1. Each epoch:
--   cost     = MSE at the current w
--   gradient = mean over all samples of 2x(xw - y)
--   w        = w - lr * gradient
-- It prints and writes epoch, w (after the update) and cost (before it), as
-- the course's listing prints them, epochs counted from 0.
--
-- The listing's gradient() assigns grad = 2*x*(x*w - y) inside its loop
-- instead of adding to it, so it really uses only the last sample. This
-- script uses the mean over all samples; listing_bug=true reproduces the
-- listing for comparison. With the mean, w after k epochs is exactly
--   w_k = 2 - (1 - lr*28/3)^k * (2 - w0).
--
--   luagrad examples/batch_gd.lua lr=0.05 epochs=20
--   luagrad examples/batch_gd.lua listing_bug=true
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",
  w0 = 1.0, lr = 0.01, epochs = 100,
  listing_bug = false,
}

local x, y = tensor.parse(P.x), tensor.parse(P.y)
local m = model.linear{ w = P.w0 }

local function gradient()
  if P.listing_bug then
    -- what the listing computes: the last sample's gradient, divided by n
    return grad.se(m, x[#x], y[#y]).w / #x
  end
  return grad.mse(m, x, y).w
end

local out <close> = csv.writer("batch_gd.csv", { "epoch", "w", "cost" })
print("predict (before training)", 4, m:forward(4))
local cost
for epoch = 0, P.epochs - 1 do
  cost = loss.mse(m, x, y)
  m.w = m.w - P.lr * gradient()
  print("epoch=", epoch, "w=", m.w, "cost=", cost)
  out:row(epoch, m.w, cost)
end
print("predict (after training)", 4, m:forward(4))
out:close()
report{ w = m.w, cost = cost }   -- the last epoch's, for run.json and sweeps

plot.line{ csv = "batch_gd.csv", x = "epoch", y = "cost",
           title = "Batch gradient descent on yhat = x * w", xlabel = "epoch", ylabel = "cost (MSE)" }
