-- tests/test_badinput_fit.lua: bad input to fit (the fast training loop):
-- wrong arguments and options, bad data, diverging training and failing
-- callbacks each give a clear error naming fit and what was wrong; never a
-- crash, a hang, or a model silently left untrained.
local T = dofile("tests/check.lua")
local child_raises = T.child_raises

local X, Y = { 1, 2, 3 }, { 2, 4, 6 }

local function lin() return model.linear{ w = 1 } end

-- fit(lin(), X, Y, opts) with opts added to a valid {epochs = 1, lr = 0.01}.
local function fit_with(opts)
  local o = { epochs = 1, lr = 0.01 }
  for k, v in pairs(opts) do o[k] = v end
  return fit(lin(), X, Y, o)
end


-- ---- arguments -------------------------------------------------------------

T.test("fit with missing or wrong-type arguments names the argument and type", function()
  T.raises(function() return fit() end, "fit", "Model expected, got no value")
  T.raises(function() return fit("m", X, Y, { epochs = 1, lr = 0.1 }) end, "fit", "Model expected, got string")
  T.raises(function() return fit(lin()) end, "fit", "x must be a tensor or a table of numbers, got no value")
  T.raises(function() return fit(lin(), "x", Y, { epochs = 1, lr = 0.1 }) end, "fit", "x must be", "got string")
  T.raises(function() return fit(lin(), X, true, { epochs = 1, lr = 0.1 }) end, "fit", "y must be", "got boolean")
  T.raises(function() return fit(lin(), X, Y) end, "fit", "#4", "table expected, got no value")
  T.raises(function() return fit(lin(), X, Y, "fast") end, "fit", "#4", "table expected, got string")
end)

T.test("fit on closed models and tensors says they are closed", function()
  local m, x
  do
    local mc <close> = lin()
    local xc <close> = tensor{ 1, 2, 3 }
    m, x = mc, xc
  end
  T.raises(function() return fit(m, X, Y, { epochs = 1, lr = 0.1 }) end, "fit", "model has been closed")
  T.raises(function() return fit(lin(), x, Y, { epochs = 1, lr = 0.1 }) end, "fit", "x is a closed tensor")
  T.raises(function() return fit(lin(), X, x, { epochs = 1, lr = 0.1 }) end, "fit", "y is a closed tensor")
end)

-- ---- data ------------------------------------------------------------------

T.test("fit with x and y of different lengths names both lengths", function()
  T.raises(function() return fit(lin(), { 1, 2 }, Y, { epochs = 1, lr = 0.1 }) end, "fit",
    "y has 3 elements, expected 2")
end)

T.test("fit on empty data is an error", function()
  T.raises(function() return fit(lin(), {}, {}, { epochs = 1, lr = 0.1 }) end, "fit", "the data is empty")
end)

T.test("fit with nan or inf in the data names the element, 1-based", function()
  T.raises(function() return fit(lin(), { 1, 0 / 0, 3 }, Y, { epochs = 1, lr = 0.1 }) end, "fit", "x[2] is nan")
  T.raises(function() return fit(lin(), X, { 2, 4, 1 / 0 }, { epochs = 1, lr = 0.1 }) end, "fit", "y[3] is inf")
  T.raises(function() return fit(model.multi{ inputs = 2 }, { { 1, 2 }, { -1 / 0, 4 } }, { 1, 2 },
    { epochs = 1, lr = 0.1 }) end, "fit", "x[2][1] is -inf")
end)

T.test("fit with x of the wrong shape for the model says what it expected", function()
  T.raises(function() return fit(lin(), { { 1, 2 } }, { 1 }, { epochs = 1, lr = 0.1 }) end, "fit",
    "x must be a vector for a linear model", "1x2 matrix")
  T.raises(function() return fit(model.multi{ inputs = 2 }, { { 1, 2, 3 } }, { 1 }, { epochs = 1, lr = 0.1 }) end,
    "fit", "2 columns", "got 3 columns")
end)

-- ---- options ---------------------------------------------------------------

T.test("fit with an unknown option names it and lists the known ones", function()
  T.raises(function() return fit_with{ epoch = 3 } end, "fit", "unknown option 'epoch'",
    "known: epochs, lr, optimizer, batch, shuffle, on_epoch")
  T.raises(function() return fit(lin(), X, Y, { epochs = 1, lr = 0.1, 5 }) end, "fit", "unknown option '1'")
end)

