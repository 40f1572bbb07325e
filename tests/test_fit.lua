-- test_fit.lua: the fast training loop. Its numbers must equal those of the
-- same experiment written as a Lua loop over grad.mse and opt:step(), for
-- full batch, mini-batch and per-sample SGD, in order and shuffled: the issue
-- asks for 1e-12; they are in fact equal to the bit, because both use the
-- same kernels and update rules, so this checks bit equality. Full-batch
-- gradient descent must also follow its closed form.
local T = dofile("tests/check.lua")

-- A data set: y = 2x + 1 + noise (or rows of 3 inputs for multi).
local function data(n, inputs)
  rng.seed(3)
  if not inputs then
    local x = rng.uniform(n)
    return x, 2 * x + 1 + rng.normal(n, 0, 0.1)
  end
  local X, y = tensor.zeros(n, inputs), tensor.zeros(n)
  for i = 1, n do
    local s = 1
    for j = 1, inputs do
      X:set(i, j, rng.uniform())
      s = s + j * X:get(i, j)
    end
    y[i] = s
  end
  return X, y
end

-- The rows idx[first..last] of x (vector or matrix) and y, as new tensors.
local function batch(x, y, idx, first, last)
  local rows, cols = x:shape()
  local xb = cols and tensor.zeros(last - first + 1, cols) or tensor.zeros(last - first + 1)
  local yb = tensor.zeros(last - first + 1)
  for k = first, last do
    local i = idx[k]
    if cols then
      for j = 1, cols do xb:set(k - first + 1, j, x:get(i, j)) end
    else
      xb[k - first + 1] = x[i]
    end
    yb[k - first + 1] = y[i]
  end
  return xb, yb
end

-- The reference: the same training written in Lua. Returns the per-epoch losses.
local function lua_loop(m, opt, x, y, epochs, bsize, shuffle)
  local n = #y
  local losses = {}
  for e = 1, epochs do
    local idx = {}
    if shuffle then idx = rng.permutation(n) else for i = 1, n do idx[i] = i end end
    local sum, last = 0, nil
    for first = 1, n, bsize do
      local lastk = math.min(first + bsize - 1, n)
      local xb, yb = batch(x, y, idx, first, lastk)
      last = loss.mse(m, xb, yb)
      sum = sum + last * (lastk - first + 1)
      grad.mse(m, xb, yb)
      opt:step()
    end
    losses[e] = bsize >= n and last or sum / n
  end
  return losses
end

local function compare(name, make_model, make_opt, x, y, epochs, bsize, shuffle)
  T.test(name, function()
    local m1, m2 = make_model(), make_model()
    local fit_losses = {}
    rng.seed(11)
    local r = fit(m1, x, y, { optimizer = make_opt(m1), epochs = epochs, batch = bsize,
                              shuffle = shuffle,
                              on_epoch = function(e, l) fit_losses[e] = l end })
    rng.seed(11)
    local ref = lua_loop(m2, make_opt(m2), x, y, epochs, bsize, shuffle)
    T.eq(r.epochs, epochs, "epochs done")
    local p1, p2 = m1:params(), m2:params()
    if m1.kind == "multi" then
      for j = 1, #p1.w do T.eq(p1.w[j], p2.w[j], "w[" .. j .. "]") end
    else
      T.eq(p1.w, p2.w, "w")
    end
    if p1.b then T.eq(p1.b, p2.b, "b") end
    -- m.grad: the last batch's gradient, by either path
    local g1, g2 = m1.grad, m2.grad
    if m1.kind ~= "multi" then T.eq(g1.w, g2.w, "m.grad.w") end
    if g1.b then T.eq(g1.b, g2.b, "m.grad.b") end
    for e = 1, epochs do T.eq(fit_losses[e], ref[e], "loss of epoch " .. e) end
    T.eq(r.loss, ref[epochs], "r.loss")
  end)
end

local x, y = data(200)
local affine = function() return model.affine{ w = 0, b = 0 } end
local sgd = function(lr) return function(m) return optim.sgd(m, { lr = lr }) end end
compare("full batch = Lua loop", affine, sgd(0.5), x, y, 30, 200, false)
compare("mini-batch of 32 = Lua loop (last batch smaller)", affine, sgd(0.1), x, y, 5, 32, false)
compare("mini-batch shuffled = Lua loop", affine, sgd(0.1), x, y, 5, 32, true)
compare("per-sample SGD = Lua loop", affine, sgd(0.05), x, y, 3, 1, false)
compare("per-sample SGD shuffled = Lua loop", affine, sgd(0.05), x, y, 3, 1, true)
compare("SGD with momentum, mini-batch = Lua loop", affine,
  function(m) return optim.sgd(m, { lr = 0.05, momentum = 0.9, nesterov = true }) end, x, y, 4, 16, true)
