-- linear_regression.lua: lecture 5, linear regression the PyTorch way: a
-- model made of a layer, a loss object and an optimizer.
--
-- Data y = 2x (x = 1, 2, 3) as 3 x 1 matrices (a batch of 3 samples with
-- one feature). The model is the lecture's own module class around
-- nn.Linear(1, 1), whose weight and bias are set by hand to 0.5 and 0.0 so
-- the numbers do not depend on the seed. Every epoch, on the full batch:
--   loss = criterion(model(x), y)       MSE, summed (the lecture's
--                                       size_average=False) or the mean
--   optimizer:zero_grad(), loss:backward(), optimizer:step()
-- optimizer = sgd (p = p - lr*g; with momentum mu > 0, as torch.optim.SGD:
-- buf = mu buf + g, p = p - lr*buf) or adam (torch.optim.Adam's rule,
-- betas 0.9 and 0.999; momentum is sgd's option, so adam refuses it).
-- It writes epoch, w, b (after the epoch's step) and loss (before it),
-- epochs counted from 0, prints every print_every-th epoch, and predicts
-- x = 4 at the end.
--
--   luagrad examples/linear_regression.lua optimizer=adam lr=0.1 epochs=200 reduction=mean
--   luagrad examples/linear_regression.lua momentum=0.9
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",
  w0 = 0.5, b0 = 0.0,
  optimizer = "sgd",             -- sgd | adam
  momentum = 0.0,                -- sgd's momentum (0: none)
  reduction = "sum",             -- sum | mean
  lr = 0.01, epochs = 1000,
  print_every = 100,
}

local x_data, y_data = tensor.parse(P.x), tensor.parse(P.y)
x_data = x_data:reshape(#x_data, 1)
y_data = y_data:reshape(#y_data, 1)

-- A user's own module, as the lecture's `class Model(torch.nn.Module)`:
-- init makes the layers (fields that are modules or tensors requiring
-- gradients become its parameters), forward says how they are used.
local Model = nn.Module:extend()

function Model:init()
  self.linear = nn.Linear(1, 1)   -- one input, one output
end

function Model:forward(x)
  return self.linear(x)
end

local model = Model()
model.linear.weight.data:fill_(P.w0)
model.linear.bias.data:fill_(P.b0)

local criterion = nn.MSELoss{ reduction = P.reduction }
local optimizer
if P.optimizer == "sgd" then
  optimizer = optim.sgd(model:parameters(), { lr = P.lr, momentum = P.momentum })
elseif P.optimizer == "adam" then
  if P.momentum ~= 0 then error("linear_regression: momentum is sgd's option; adam has none", 0) end
  optimizer = optim.adam(model:parameters(), { lr = P.lr })
else
  error(string.format("linear_regression: optimizer must be sgd or adam, got '%s'", P.optimizer), 0)
end

local out <close> = csv.writer("linear_regression.csv", { "epoch", "w", "b", "loss" })
local l
for epoch = 0, P.epochs - 1 do
  local y_pred = model(x_data)
  local loss = criterion(y_pred, y_data)
  optimizer:zero_grad()
  loss:backward()
  optimizer:step()
  l = loss:item()
  if epoch % P.print_every == 0 or epoch == P.epochs - 1 then print(epoch, l) end
  out:row(epoch, model.linear.weight:item(), model.linear.bias:item(), l)
end
out:close()

local hour_var = tensor{ { 4.0 } }
local y4 = autograd.no_grad(function() return model(hour_var):item() end)
print("predict (after training)", 4, y4)
report{ w = model.linear.weight:item(), b = model.linear.bias:item(), loss = l,
        predict4 = y4 }

plot.line{ csv = "linear_regression.csv", x = "epoch", y = "loss", logy = true,
           title = string.format("nn.Linear(1, 1), MSE (%s), %s, lr = %s", P.reduction,
             P.optimizer, tostring(P.lr)),
           xlabel = "epoch", ylabel = "loss before the step" }
