-- tests/test_badinput_optim.lua: bad input to the optim module (sgd, gd,
-- adam, opt:step and the optimizer's fields) gets a clear error naming the
-- function, the option and what was expected and given.
local T = dofile("tests/check.lua")

local X, Y = { 1, 2, 3 }, { 2, 4, 6 }

local function closed_optimizer(m)
  local kept
  do
    local o <close> = optim.sgd(m, { lr = 0.1 })
    kept = o
  end
  return kept
end

-- ---- constructors: arguments ------------------------------------------------

T.test("optim constructors without a model name the type given", function()
  T.raises(function() return optim.sgd() end, "sgd", "Model expected, got no value")
  T.raises(function() return optim.sgd({ lr = 1 }) end, "optim.sgd", "expected (model, { lr = ... })")
  T.raises(function() return optim.gd(nil, { lr = 1 }) end, "gd", "Model expected, got nil")
  T.raises(function() return optim.adam() end, "adam", "Model expected, got no value")
  T.raises(function() return optim.adam("m") end, "adam", "Model expected, got string")
end)

T.test("optim.sgd and optim.gd without an options table show the call expected", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m) end, "optim.sgd", "expected (model, { lr = ... })")
  T.raises(function() return optim.sgd(m, 0.1) end, "optim.sgd", "expected (model, { lr = ... })")
  T.raises(function() return optim.gd(m) end, "optim.gd", "expected (model, { lr = ... })")
  T.raises(function() return optim.sgd(m, {}) end, "optim.sgd", "lr is required")
end)

T.test("optim.adam with options that are not a table names the type", function()
  T.raises(function() return optim.adam(model.linear{}, "a") end, "optim.adam", "expected a table of options, got string")
end)

-- ---- lr --------------------------------------------------------------------

T.test("lr of the wrong type names lr and the type", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = "fast" }) end, "optim.sgd", "lr must be a number, got string")
  T.raises(function() return optim.sgd(m, { lr = "0.1" }) end, "optim.sgd", "lr must be a number, got string")
  T.raises(function() return optim.adam(m, { lr = "fast" }) end, "optim.adam", "lr must be a number, got string")
  T.raises(function() return optim.gd(m, { lr = true }) end, "optim.gd", "lr must be a number, got boolean")
end)

T.test("lr <= 0 or infinite says lr must be > 0 and gives it", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = 0 }) end, "optim.sgd", "lr must be a number > 0, got 0")
  T.raises(function() return optim.sgd(m, { lr = -1 }) end, "optim.sgd", "got -1")
  T.raises(function() return optim.gd(m, { lr = -1 }) end, "optim.gd", "got -1")
  T.raises(function() return optim.adam(m, { lr = -1 }) end, "optim.adam", "got -1")
  T.raises(function() return optim.sgd(m, { lr = 1 / 0 }) end, "optim.sgd", "got inf")
end)

-- The project writes numbers as numfmt does: "nan", never printf's "-nan".
T.test("lr = nan is shown as 'nan', not '-nan'", function()
  T.raises(function() return optim.sgd(model.linear{}, { lr = 0 / 0 }) end, "optim.sgd", "got nan")
end)

-- ---- unknown options -------------------------------------------------------

T.test("an unknown option is named and the known ones are listed", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = 1, lrr = 1 }) end, "optim.sgd", "unknown option 'lrr'",
    "known: lr, momentum, dampening, nesterov, weight_decay, maximize")
  T.raises(function() return optim.gd(m, { lr = 1, momentum = 0.9 }) end, "optim.gd",
    "unknown option 'momentum'", "known: lr")
  T.raises(function() return optim.adam(m, { momentum = 0.9 }) end, "optim.adam", "unknown option 'momentum'",
    "known: lr, betas, eps, weight_decay, amsgrad, maximize")
end)

T.test("a misspelt lr is reported as an unknown option, not as 'lr is required'", function()
  T.raises(function() return optim.sgd(model.linear{}, { lrr = 0.1 }) end, "optim.sgd", "unknown option 'lrr'",
    "known: lr")
end)

-- ---- sgd options -----------------------------------------------------------

T.test("optim.sgd: momentum, dampening and weight_decay out of range are named", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = 1, momentum = -1 }) end, "optim.sgd", "momentum must be >= 0, got -1")
  T.raises(function() return optim.sgd(m, { lr = 1, momentum = "a" }) end, "optim.sgd", "momentum must be a number, got string")
  T.raises(function() return optim.sgd(m, { lr = 1, dampening = 2 }) end, "optim.sgd", "dampening must be from 0 to 1, got 2")
  T.raises(function() return optim.sgd(m, { lr = 1, dampening = -0.1 }) end, "optim.sgd", "got -0.1")
  T.raises(function() return optim.sgd(m, { lr = 1, weight_decay = -1 }) end, "optim.sgd", "weight_decay must be >= 0, got -1")