compare("Adam, per sample = Lua loop", affine,
  function(m) return optim.adam(m, { lr = 0.01 }) end, x, y, 2, 1, true)
compare("linear model, per-sample SGD = Lua loop", function() return model.linear{ w = 1 } end,
  sgd(0.05), x, y, 3, 1, false)
local X, Y = data(100, 3)
compare("multi model, mini-batch shuffled = Lua loop",
  function() return model.multi{ inputs = 3 } end, sgd(0.1), X, Y, 5, 10, true)

T.test("full-batch gradient descent follows w_k = 2 - (1 - lr*28/3)^k (2 - w0)", function()
  local m = model.linear{ w = 1 }
  local ws = {}
  fit(m, { 1, 2, 3 }, { 2, 4, 6 }, { lr = 0.01, epochs = 100,
      on_epoch = function(e) ws[e] = m.w end })
  for _, k in ipairs({ 1, 2, 10, 50, 100 }) do
    T.near(ws[k], 2 - (1 - 0.01 * 28 / 3) ^ k * (2 - 1), 1e-12, "w_" .. k)
  end
end)

T.test("per-sample SGD on y = 2x: w - 2 shrinks by (1-0.02)(1-0.08)(1-0.18) per epoch", function()
  -- w <- w - lr*2x(xw - 2x) = w - 2 lr x^2 (w - 2), so (w - 2) <- (w - 2)(1 - 2 lr x^2)
  local m = model.linear{ w = 1 }
  fit(m, { 1, 2, 3 }, { 2, 4, 6 }, { lr = 0.01, epochs = 10, batch = 1 })
  T.near(m.w, 2 - (0.98 * 0.92 * 0.82) ^ 10, 1e-12, "w after 10 epochs")
end)

T.test("on_epoch returning true stops early; its arguments", function()
  local m = model.linear{ w = 1 }
  local seen = {}
  local r = fit(m, { 1, 2, 3 }, { 2, 4, 6 }, { lr = 0.01, epochs = 100,
    on_epoch = function(e, l, mm)
      seen[#seen + 1] = e
      T.eq(mm, m, "the model is passed")
      T.eq(math.type(l), "float", "loss")
      return e == 3
    end })
  T.eq(r.epochs, 3, "stopped after 3")
  T.eq(#seen, 3, "called 3 times")
end)

T.test("the epoch loss of full batch is the MSE before the update", function()
  local m = model.linear{ w = 1 }
  local r = fit(m, { 1, 2, 3 }, { 2, 4, 6 }, { lr = 0.01, epochs = 1 })
  T.eq(r.loss, 14 / 3, "MSE at w = 1")
end)

T.test("diverging training is an error naming the epoch, not a table of nan", function()
  local m = model.linear{ w = 1 }
  T.raises(function()
    fit(m, { 1, 2, 3 }, { 2, 4, 6 }, { lr = 10, epochs = 1000 })
  end, "fit:", "became inf at epoch", "learning rate")
end)

T.test("results do not depend on the number of threads", function()
  -- 300,000 samples: ten chunks of 32768, work well above the pool's
  -- threshold, so two or three threads share every pass (when the machine
  -- lets them: the bits must be the same either way).
  local script = T.tmpdir() .. "/threads.lua"
  T.write(script, [[
    rng.seed(5)
    local x = rng.uniform(300000)
    local y = 3 * x - 1 + rng.normal(300000, 0, 0.5)
    local m = model.affine{ w = 0, b = 0 }
    local g = grad.mse(m, x, y)
    local r = fit(m, x, y, { lr = 0.3, epochs = 5 })
    local s = scan.mse{ x = x, y = y, w = tensor.linspace(0, 4, 30), b = tensor.linspace(-2, 2, 30),
                        method = "direct" }
    local X = tensor.zeros(300000, 2)
    for i = 1, 300000 do X:set(i, 1, x[i]); X:set(i, 2, x[i] * x[i]) end
    local mm = model.multi{ inputs = 2 }
    local rm = fit(mm, X, y, { lr = 0.1, epochs = 3 })
    io.write(string.format("%a %a %a %a %a %a %a %a\n", g.w, g.b, m.w, m.b, r.loss, s:sum(),
                           rm.loss, mm.b))
  ]])
  local out = " -q --out " .. T.quote(T.tmpdir()) .. " "
  local _, one, err = T.sh("LUAGRAD_THREADS=1 " .. T.quote(T.luagrad) .. out .. T.quote(script))
  T.truthy(one and #one > 10, "the script printed its numbers: " .. tostring(err))
  for _, n in ipairs{ 2, 3 } do
    local _, got = T.sh("LUAGRAD_THREADS=" .. n .. " " .. T.quote(T.luagrad) .. out .. T.quote(script))
    T.eq(got, one, "bit-identical with 1 and " .. n .. " threads")
  end
end)

T.done()
