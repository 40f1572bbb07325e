-- softmax.lua: lecture 9, a classifier of ten classes with the softmax and
-- the cross-entropy: which digit is this 8 x 8 picture? (The course uses
-- MNIST's 28 x 28 pictures, which cannot be shipped here; examples/data/
-- digits.csv is UCI's 1797 handwritten digits, CC BY 4.0, 64 pixels each.)
--
-- The rows are split at random (the seeded generator: --seed) into a
-- training and a test part, the pixels standardised with the training
-- part's statistics. The model
--   nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
-- gives ten scores (logits) per picture; nn.CrossEntropyLoss takes the
-- log-softmax of them and the negative log-likelihood of the right class.
-- Classes are counted from 1 as Lua counts: digit d is class d + 1.
-- Training: mini-batches from a loader, one SGD step each. Each epoch
-- writes epoch, loss (the mean of its batches' losses, each before its
-- step), train_accuracy and test_accuracy (after the epoch). At the end the
-- confusion matrix of the test part, how often digit d was taken for p, is
-- printed and written as softmax_confusion.csv (digit, predicted, count:
-- one row per cell of the 10 x 10 matrix) and drawn as a heat map.
--
--   luagrad examples/softmax.lua epochs=5
--   luagrad examples/softmax.lua hidden=64 batch_size=16 lr=0.05
local HERE = luagrad.script:match("^(.*/)") or ""
local P = params{
  file = HERE .. "data/digits.csv", target = "digit",
  test = 0.2,                    -- the fraction of rows held out for testing
  hidden = 32,
  batch_size = 64, shuffle = true,
  lr = 0.1, momentum = 0.0, epochs = 20,
  print_every = 5,
}

local ds = data.csv(P.file, { target = P.target })
local train, test = data.split(ds, { test = P.test })
data.standardize(train, test)
local loader = data.loader(train, { batch_size = P.batch_size, shuffle = P.shuffle })
print(string.format("%d pictures of %d pixels: %d for training in %d batches, %d for testing",
  ds.n, #ds.names, train.n, #loader, test.n))

local classes = 10
local model = nn.Sequential(
  nn.Linear(#ds.names, P.hidden), nn.ReLU(),
  nn.Linear(P.hidden, classes))
local criterion = nn.CrossEntropyLoss{ reduction = "mean" }
local optimizer = optim.sgd(model:parameters(), { lr = P.lr, momentum = P.momentum })

-- The predicted digit of every row of X: the class of the largest logit, - 1.
local function predict(X)
  return autograd.no_grad(function() return model(X):argmax(2) - 1 end)
end

local function accuracy(set)
  return predict(set.X):eq(set.y):mean()
end

local out <close> = csv.writer("softmax.csv", { "epoch", "loss", "train_accuracy", "test_accuracy" })
local epoch_loss
for epoch = 0, P.epochs - 1 do
  local sum, batches = 0, 0
  for _, xb, yb in loader:batches() do
    local loss = criterion(model(xb), yb + 1)   -- digits 0-9 are classes 1-10
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

-- The confusion matrix of the test part: counts[d + 1][p + 1] pictures of
-- digit d were predicted as p.
local predicted, truth = predict(test.X):totable(), test.y:totable()
local counts = {}
for d = 1, classes do
  counts[d] = {}
  for p = 1, classes do counts[d][p] = 0 end
end
for i = 1, #truth do
  local d, p = math.tointeger(truth[i]) + 1, math.tointeger(predicted[i]) + 1
  counts[d][p] = counts[d][p] + 1
end
local confusion <close> = csv.writer("softmax_confusion.csv", { "digit", "predicted", "count" })
print("confusion matrix of the test part (rows: digit, columns: predicted 0-9)")
for d = 1, classes do
  for p = 1, classes do confusion:row(d - 1, p - 1, counts[d][p]) end
  print(d - 1, table.concat(counts[d], "\t"))
end
confusion:close()

local train_accuracy, test_accuracy = accuracy(train), accuracy(test)
print(string.format("after %d epochs: train accuracy %.4f, test accuracy %.4f",
  P.epochs, train_accuracy, test_accuracy))
report{ loss = epoch_loss, train_accuracy = train_accuracy, test_accuracy = test_accuracy }

plot.line{ csv = "softmax.csv", x = "epoch", y = "loss", logy = true,
           title = "8x8 digits, 64-32-10 ReLU network, cross-entropy",
           xlabel = "epoch", ylabel = "cross-entropy (mean over the epoch's batches)" }
plot.line{ csv = "softmax.csv", x = "epoch", y = { "train_accuracy", "test_accuracy" },
           name = "softmax_accuracy", title = "8x8 digits: accuracy after each epoch",
           xlabel = "epoch", ylabel = "accuracy" }
plot.heatmap{ csv = "softmax_confusion.csv", x = "predicted", y = "digit", z = "count",
              title = "Confusion matrix of the test part", xlabel = "predicted digit",
              ylabel = "true digit", zlabel = "pictures", cells = true }