end)

T.test("optim.sgd: nesterov without momentum (or with dampening) is an error", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = 1, nesterov = true }) end, "optim.sgd", "nesterov needs momentum > 0")
  T.raises(function() return optim.sgd(m, { lr = 1, nesterov = true, momentum = 0.9, dampening = 0.1 }) end,
    "optim.sgd", "nesterov needs", "dampening 0")
end)

T.test("optim.sgd: boolean options of another type name the type", function()
  local m = model.linear{}
  T.raises(function() return optim.sgd(m, { lr = 1, nesterov = "yes" }) end, "optim.sgd", "nesterov must be true or false, got string")
  T.raises(function() return optim.sgd(m, { lr = 1, nesterov = 1 }) end, "optim.sgd", "got number")
  T.raises(function() return optim.sgd(m, { lr = 1, maximize = "no" }) end, "optim.sgd", "maximize must be true or false, got string")
end)

-- ---- adam options ----------------------------------------------------------

T.test("optim.adam: betas not a pair of numbers is an error showing the form", function()
  local m = model.linear{}
  local form = "betas must be a table of two numbers like {0.9, 0.999}"
  T.raises(function() return optim.adam(m, { betas = 0.9 }) end, "optim.adam", form)
  T.raises(function() return optim.adam(m, { betas = { 0.9 } }) end, "optim.adam", form)
  T.raises(function() return optim.adam(m, { betas = { 0.9, 0.99, 0.9 } }) end, "optim.adam", form)
  T.raises(function() return optim.adam(m, { betas = { 0.9, "a" } }) end, "optim.adam", form)
  T.raises(function() return optim.adam(m, { betas = { b1 = 0.9, b2 = 0.99 } }) end, "optim.adam", form)
end)

T.test("optim.adam: betas not a pair says what was given", function()
  T.raises(function() return optim.adam(model.linear{}, { betas = 0.5 }) end, "optim.adam", "betas", "got number")
end)

T.test("optim.adam: betas out of [0, 1) name which beta and its value", function()
  local m = model.linear{}
  T.raises(function() return optim.adam(m, { betas = { 1, 0.9 } }) end, "optim.adam", "betas[1] must be in [0, 1), got 1")
  T.raises(function() return optim.adam(m, { betas = { 0.9, 1 } }) end, "optim.adam", "betas[2] must be in [0, 1), got 1")
  T.raises(function() return optim.adam(m, { betas = { -0.1, 0.9 } }) end, "optim.adam", "betas[1]", "got -0.1")
  T.raises(function() return optim.adam(m, { betas = { 0.9, 1.5 } }) end, "optim.adam", "betas[2]", "got 1.5")
end)

T.test("optim.adam: eps negative or of the wrong type is named", function()
  local m = model.linear{}
  T.raises(function() return optim.adam(m, { eps = -1 }) end, "optim.adam", "eps must be >= 0, got -1")
  T.raises(function() return optim.adam(m, { eps = "a" }) end, "optim.adam", "eps must be a number, got string")
  T.raises(function() return optim.adam(m, { amsgrad = 1 }) end, "optim.adam", "amsgrad must be true or false, got number")
  T.raises(function() return optim.adam(m, { weight_decay = -1 }) end, "optim.adam", "weight_decay must be >= 0, got -1")
end)

-- inf is >= 0: "eps must be >= 0, got inf" contradicts itself.
T.test("optim.adam: eps = inf says eps must be finite", function()
  T.raises(function() return optim.adam(model.linear{}, { eps = 1 / 0 }) end, "optim.adam", "eps", "finite", "inf")
end)

-- ---- the optimizer object --------------------------------------------------

T.test("opt.lr set to a bad value names lr and the value", function()
  local o = optim.sgd(model.linear{}, { lr = 0.1 })
  T.raises(function() o.lr = 0 end, "optimizer", "lr must be a number > 0, got 0")
  T.raises(function() o.lr = -1 end, "optimizer", "got -1")
  T.raises(function() o.lr = 1 / 0 end, "optimizer", "got inf")
  T.eq(o.lr, 0.1, "lr after the refused assignments")
end)

T.test("opt.lr = 'fast' names lr, not an anonymous argument #3", function()
  local o = optim.sgd(model.linear{}, { lr = 0.1 })
  T.raises(function() o.lr = "fast" end, "lr", "string")
end)

