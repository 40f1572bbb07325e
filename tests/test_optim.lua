-- test_optim.lua: optimizers (optim.sgd, optim.gd, optim.adam) against steps
-- worked out by hand. The set-up makes the gradient known exactly: a linear
-- model and the single sample x = 1, y = 0 give loss w^2 and gradient
-- grad.se(m, 1, 0).w = 2w.
local T = dofile("tests/check.lua")

-- Runs `steps` steps of opt on the loss w^2 from w = 1; returns the ws.
local function run(make, steps)
  local m = model.linear{ w = 1 }
  local opt = make(m)
  local ws = {}
  for k = 1, steps do
    grad.se(m, 1, 0)
    opt:step()
    ws[k] = m.w
  end
  return ws, opt
end

T.test("plain gradient descent: w_k = 0.8^k with lr 0.1", function()
  local ws = run(function(m) return optim.gd(m, { lr = 0.1 }) end, 3)
  T.near(ws[1], 0.8, 1e-15, "w1 = 1 - 0.1*2")
  T.near(ws[2], 0.64, 1e-15, "w2 = 0.8 - 0.1*1.6")
  T.near(ws[3], 0.512, 1e-15, "w3")
  local ws2 = run(function(m) return optim.sgd(m, { lr = 0.1 }) end, 3)
  T.eq(ws2[3], ws[3], "sgd without momentum is gd")
end)

T.test("SGD with momentum 0.9: b1 = g, then b = 0.9b + g", function()
  local ws = run(function(m) return optim.sgd(m, { lr = 0.1, momentum = 0.9 }) end, 3)
  -- g=2, b=2, w=0.8; g=1.6, b=3.4, w=0.46; g=0.92, b=3.98, w=0.062
  T.near(ws[1], 0.8, 1e-15, "w1")
  T.near(ws[2], 0.46, 1e-15, "w2")
  T.near(ws[3], 0.062, 1e-15, "w3")
end)

T.test("SGD with Nesterov momentum", function()
  local ws = run(function(m) return optim.sgd(m, { lr = 0.1, momentum = 0.9, nesterov = true }) end, 2)
  -- g=2, b=2, g'=2+1.8=3.8, w=0.62; g=1.24, b=3.04, g'=1.24+2.736=3.976, w=0.2224
  T.near(ws[1], 0.62, 1e-15, "w1")
  T.near(ws[2], 0.2224, 1e-15, "w2")
end)

T.test("SGD with dampening 0.5 (not applied on the first step)", function()
  local ws = run(function(m) return optim.sgd(m, { lr = 0.1, momentum = 0.9, dampening = 0.5 }) end, 2)
  -- b=2, w=0.8; g=1.6, b=0.9*2+0.5*1.6=2.6, w=0.54
  T.near(ws[1], 0.8, 1e-15, "w1")
  T.near(ws[2], 0.54, 1e-15, "w2")
end)

T.test("SGD with weight decay 0.5: g = 2w + 0.5w", function()
  local ws = run(function(m) return optim.sgd(m, { lr = 0.1, weight_decay = 0.5 }) end, 2)
  T.near(ws[1], 0.75, 1e-15, "w1 = 1 - 0.1*2.5")
  T.near(ws[2], 0.5625, 1e-15, "w2 = 0.75^2")
end)

T.test("maximize climbs", function()
  local ws = run(function(m) return optim.sgd(m, { lr = 0.1, maximize = true }) end, 1)
  T.near(ws[1], 1.2, 1e-15, "w1 = 1 + 0.1*2")
end)

-- Adam by its documented formula, written out here independently:
-- m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; mhat = m/(1-b1^t);
-- vhat = v/(1-b2^t) (or the running max with amsgrad); w = w - lr mhat/(sqrt(vhat)+eps)
local function adam_by_hand(steps, lr, b1, b2, eps, wd, amsgrad)
  local w, m, v, vmax, ws = 1, 0, 0, 0, {}
  for t = 1, steps do
    local g = 2 * w + wd * w
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    vmax = math.max(vmax, v)
    local mhat = m / (1 - b1 ^ t)
    local vhat = (amsgrad and vmax or v) / (1 - b2 ^ t)
    w = w - lr * mhat / (math.sqrt(vhat) + eps)
    ws[t] = w
  end
  return ws
end

T.test("Adam: the first step moves by lr (times |g|/(|g|+eps))", function()
  local ws = run(function(m) return optim.adam(m, { lr = 0.1 }) end, 1)
  -- mhat = g = 2, vhat = g^2 = 4: w1 = 1 - 0.1 * 2/(2 + 1e-8)
  T.near(ws[1], 1 - 0.1 * 2 / (2 + 1e-8), 1e-15, "w1 = 0.9000000005")
end)

T.test("Adam: ten steps against the documented formula", function()
  local ws = run(function(m) return optim.adam(m, { lr = 0.1 }) end, 10)
  local want = adam_by_hand(10, 0.1, 0.9, 0.999, 1e-8, 0, false)
  for t = 1, 10 do T.near(ws[t], want[t], 1e-13, "w" .. t) end
end)

T.test("Adam with betas, eps, weight decay and amsgrad", function()
  local ws = run(function(m)
    return optim.adam(m, { lr = 0.05, betas = { 0.8, 0.99 }, eps = 1e-6, weight_decay = 0.1,
                           amsgrad = true })
  end, 10)
  local want = adam_by_hand(10, 0.05, 0.8, 0.99, 1e-6, 0.1, true)
  for t = 1, 10 do T.near(ws[t], want[t], 1e-13, "w" .. t) end
end)

T.test("optimizer state: lr can change, steps count, reset, zero_grad", function()
  local m = model.affine{ w = 1, b = 1 }
  local opt = optim.sgd(m, { lr = 0.1, momentum = 0.5 })
  T.eq(opt.lr, 0.1, "lr")
  grad.mse(m, { 1, 2 }, { 0, 0 })
  opt:step()
  T.eq(opt.steps, 1, "steps")
  opt.lr = 0.01
  T.eq(opt.lr, 0.01, "lr after setting it")
  opt:zero_grad()
  T.eq(m.grad.w, 0.0, "zero_grad zeroes the model's gradient")
  opt:reset()
  T.eq(opt.steps, 0, "reset")
  T.eq(opt.model, m, "opt.model")
end)

T.test("a diverging explicit loop stops with an error naming the step", function()
  local m = model.linear{ w = 1 }
  local opt = optim.gd(m, { lr = 10 })
  local err = T.raises(function()
    for _ = 1, 2000 do
      grad.mse(m, { 1, 2, 3 }, { 2, 4, 6 })
      opt:step()
    end
  end, "sgd.step: parameter w became inf at step", "learning rate")
end)

T.done()
