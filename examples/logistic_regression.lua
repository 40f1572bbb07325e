-- logistic_regression.lua: lecture 6, logistic regression: the probability
-- that y = 1 is sigmoid(w*x + b), trained with the binary cross-entropy.
--
-- Data x = 1, 2, 3 (hours of study), y = 0, 0, 1 (failed, failed, passed)
-- as 3 x 1 matrices. The model is nn.Sequential(nn.Linear(1, 1),
-- nn.Sigmoid()), its weight and bias set by hand to 0.5 and 0.0. Every
-- epoch, on the full batch:
--   loss = -sum(y log p + (1 - y) log(1 - p))    (nn.BCELoss, logs clamped
--          at -100; reduction=mean divides by the number of samples)
--   optimizer:zero_grad(), loss:backward(), optimizer:step()   (SGD)
-- It writes epoch, w, b (after the step) and loss (before it), epochs
-- counted from 0, then the probability over x in [0, 10] with the 0.5 line
-- (logistic_regression_probability.csv), and prints the predictions for 1
-- and 7 hours as the lecture does.
--
--   luagrad examples/logistic_regression.lua reduction=mean
--   luagrad examples/logistic_regression.lua lr=0.1 epochs=5000
local P = params{
  x = "1, 2, 3", y = "0, 0, 1",
  w0 = 0.5, b0 = 0.0,
  reduction = "sum",             -- sum | mean
  lr = 0.01, epochs = 1000,
  print_every = 100,
}

local x_data, y_data = tensor.parse(P.x), tensor.parse(P.y)
x_data = x_data:reshape(#x_data, 1)
y_data = y_data:reshape(#y_data, 1)

local model = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
local linear = model[1]
linear.weight.data:fill_(P.w0)
linear.bias.data:fill_(P.b0)

local criterion = nn.BCELoss{ reduction = P.reduction }
local optimizer = optim.sgd(model:parameters(), { lr = P.lr })

local out <close> = csv.writer("logistic_regression.csv", { "epoch", "w", "b", "loss" })
local l
for epoch = 0, P.epochs - 1 do
  local y_pred = model(x_data)
  local loss = criterion(y_pred, y_data)
  optimizer:zero_grad()
  loss:backward()
  optimizer:step()
  l = loss:item()
  if epoch % P.print_every == 0 or epoch == P.epochs - 1 then print(epoch, l) end
  out:row(epoch, linear.weight:item(), linear.bias:item(), l)
end
out:close()

-- The probability of passing over x = 0, 0.1, ..., 10, as the lecture
-- draws it, with the decision line at 0.5.
local steps = 101
local xs = tensor.linspace(0, 10, steps)
local probability = autograd.no_grad(function()
  return model(xs:reshape(steps, 1)):reshape(steps)
end)
local curve <close> = csv.writer("logistic_regression_probability.csv",
  { "x", "probability", "half" })
for i = 1, steps do curve:row(xs[i], probability[i], 0.5) end
curve:close()

local function predict(hours)
  return autograd.no_grad(function() return model(tensor{ { hours } }):item() end)
end
local p1, p7 = predict(1.0), predict(7.0)
print("predict 1 hour", 1.0, p1, p1 > 0.5)
print("predict 7 hours", 7.0, p7, p7 > 0.5)
report{ w = linear.weight:item(), b = linear.bias:item(), loss = l, p1 = p1, p7 = p7 }

plot.line{ csv = "logistic_regression.csv", x = "epoch", y = "loss",
           title = string.format("sigmoid(nn.Linear(1, 1)), BCE (%s), SGD lr = %s",
             P.reduction, tostring(P.lr)),
           xlabel = "epoch", ylabel = "loss before the step" }
plot.line{ csv = "logistic_regression_probability.csv", x = "x",
           y = { "probability", "half" },
           title = "Probability of passing after x hours", xlabel = "hours of study (x)",
           ylabel = "P(pass)" }
