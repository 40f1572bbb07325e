-- mlp.lua: W5 and W5b with luagrad, the lecture-7 network as a learner
-- writes it: nn.Sequential of nn.Linear and nn.Sigmoid, nn.BCELoss, full
-- batch, optim.sgd, zero_grad / backward / step each epoch.
--   luagrad bench/luagrad/mlp.lua [shape=8,6,4,1] [n=759] [epochs=1000] [lr=0.1]
-- Data and starting weights: nets.lua. Timed: the epochs. Printed: the last
-- epoch's loss (before its step) and the loss after training.
local P = params{ shape = "8,6,4,1", n = 759, epochs = 1000, lr = 0.1 }
local sys = require("luagrad.sys")
local nets = dofile(luagrad.script:match("^(.*/)") .. "nets.lua")

local sizes = {}
for s in P.shape:gmatch("%d+") do sizes[#sizes + 1] = math.tointeger(s) end
local layers = {}
for l = 1, #sizes - 1 do
  local lin = nn.Linear(sizes[l], sizes[l + 1])
  nets.init(lin, l)
  layers[#layers + 1] = lin
  layers[#layers + 1] = nn.Sigmoid()
end
local model = nn.Sequential(table.unpack(layers))
local X, y = nets.data(P.n, sizes[1])
local criterion = nn.BCELoss()
local optimizer = optim.sgd(model:parameters(), { lr = P.lr })

local t0 = sys.clock()
local loss
for epoch = 1, P.epochs do
  local y_pred = model(X)
  loss = criterion(y_pred, y)
  optimizer:zero_grad()
  loss:backward()
  optimizer:step()
end
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("loss=%.17g", loss:item()))
print(string.format("final=%.17g", criterion(model(X), y):item()))
