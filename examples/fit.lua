-- fit.lua: the fast training loop on a generated data set, comparing
-- full-batch gradient descent, mini-batch gradient descent and SGD.
--
-- Data: n samples, x uniform in [0, 1), y = 2x + 1 + noise (normal, standard
-- deviation `noise`), from the seeded generator (--seed). Model yhat = w*x + b
-- from w = b = 0. fit() runs every epoch in C and calls back once per epoch,
-- which writes a row of fit.csv: method,epoch,w,b,loss (the epoch's loss is
-- the mean of the losses of its batches, each before its update).
--
-- The best possible (w, b), the least-squares solution, is computed at the
-- end from sums over the data, for comparison:
--   w* = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2),  b* = mean y - w* mean x
--
--   luagrad examples/fit.lua n=1000000 epochs=5
--   luagrad examples/fit.lua lr_sgd=5           (too large: a clear error)
local P = params{
  n = 100000, noise = 0.1, epochs = 20,
  lr_full = 0.5,                 -- full batch: one step per epoch
  lr_mini = 0.1, batch = 64,     -- mini-batch: n/64 steps per epoch
  lr_sgd = 0.01,                 -- SGD: n steps per epoch
  shuffle = true,                -- mini-batch and SGD visit samples in a new order each epoch
}

local x = rng.uniform(P.n)
local y = 2 * x + 1 + rng.normal(P.n, 0, P.noise)

local out <close> = csv.writer("fit.csv", { "method", "epoch", "w", "b", "loss" })
local losses = {}   -- losses[epoch][method], for the plot

local function train(method, options)
  local m = model.affine{ w = 0, b = 0 }
  options.epochs = P.epochs
  options.on_epoch = function(epoch, l)
    out:row(method, epoch, m.w, m.b, l)
    losses[epoch] = losses[epoch] or {}
    losses[epoch][method] = l
  end
  local t0 = require("luagrad.sys").clock()
  fit(m, x, y, options)
  local seconds = require("luagrad.sys").clock() - t0
  print(string.format("%-10s w = %.6f  b = %.6f  loss = %.6g  (%.3f s)",
    method, m.w, m.b, losses[P.epochs][method], seconds))
  return m
end

train("full", { lr = P.lr_full, batch = "full" })
train("minibatch", { lr = P.lr_mini, batch = P.batch, shuffle = P.shuffle })
local m = train("sgd", { lr = P.lr_sgd, batch = 1, shuffle = P.shuffle })
out:close()

local mx, my = x:mean(), y:mean()
local u, v = x - mx, y - my
local w_best = u:dot(v) / u:dot(u)
local b_best = my - w_best * mx
local loss_best = loss.mse(model.affine{ w = w_best, b = b_best }, x, y)
print(string.format("%-10s w = %.6f  b = %.6f  loss = %.6g", "best", w_best, b_best, loss_best))
local last = losses[P.epochs]
report{ w = m.w, b = m.b, w_best = w_best, b_best = b_best, loss_best = loss_best,
        loss_full = last.full, loss_minibatch = last.minibatch, loss_sgd = last.sgd }

local wide <close> = csv.writer("fit_loss.csv", { "epoch", "full", "minibatch", "sgd" })
for epoch = 1, P.epochs do
  wide:row(epoch, losses[epoch].full, losses[epoch].minibatch, losses[epoch].sgd)
end
wide:close()
plot.line{ csv = "fit_loss.csv", x = "epoch", y = { "full", "minibatch", "sgd" }, logy = true,
           title = "Loss per epoch, y = 2x + 1 + noise", xlabel = "epoch", ylabel = "loss (MSE)" }
