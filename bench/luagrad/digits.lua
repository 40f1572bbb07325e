-- digits.lua: W6 with luagrad, the lecture-9 digits classifier as a
-- learner writes it: data.csv, pixels / 16, data.loader (batches of 64 in
-- file order), nn.Sequential(Linear(64, 32), ReLU, Linear(32, 10)),
-- nn.CrossEntropyLoss, optim.sgd. Starting weights: nets.lua.
--   luagrad bench/luagrad/digits.lua [epochs=20] [lr=0.1] [batch=64]
-- Timed: the epochs (not reading the file). Printed: the last epoch's
-- mean batch loss and its last batch's loss.
local P = params{ epochs = 20, lr = 0.1, batch = 64 }
local sys = require("luagrad.sys")
local here = luagrad.script:match("^(.*/)")
local nets = dofile(here .. "nets.lua")

local ds = data.csv(here .. "../../examples/data/digits.csv", { target = "digit" })
ds.X = ds.X / 16
local loader = data.loader(ds, { batch_size = P.batch, shuffle = false })
local model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
nets.init(model[1], 1)
nets.init(model[3], 2)
local criterion = nn.CrossEntropyLoss()
local optimizer = optim.sgd(model:parameters(), { lr = P.lr })

local t0 = sys.clock()
local sum, batches, loss
for epoch = 1, P.epochs do
  sum, batches = 0, 0
  for _, xb, yb in loader:batches() do
    loss = criterion(model(xb), yb + 1)   -- digits 0-9 are classes 1-10
    optimizer:zero_grad()
    loss:backward()
    optimizer:step()
    sum, batches = sum + loss:item(), batches + 1
  end
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("mean_loss=%.17g", sum / batches))
print(string.format("loss=%.17g", loss:item()))
