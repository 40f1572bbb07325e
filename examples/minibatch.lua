-- minibatch.lua: lecture 8, the network of multi_input.lua trained on
-- mini-batches from a loader instead of the full batch.
--
-- Breast cancer (examples/data/breast_cancer.csv, UCI, CC BY 4.0), split at
-- random (the seeded generator: --seed) and standardised with the training
-- part's statistics, as in multi_input.lua. Each epoch walks the training
-- part in batches of batch_size rows (shuffled into a new order every epoch
-- when shuffle=true, else in order; the last batch may be smaller), one SGD
-- step per batch:
--   for i, xb, yb in loader:batches() do
--     loss = criterion(model(xb), yb), zero_grad, backward, step
--   end
-- Each epoch writes epoch, loss (the mean of its batches' losses, each
-- before its step), train_accuracy and test_accuracy (after the epoch).
--
--   luagrad examples/minibatch.lua batch_size=8 epochs=20
--   luagrad examples/minibatch.lua shuffle=false
local HERE = luagrad.script:match("^(.*/)") or ""
local P = params{
  file = HERE .. "data/breast_cancer.csv", target = "target",
  test = 0.2,                    -- the fraction of rows held out for testing
  hidden1 = 16, hidden2 = 8,
  batch_size = 32, shuffle = true,
  lr = 0.1, momentum = 0.0, epochs = 50,
  print_every = 5,
}

local ds = data.csv(P.file, { target = P.target })
local train, test = data.split(ds, { test = P.test })
data.standardize(train, test)
local loader = data.loader(train, { batch_size = P.batch_size, shuffle = P.shuffle })
print(string.format("%d rows, %d features: %d for training in %d batches, %d for testing",
  ds.n, #ds.names, train.n, #loader, test.n))

local model = nn.Sequential(
  nn.Linear(#ds.names, P.hidden1), nn.Sigmoid(),
  nn.Linear(P.hidden1, P.hidden2), nn.Sigmoid(),
  nn.Linear(P.hidden2, 1), nn.Sigmoid())
local criterion = nn.BCELoss{ reduction = "mean" }
local optimizer = optim.sgd(model:parameters(), { lr = P.lr, momentum = P.momentum })

-- The fraction of the set's samples on the right side of probability 0.5.
local function accuracy(set)
  return autograd.no_grad(function()
    return model(set.X):reshape(set.n):gt(0.5):eq(set.y):mean()
  end)
end

local out <close> = csv.writer("minibatch.csv",
  { "epoch", "loss", "train_accuracy", "test_accuracy" })
local epoch_loss
for epoch = 0, P.epochs - 1 do
  local sum, batches = 0, 0
  for _, xb, yb in loader:batches() do
    local loss = criterion(model(xb), yb:reshape(#yb, 1))
    optimizer:zero_grad()
    loss:backward()
    optimizer:step()
    sum, batches = sum + loss:item(), batches + 1
  end
  epoch_loss = sum / batches
  local train_acc, test_acc = accuracy(train), accuracy(test)
  if epoch % P.print_every == 0 or epoch == P.epochs - 1 then
    print(string.format("epoch %3d  loss %.6f  train %.4f  test %.4f", epoch, epoch_loss,
      train_acc, test_acc))
  end
  out:row(epoch, epoch_loss, train_acc, test_acc)
end
out:close()

local train_accuracy, test_accuracy = accuracy(train), accuracy(test)
print(string.format("after %d epochs of %d batches: train accuracy %.4f, test accuracy %.4f",
  P.epochs, #loader, train_accuracy, test_accuracy))
report{ loss = epoch_loss, train_accuracy = train_accuracy, test_accuracy = test_accuracy }

plot.line{ csv = "minibatch.csv", x = "epoch", y = "loss", logy = true,
           title = string.format("Breast cancer, mini-batches of %d%s", P.batch_size,
             P.shuffle and ", shuffled" or ", in order"),
           xlabel = "epoch", ylabel = "binary cross-entropy (mean over the epoch's batches)" }
plot.line{ csv = "minibatch.csv", x = "epoch", y = { "train_accuracy", "test_accuracy" },
           name = "minibatch_accuracy", title = "Breast cancer: accuracy after each epoch",
           xlabel = "epoch", ylabel = "accuracy" }