T.test("fit without epochs says epochs is required", function()
  T.raises(function() return fit(lin(), X, Y, { lr = 0.1 }) end, "fit", "epochs is required")
end)

T.test("fit with epochs not a whole number >= 1 says what it got", function()
  T.raises(function() return fit_with{ epochs = 1.5 } end, "fit", "epochs must be an integer >= 1, got 1.5")
  T.raises(function() return fit_with{ epochs = 0 } end, "fit", "epochs must be an integer >= 1, got 0")
  T.raises(function() return fit_with{ epochs = -1 } end, "fit", "got -1")
  T.raises(function() return fit_with{ epochs = "ten" } end, "fit", "got ten")
  T.raises(function() return fit_with{ epochs = true } end, "fit", "got true")
end)

T.test("fit with epochs = '10' (a string) is refused like other non-numbers", function()
  T.raises(function() return fit_with{ epochs = "10" } end, "fit", "epochs", "string")
end)

T.test("fit with lr of the wrong type or <= 0 names lr and the value", function()
  T.raises(function() return fit_with{ lr = "fast" } end, "fit", "lr must be a number, got string")
  T.raises(function() return fit_with{ lr = 0 } end, "fit", "lr must be a number > 0, got 0")
  T.raises(function() return fit_with{ lr = -1 } end, "fit", "got -1")
  T.raises(function() return fit_with{ lr = 1 / 0 } end, "fit", "got inf")
end)

T.test("fit with batch = 0, negative or fractional says what it got", function()
  T.raises(function() return fit_with{ batch = 0 } end, "fit", "batch must be an integer >= 1, got 0")
  T.raises(function() return fit_with{ batch = -1 } end, "fit", "got -1")
  T.raises(function() return fit_with{ batch = 1.5 } end, "fit", "got 1.5")
  T.raises(function() return fit_with{ batch = true } end, "fit", "got true")
end)

T.test("fit with batch larger than the data names both sizes", function()
  T.raises(function() return fit_with{ batch = 4 } end, "fit", "batch must be from 1 to 3", "got 4")
  T.raises(function() return fit_with{ batch = 2 ^ 62 } end, "fit", "from 1 to 3", "got 4611686018427387904")
end)

T.test("fit with batch a string other than \"full\" shows the choices", function()
  T.raises(function() return fit_with{ batch = "half" } end, "fit", "batch must be \"full\" or a number", "got 'half'")
  T.raises(function() return fit_with{ batch = "2" } end, "fit", "got '2'")
end)

T.test("fit with shuffle not a boolean names the type", function()
  T.raises(function() return fit_with{ shuffle = "yes" } end, "fit", "shuffle must be true or false, got string")
  T.raises(function() return fit_with{ shuffle = 1 } end, "fit", "got number")
end)

-- ---- lr and optimizer ------------------------------------------------------

T.test("fit with both lr and optimizer, or neither, says which to give", function()
  local m = lin()
  T.raises(function() return fit(m, X, Y, { epochs = 1, lr = 0.1, optimizer = optim.sgd(m, { lr = 0.1 }) }) end,
    "fit", "give lr or optimizer, not both")
  T.raises(function() return fit(m, X, Y, { epochs = 1 }) end, "fit", "needs lr = ... (plain SGD) or optimizer = ...")
end)

T.test("fit with an optimizer made for another model says so", function()
  local other = lin()
  T.raises(function() return fit(lin(), X, Y, { epochs = 1, optimizer = optim.sgd(other, { lr = 0.1 }) }) end,
    "fit", "the optimizer was made for another model")
end)

T.test("fit with optimizer of the wrong type names the option, not argument #6", function()
  local err = T.raises(function() return fit(lin(), X, Y, { epochs = 1, optimizer = "adam" }) end, "fit", "optimizer",
    "string")
  T.truthy(not err:find("#6", 1, true), "message without 'bad argument #6': " .. err)
end)

T.test("fit with a closed optimizer names the option, not argument #6", function()
  local m = lin()
  local o
  do
    local oc <close> = optim.sgd(m, { lr = 0.1 })
    o = oc
  end
  local err = T.raises(function() return fit(m, X, Y, { epochs = 1, optimizer = o }) end, "fit", "optimizer", "closed")
  T.truthy(not err:find("#6", 1, true), "message without 'bad argument #6': " .. err)
end)

-- ---- on_epoch --------------------------------------------------------------

T.test("fit with on_epoch not a function names on_epoch and the type given", function()
  T.raises(function() return fit_with{ on_epoch = "print" } end, "fit", "on_epoch", "function", "string")
end)

