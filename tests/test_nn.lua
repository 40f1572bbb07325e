-- tests/test_nn.lua: nn's layers, modules and losses, and the optimizers
-- over lists of tensors. Golden numbers: closed forms and steps worked by
-- hand (see each), Python's math module for the logs.
local T = dofile("tests/check.lua")

-- central differences of f() (a number) in each element of the vector x
local function numeric(f, x)
  local g = {}
  for i = 1, #x do
    local v = x[i]
    local h = 1e-6 * math.max(1, math.abs(v))
    x[i] = v + h
    local up = f()
    x[i] = v - h
    local down = f()
    x[i] = v
    g[i] = (up - down) / (2 * h)
  end
  return g
end

T.test("nn.Linear: shapes, and weights then bias drawn uniform in +-1/sqrt(in)", function()
  rng.seed(7)
  local lin = nn.Linear(3, 2)
  T.eq(select(1, lin.weight:shape()), 2, "weight rows (out)")
  T.eq(select(2, lin.weight:shape()), 3, "weight cols (in)")
  T.eq(#lin.bias, 2, "bias")
  T.truthy(lin.weight.requires_grad and lin.bias.requires_grad, "both require grad")
  T.truthy(lin.weight.is_leaf, "weight is a leaf")
  rng.seed(7)
  local k = 1 / math.sqrt(3)
  local u = rng.uniform(8, -k, k)
  for i = 1, 2 do
    for j = 1, 3 do T.eq(lin.weight:get(i, j), u[(i - 1) * 3 + j], "weight " .. i .. "," .. j) end
    T.eq(lin.bias[i], u[6 + i], "bias " .. i)
  end
  for i = 1, 8 do T.truthy(u[i] >= -k and u[i] < k, "in range") end
  T.raises(function() nn.Linear(0, 2) end, "nn.Linear", "in_features must be a whole number >= 1, got 0")
  T.raises(function() nn.Linear(2, 1.5) end, "nn.Linear", "out_features")
  T.raises(function() lin(tensor{ { 1, 2 } }) end, "nn.Linear",
    "the input has shape [1x2] but this layer takes 3 features (an n x 3 batch)")
  T.raises(function() lin("x") end, "nn.Linear: the input must be a tensor, got string")
  T.raises(function() nn.Softmax(3) end, "nn.Softmax", "dim must be 1 or 2")
end)

T.test("nn.Sequential: net[i], #net, parameters in PyTorch's order", function()
  local l1, l2 = nn.Linear(2, 4), nn.Linear(4, 1)
  local net = nn.Sequential(l1, nn.ReLU(), l2, nn.Sigmoid())
  T.eq(#net, 4, "#net")
  T.truthy(rawequal(net[1], l1) and rawequal(net[3], l2), "net[i]")
  local p = net:parameters()
  T.eq(#p, 4, "four tensors")
  T.truthy(rawequal(p[1], l1.weight) and rawequal(p[2], l1.bias) and rawequal(p[3], l2.weight)
    and rawequal(p[4], l2.bias), "w1, b1, w2, b2")
  T.raises(function() nn.Sequential(l1, 3) end, "nn.Sequential", "argument 2 must be a module, got number")
end)

T.test("a user's module: parameters in the order the fields were assigned", function()
  local Two = nn.Module:extend()
  function Two:init(n)
    self.second = nn.Linear(n, 1)
    self.scale = tensor{ 2.0 }:requires_grad_()
    self.fixed = tensor{ 1.0 }  -- no gradient: not a parameter
    self.first = nn.Linear(1, 1)
  end
  function Two:forward(x) return self.first(self.second(x) * self.scale) end
  local m = Two(3)
  local p = m:parameters()
  T.eq(#p, 5, "count")
  T.truthy(rawequal(p[1], m.second.weight) and rawequal(p[3], m.scale)
    and rawequal(p[4], m.first.weight), "order")
  m.scale.grad = tensor{ 3 }
  m:zero_grad()
  T.eq(m.scale.grad[1], 0.0, "zero_grad")
  local Bare = nn.Module:extend()
  T.raises(function() Bare()(tensor{ 1 }) end, "no forward method")
end)

T.test("MSELoss: values and gradients", function()
  local pred, y = tensor{ 1, 2, 3 }:requires_grad_(), tensor{ 2, 4, 6 }
  -- mean of (1 + 4 + 9) = 14/3; sum 14
  T.near(nn.MSELoss()(pred, y)[1], 14 / 3, 1e-15, "mean")
  T.eq(nn.MSELoss{ reduction = "sum" }(pred, y)[1], 14.0, "sum")
  local l = nn.MSELoss()(pred, y)
  T.eq(l.grad_fn, "MseLossBackward", "grad_fn")
  l:backward()
  -- (2/3)(pred - y)
  T.near(pred.grad[3], -2.0, 1e-15, "d/dpred[3]")
  T.raises(function() nn.MSELoss()(pred, tensor{ 1, 2 }) end, "nn.MSELoss",
    "the prediction has shape [3] but the target has shape [2]")
  T.raises(function() nn.MSELoss{ reduction = "none" } end, "nn.MSELoss",
    "reduction must be \"mean\" or \"sum\", got none")
  T.raises(function() nn.MSELoss{ size_average = false } end, "nn.MSELoss", "unknown option 'size_average'")
end)

T.test("BCELoss: values, the log clamp at -100, gradients, bad targets", function()
  local p, y = tensor{ 0.5, 0.9 }, tensor{ 1, 0 }
  -- -ln(0.5) - ln(0.1) (Python: 2.995732273553991)
  T.near(nn.BCELoss{ reduction = "sum" }(p, y)[1], 2.995732273553991, 1e-15, "sum")
  T.near(nn.BCELoss()(p, y)[1], 1.4978661367769954, 1e-15, "mean")
  T.eq(nn.BCELoss()(tensor{ 0.0 }, tensor{ 1.0 })[1], 100.0, "log(0) clamped at -100")
  T.eq(nn.BCELoss()(tensor{ 1.0 }, tensor{ 0.0 })[1], 100.0, "log(1 - 1) clamped at -100")
  local x = tensor{ 0.3, 0.8, 0.6 }:requires_grad_()
  local t = tensor{ 1, 0, 0.25 }
  nn.BCELoss()(x, t):backward()
  local g = numeric(function() return nn.BCELoss()(x, t)[1] end, x)
  for i = 1, 3 do T.near(x.grad[i], g[i], 1e-7, "d/dx[" .. i .. "]") end
  local z = tensor{ 0.0 }:requires_grad_()
  nn.BCELoss()(z, tensor{ 1.0 }):backward()
  T.truthy(z.grad[1] == -1e12, "gradient at 0 is finite (PyTorch: -1/1e-12)")
  T.raises(function() nn.BCELoss()(tensor{ 0.5 }, tensor{ 2 }) end, "nn.BCELoss",
    "every target must be in [0, 1], element 1 is 2")
  T.raises(function() nn.BCELoss()(tensor{ 1.5 }, tensor{ 1 }) end, "nn.BCELoss",
    "every prediction must be in [0, 1], element 1 is 1.5")
  -- longer batches: the check runs four at a time, then the rest
  local ok6 = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 }
  local function with(i, v) local t = { table.unpack(ok6) }; t[i] = v; return tensor(t) end
  T.raises(function() nn.BCELoss()(with(3, -0.25), tensor(ok6)) end, "nn.BCELoss",
    "every prediction must be in [0, 1], element 3 is -0.25")
  T.raises(function() nn.BCELoss()(with(6, 1.25), tensor(ok6)) end, "nn.BCELoss",
    "every prediction must be in [0, 1], element 6 is 1.25")
  T.raises(function() nn.BCELoss()(tensor(ok6), with(2, 0 / 0)) end, "nn.BCELoss",
    "every target must be in [0, 1], element 2 is")
end)

T.test("NLLLoss: values, gradients, class indices checked", function()
  local lp = tensor{ { -1, -2, -3 }, { -0.5, -1.5, -2.5 } }:requires_grad_()
  T.eq(nn.NLLLoss()(lp, { 3, 1 })[1], 1.75, "mean of 3 and 0.5")
  T.eq(nn.NLLLoss{ reduction = "sum" }(lp, tensor{ 3, 1 })[1], 3.5, "sum")
  nn.NLLLoss()(lp, { 3, 1 }):backward()
  T.eq(lp.grad:get(1, 3), -0.5, "d/d lp[1][3]")
  T.eq(lp.grad:get(1, 1), 0.0, "d/d lp[1][1]")
  T.eq(lp.grad:get(2, 1), -0.5, "d/d lp[2][1]")
  T.raises(function() nn.NLLLoss()(lp, { 4, 1 }) end, "nn.NLLLoss",
    "target[1] = 4 is not a class index from 1 to 3")
  T.raises(function() nn.NLLLoss()(lp, { 1, 0 }) end, "target[2] = 0 is not a class index")
  T.raises(function() nn.NLLLoss()(lp, { 1 }) end, "2 rows (samples) but the target has 1")
end)

  T.test("CrossEntropyLoss: log_softmax + NLL, indices from 1", function()
    local logits = tensor{ { 1, 2, 3 }, { 1, 0, -1 } }
    -- Python: logsumexp minus the target's logit, summed: 0.8152119288887609
    T.near(nn.CrossEntropyLoss{ reduction = "sum" }(logits, { 3, 1 })[1], 0.8152119288887609,
      1e-14, "sum")
    T.near(nn.CrossEntropyLoss()(logits, { 3, 1 })[1], 0.40760596444438046, 1e-14, "mean")
    T.raises(function() nn.CrossEntropyLoss()(logits, { 3, 7 }) end, "nn.CrossEntropyLoss",
      "target[2] = 7 is not a class index from 1 to 3")
  end)

T.test("optim.sgd over tensors: momentum steps worked by hand", function()
  -- loss (2w)^2 = 4w^2, g = 8w; lr 0.1, momentum 0.9, w = 1:
  -- step 1: g = 8, buf = 8, w = 0.2; step 2: g = 1.6, buf = 8.8, w = -0.68
  local w = tensor{ 1.0 }:requires_grad_()
  local opt = optim.sgd({ w }, { lr = 0.1, momentum = 0.9 })
  local crit = nn.MSELoss{ reduction = "sum" }
  for _ = 1, 2 do
    opt:zero_grad()
    crit(w * 2, tensor{ 0 }):backward()
    opt:step()
  end
  T.near(w[1], -0.68, 1e-15, "w after two steps")
  T.eq(opt.steps, 2, "steps")
  opt.lr = 0.5
  T.eq(opt.lr, 0.5, "lr set")
end)

T.test("optim.adam over tensors: the first step worked by hand", function()
  -- g = 0.5: m = 0.05, v = 0.00025, p = 1 + (-(0.1/0.1) * 0.05) / (0.5 + 1e-8)
  -- (Python, same order of operations: 0.900000002)
  local p = tensor{ 1.0 }:requires_grad_()
  local opt = optim.adam({ p }, { lr = 0.1 })
  p.grad = tensor{ 0.5 }
  opt:step()
  T.near(p[1], 0.900000002, 1e-15, "p after one step")
end)

T.test("optimizers skip tensors without a grad; zero_grad zeroes the others", function()
  local a, b = tensor{ 1.0 }:requires_grad_(), tensor{ 1.0 }:requires_grad_()
  local opt = optim.sgd({ a, b }, { lr = 0.5 })
  a.grad = tensor{ 2 }
  opt:step()
  T.eq(a[1], 0.0, "a stepped")
  T.eq(b[1], 1.0, "b skipped")
  opt:zero_grad()
  T.eq(a.grad[1], 0.0, "a.grad zeroed")
  T.eq(b.grad, nil, "b.grad still nil")
  T.raises(function() optim.sgd({ a * 2 }, { lr = 1 }) end, "optim.sgd",
    "params[1] was made by MulBackward; only leaf tensors can be optimized")
  T.raises(function() optim.sgd({ a, 3 }, { lr = 1 }) end, "optim.sgd", "params[2] must be a tensor, got number")
  T.raises(function() optim.adam({ a }, { lr = -1 }) end, "optim.adam", "lr must be a number > 0")
  a.grad = tensor{ math.huge }
  T.raises(function() opt:step() end, "sgd.step", "parameter 1", "became -inf")
end)

T.test("autograd and today's analytic model agree (affine, MSE, SGD with momentum)", function()
  local x, y = tensor{ 1, 2, 3 }, tensor{ 2, 4, 6 }
  local m = model.affine{ w = 0.5, b = 0 }
  local mopt = optim.sgd(m, { lr = 0.01, momentum = 0.9 })
  local w, b = tensor{ 0.5 }:requires_grad_(), tensor{ 0.0 }:requires_grad_()
  local topt = optim.sgd({ w, b }, { lr = 0.01, momentum = 0.9 })
  local crit = nn.MSELoss()
  for _ = 1, 50 do
    grad.mse(m, x, y)
    mopt:step()
    topt:zero_grad()
    crit(w * x + b, y):backward()
    topt:step()
  end
  T.near(w[1], m.w, 1e-13, "w")
  T.near(b[1], m.b, 1e-13, "b")
end)

  T.test("a network's gradients against central differences", function()
    local net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2), nn.Sigmoid())
    local x = tensor{ { 0.5, -1, 2 }, { 1, 0.25, -0.5 } }
    local y = tensor{ { 1, 0 }, { 0, 1 } }
    local crit = nn.BCELoss()
    net:zero_grad()
    crit(net(x), y):backward()
    for _, p in ipairs(net:parameters()) do
      local flat = p:reshape(p:numel())
      local f = function() return autograd.no_grad(function() return crit(net(x), y)[1] end) end
      local g = numeric(f, flat.data)
      local pg = p.grad:reshape(p:numel())
      for i = 1, #g do T.near(pg[i], g[i], 1e-7, "parameter gradient") end
    end
  end)

-- A loss's C half raises at a line inside luagrad, which the host hides: the
-- error must still point at the script's line, caught or not.
T.test("a loss's error names the line of the script that called it", function()
  local d = T.folder{
    ["bce.lua"] = "local x = 1\nlocal l = nn.BCELoss()(tensor{ 1.5 }, tensor{ 1 })\n",
    ["mse.lua"] = "local ok, e = pcall(function()\n  return nn.MSELoss()(tensor{ 1, 2 }, tensor{ 1 }) + 0\nend)\n"
      .. "io.write(e, '\\n')\n",
    ["ce.lua"] = "\n\nlocal l = nn.CrossEntropyLoss()(tensor{ { 1, 2 } }, { 3 })\n",
  }
  local st, _, err = T.run_in(d, "bce.lua")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: bce.lua:2: nn.BCELoss: every prediction must be in [0, 1], element 1 is 1.5\n")
  local _, out = T.run_in(d, "mse.lua")
  T.eq(out, "mse.lua:2: nn.MSELoss: the prediction has shape [2] but the target has shape [1]\n",
    "caught by pcall")
  st, _, err = T.run_in(d, "ce.lua")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: ce.lua:3: nn.CrossEntropyLoss: target[1] = 3 is not a class index from 1 to 2\n")
end)

T.done()