T.test("optimizer fields other than lr cannot be set; unknown ones are listed", function()
  local o = optim.sgd(model.linear{}, { lr = 0.1 })
  T.raises(function() o.momentum = 0.9 end, "optimizer", "cannot set 'momentum'", "only lr can change")
  T.raises(function() o.steps = 1 end, "cannot set 'steps'")
  T.raises(function() return o.foo end, "no field 'foo'", "lr, steps, model, step, zero_grad, reset")
end)

T.test("opt.step called on something else names the type", function()
  local m = model.linear{}
  local o = optim.sgd(m, { lr = 0.1 })
  T.raises(function() return o.step(nil) end, "step", "Optimizer expected, got nil")
  T.raises(function() return o.step(m) end, "step", "Optimizer expected, got Model")
end)

T.test("a closed optimizer used after its block says it is closed", function()
  local o = closed_optimizer(model.linear{})
  T.raises(function() return o:step() end, "optimizer has been closed")
  T.raises(function() return o.lr end, "optimizer has been closed")
  T.raises(function() return o:zero_grad() end, "optimizer has been closed")
  T.raises(function() return optim.sgd(model.linear{}, { lr = 1 }).reset(o) end, "reset", "optimizer has been closed")
end)

T.test("tostring of a closed optimizer says it is closed", function()
  T.contains(tostring(closed_optimizer(model.linear{})), "closed")
end)

T.test("opt:step after its model was closed names the model, not argument #-2", function()
  local o
  do
    local m <close> = model.linear{ w = 1 }
    o = optim.sgd(m, { lr = 0.1 })
  end
  local err = T.raises(function() return o:step() end, "step", "model has been closed")
  T.truthy(not err:find("#-2", 1, true), "message without 'bad argument #-2': " .. err)
end)

-- ---- divergence in an explicit loop ----------------------------------------

-- Gradient descent on x = {1, 2, 3}, y = {2, 4, 6} from w0 = 1:
-- w_k - 2 = (1 - lr*28/3)^k * (w0 - 2). With lr = 10 the factor is -92.33,
-- so |w_k - 2| = 92.33^k: 92.33^156 = 10^306.6 is finite, 92.33^157 =
-- 10^308.6 passes the largest double (1.8e308), and the gradient
-- 28/3*(w - 2) at w_156 (10^307.6) is still finite. So w becomes inf in
-- step 157.
T.test("grad.mse + opt:step with lr = 10 stops with an error naming step 157", function()
  local m = model.linear{ w = 1 }
  local opt = optim.sgd(m, { lr = 10 })
  local steps = 0
  T.raises(function()
    for _ = 1, 1000 do
      grad.mse(m, X, Y)
      opt:step()
      steps = steps + 1
    end
  end, "sgd.step", "w became inf at step 157", "training diverged", "learning rate")
  T.eq(steps, 156, "steps completed before the error")
end)

T.test("sgd with momentum diverging in an explicit loop is a clear error", function()
  -- the gradient (28/3 (w - 2)) overflows here before w itself does: grad.mse says so
  local m = model.linear{ w = 1 }
  local opt = optim.sgd(m, { lr = 10, momentum = 0.9 })
  T.raises(function()
    for _ = 1, 1000 do
      grad.mse(m, X, Y)
      opt:step()
    end
  end, "grad.mse: the gradient overflowed to inf", "training diverged", "learning rate")
end)

T.test("a loss that overflows from finite values is an error, not inf in a CSV", function()
  -- (yhat - y)^2 with yhat = 1e200: 1e400 is past the largest double
  T.raises(function() return loss.se(1e200, 0) end,
    "loss.se: the loss overflowed to inf", "training diverged")
  T.raises(function() return loss.mse(model.linear{ w = 1e200 }, { 1 }, { 0 }) end,
    "loss.mse: the loss overflowed to inf")
  T.raises(function() return grad.se(model.linear{ w = 1e200 }, 1e200, 0) end,
    "grad.se: the gradient overflowed to inf")
end)

-- Adam's step size is lr/(1 - beta1^t) (optim.h): at t = 1 that is
-- 1e308/0.1, which overflows to inf, so w becomes inf in step 1.
T.test("adam with lr = 1e308 stops at step 1 naming it", function()
  local m = model.linear{ w = 1 }
  local opt = optim.adam(m, { lr = 1e308 })
  grad.mse(m, X, Y)
  T.raises(function() opt:step() end, "adam.step", "w became", "at step 1")
end)

T.done()