T.test("an error raised in on_epoch comes out of fit with its own message", function()
  local calls = 0
  T.raises(function()
    return fit_with{ epochs = 5, on_epoch = function(epoch)
      calls = calls + 1
      if epoch == 2 then error("on_epoch refused epoch " .. epoch) end
    end }
  end, "on_epoch refused epoch 2")
  T.eq(calls, 2, "on_epoch calls before the error")
end)

T.test("an error object (a table) raised in on_epoch comes out of fit unchanged", function()
  local obj = { reason = "stop" }
  local ok, err = pcall(fit_with, { epochs = 3, on_epoch = function() error(obj) end })
  T.eq(ok, false, "fit failed")
  T.eq(err, obj, "the error object")
end)

T.test("on_epoch closing the model is an error, not a crash", function()
  child_raises([[
    fit(model.linear{ w = 1 }, { 1, 2, 3 }, { 2, 4, 6 }, { epochs = 3, lr = 0.01,
      on_epoch = function(e, l, m) getmetatable(m).__close(m) end })
  ]], "fit", "closed")
end)

T.test("on_epoch closing the x tensor does not disturb fit: it holds its own reference", function()
  -- the same three epochs as with x left open, to the bit
  local function run(close)
    local x = tensor{ 1, 2, 3 }
    local m = model.linear{ w = 1 }
    fit(m, x, { 2, 4, 6 }, { epochs = 3, lr = 0.01,
      on_epoch = function() if close then getmetatable(x).__close(x) end end })
    return m.w
  end
  T.eq(run(true), run(false), "w after 3 epochs")
end)

T.test("on_epoch closing the optimizer is an error, not training silently frozen", function()
  local m = lin()
  local o = optim.sgd(m, { lr = 0.01, momentum = 0.9 })
  T.raises(function()
    return fit(m, X, Y, { epochs = 5, optimizer = o, on_epoch = function(e)
      if e == 2 then getmetatable(o).__close(o) end
    end })
  end, "fit", "closed")
end)

-- ---- divergence ------------------------------------------------------------

-- Full batch from w0 = 1 with lr = 10: w_k - 2 = -(-92.33)^k (see
-- test_badinput_optim.lua). The epoch's loss is the MSE before its update,
-- (14*(w - 2)^2)/3 summed as 9r^2 + 4r^2 + r^2 with r = w - 2: at epoch 80,
-- r = 92.33^79 and r^2 = 10^310.5 is inf; at epoch 79 the sum is 10^307.7,
-- finite. So the loss becomes inf at epoch 80.
T.test("fit with lr = 10 for 1000 epochs stops naming epoch 80", function()
  local m = lin()
  T.raises(function() return fit(m, X, Y, { epochs = 1000, lr = 10 }) end,
    "fit", "became inf at epoch 80", "training diverged", "learning rate")
end)

T.test("fit diverging per sample (batch = 1) names the epoch", function()
  T.raises(function() return fit(lin(), X, Y, { epochs = 1000, lr = 10, batch = 1 }) end,
    "fit", "became inf at epoch", "training diverged")
end)

T.test("fit diverging with shuffled mini-batches names the epoch", function()
  T.raises(function() return fit(model.affine{ w = 1 }, X, Y, { epochs = 1000, lr = 10, batch = 2, shuffle = true }) end,
    "fit", "at epoch", "training diverged")
end)

T.test("fit diverging with an optimizer and on a multi model names the epoch", function()
  local m = lin()
  T.raises(function() return fit(m, X, Y, { epochs = 1000, optimizer = optim.sgd(m, { lr = 10, momentum = 0.9 }) }) end,
    "fit", "at epoch", "training diverged")
  T.raises(function() return fit(model.multi{ inputs = 2 }, { { 1, 2 }, { 3, 4 } }, { 1, 2 }, { epochs = 1000, lr = 10 }) end,
    "fit", "at epoch", "training diverged")
end)

T.test("fit diverging calls on_epoch only for the finite epochs", function()
  local last = 0
  T.raises(function()
    return fit(lin(), X, Y, { epochs = 1000, lr = 10, on_epoch = function(e, loss)
      T.truthy(loss == loss and loss < math.huge, "finite loss at epoch " .. e)
      last = e
    end })
  end, "at epoch 80")
  T.eq(last, 79, "last epoch reported to on_epoch")
end)

T.done()
