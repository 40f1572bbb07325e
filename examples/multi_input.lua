-- multi_input.lua: lecture 7, a network with many inputs: is a breast
-- tumour benign, from 30 measures of its cell nuclei? (The lecture uses a
-- diabetes table and layers 8 -> 6 -> 4 -> 1; this data set is examples/data/
-- breast_cancer.csv, UCI, CC BY 4.0, so the layers are widened to
-- 30 -> 16 -> 8 -> 1.)
--
-- The rows are split at random (the seeded generator: --seed) into a
-- training and a test part (test = 0.2), and every feature is standardised
-- with the training part's mean and standard deviation. The model:
--   nn.Sequential(nn.Linear(30, 16), nn.Sigmoid(), nn.Linear(16, 8),
--                 nn.Sigmoid(), nn.Linear(8, 1), nn.Sigmoid())
-- trained on the full batch with the mean binary cross-entropy and SGD.
-- Each epoch writes epoch, loss, train_accuracy and test_accuracy, all at
-- the parameters before the epoch's step; a sample counts as benign when
-- its probability is above 0.5. At the end it prints and reports both
-- accuracies of the trained model.
--
--   luagrad examples/multi_input.lua lr=0.5 epochs=300
--   luagrad examples/multi_input.lua momentum=0.9 epochs=200
--   luagrad --seed 7 examples/multi_input.lua          (another split and start)
local HERE = luagrad.script:match("^(.*/)") or ""
local P = params{
  file = HERE .. "data/breast_cancer.csv", target = "target",
  test = 0.2,                    -- the fraction of rows held out for testing
  hidden1 = 16, hidden2 = 8,
  lr = 0.1, momentum = 0.0, epochs = 1000,
  print_every = 100,
}

local ds = data.csv(P.file, { target = P.target })
local train, test = data.split(ds, { test = P.test })
data.standardize(train, test)
print(string.format("%d rows, %d features: %d for training, %d for testing",
  ds.n, #ds.names, train.n, test.n))

local model = nn.Sequential(
  nn.Linear(#ds.names, P.hidden1), nn.Sigmoid(),
  nn.Linear(P.hidden1, P.hidden2), nn.Sigmoid(),
  nn.Linear(P.hidden2, 1), nn.Sigmoid())
local criterion = nn.BCELoss{ reduction = "mean" }
local optimizer = optim.sgd(model:parameters(), { lr = P.lr, momentum = P.momentum })

-- The fraction of samples whose probability is on the right side of 0.5;
-- p is an n x 1 matrix of probabilities, y the vector of 0/1 targets.
local function hits(p, y)
  return p:reshape(#y):gt(0.5):eq(y):mean()
end

local function accuracy(set)
  return autograd.no_grad(function() return hits(model(set.X), set.y) end)
end

local y_train = train.y:reshape(train.n, 1)   -- BCE wants the shape of the prediction
local out <close> = csv.writer("multi_input.csv",
  { "epoch", "loss", "train_accuracy", "test_accuracy" })
local l
for epoch = 0, P.epochs - 1 do
  local y_pred = model(train.X)
  local loss = criterion(y_pred, y_train)
  l = loss:item()
  local train_acc, test_acc = hits(y_pred.data, train.y), accuracy(test)
  if epoch % P.print_every == 0 then
    print(string.format("epoch %4d  loss %.6f  train %.4f  test %.4f", epoch, l, train_acc, test_acc))
  end
  out:row(epoch, l, train_acc, test_acc)
  optimizer:zero_grad()
  loss:backward()
  optimizer:step()
end
out:close()

local train_accuracy, test_accuracy = accuracy(train), accuracy(test)
print(string.format("after %d epochs: train accuracy %.4f, test accuracy %.4f",
  P.epochs, train_accuracy, test_accuracy))
report{ loss = l, train_accuracy = train_accuracy, test_accuracy = test_accuracy }

plot.line{ csv = "multi_input.csv", x = "epoch", y = "loss", logy = true,
           title = "Breast cancer, 30-16-8-1 sigmoid network, full batch",
           xlabel = "epoch", ylabel = "binary cross-entropy (mean)" }
plot.line{ csv = "multi_input.csv", x = "epoch", y = { "train_accuracy", "test_accuracy" },
           name = "multi_input_accuracy", title = "Breast cancer: accuracy while training",
           xlabel = "epoch", ylabel = "accuracy" }
