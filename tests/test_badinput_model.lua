-- tests/test_badinput_model.lua: bad input to the model, loss and grad
-- modules gets a clear error naming the function and what was wrong,
-- expected and given; never a crash or a silent nan.
local T = dofile("tests/check.lua")
local child_raises = T.child_raises

local X, Y = { 1, 2, 3 }, { 2, 4, 6 }

local function closed_model()
  local kept
  do
    local m <close> = model.linear{ w = 2 }
    kept = m
  end
  return kept
end

-- A linear model whose w became inf in a diverged gradient-descent loop
-- (opt:step raises after the step that overflowed w).
local function diverged_model()
  local m = model.linear{ w = 1 }
  local opt = optim.sgd(m, { lr = 10 })
  pcall(function()
    for _ = 1, 1000 do
      grad.mse(m, X, Y)
      opt:step()
    end
  end)
  return m
end


-- ---- model constructors ----------------------------------------------------

T.test("model constructors given a non-table name the type", function()
  T.raises(function() return model.linear("a") end, "model.linear", "expected a table of options, got string")
  T.raises(function() return model.affine(5) end, "model.affine", "expected a table of options, got number")
  T.raises(function() return model.linear(true) end, "model.linear", "got boolean")
  T.raises(function() return model.multi() end, "model.multi", "inputs")
end)

T.test("model constructors with a parameter of the wrong type name it and the type", function()
  T.raises(function() return model.linear{ w = "a" } end, "model.linear", "w must be a number, got string")
  T.raises(function() return model.affine{ w = 1, b = {} } end, "model.affine", "b must be a number, got table")
  T.raises(function() return model.multi{ inputs = 2, w = "a" } end, "model.multi", "w must be a tensor", "got string")
  T.raises(function() return model.multi{ inputs = 2, w = 3 } end, "model.multi", "got number")
  T.raises(function() return model.multi{ inputs = 2, w = { { 1, 2 } } } end, "model.multi", "w must be a vector", "[1x2]")
end)

T.test("model constructors list the known options for an unknown one", function()
  T.raises(function() return model.linear{ b = 1 } end, "model.linear", "unknown option 'b'", "known: w")
  T.raises(function() return model.affine{ ww = 1 } end, "model.affine", "unknown option 'ww'", "known: w, b")
  T.raises(function() return model.multi{ inputs = 2, lr = 1 } end, "model.multi", "unknown option 'lr'",
    "known: inputs, w, b")
end)

T.test("model.multi with a bad input count says what it got", function()
  T.raises(function() return model.multi{} end, "model.multi", "inputs must be an integer >= 1, got nil")
  T.raises(function() return model.multi{ inputs = 0 } end, "model.multi", "got 0")
  T.raises(function() return model.multi{ inputs = -1 } end, "model.multi", "got -1")
  T.raises(function() return model.multi{ inputs = 1.5 } end, "model.multi", "got 1.5")
  T.raises(function() return model.multi{ inputs = 2 ^ 62 } end, "model.multi", "4611686018427387904")
end)

T.test("model.multi{inputs = '2'} is refused: a string is not a count", function()
  T.raises(function() return model.multi{ inputs = "2" } end, "model.multi", "inputs", "string")
end)

T.test("model.multi with w of the wrong length names both lengths", function()
  T.raises(function() return model.multi{ inputs = 2, w = { 1 } } end, "model.multi", "w has 1 numbers, expected 2")
end)

T.test("model.linear{w = nan} is an error naming w, not a model that fails later", function()
  T.raises(function() return model.linear{ w = 0 / 0 } end, "model.linear", "w is nan")
end)

T.test("model.multi with a nan in w names the element", function()
  T.raises(function() return model.multi{ inputs = 2, w = { 1, 0 / 0 } } end, "model.multi", "w[2] is nan")
end)

T.test("setting m.b = inf is an error naming b", function()
  local m = model.affine{ w = 1, b = 0 }
  T.raises(function() m.b = 1 / 0 end, "b is inf")
end)

-- ---- fields and forward ----------------------------------------------------

T.test("model fields: no b on a linear model, unknown names listed", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return m.b end, "linear model", "has no b")
  T.raises(function() m.b = 1 end, "linear model", "has no b")
  T.raises(function() return m.foo end, "no field 'foo'", "forward, params, parameters, zero_grad, copy")
  T.raises(function() m.foo = 1 end, "cannot set 'foo'")
  T.raises(function() m.w = "a" end, "w must be a number, got string")
  T.raises(function() m.w = nil end, "w must be a number, got nil")
end)

T.test("a multi model's w set to the wrong length names both lengths", function()
  local m = model.multi{ inputs = 2 }
  T.raises(function() m.w = { 1, 2, 3 } end, "w has 3 numbers, expected 2")
  T.raises(function() m.w = 5 end, "w must be a tensor or a table of numbers, got number")
end)

T.test("forward with a wrong type names x and the type", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return m:forward() end, "forward", "x must be", "got no value")
  T.raises(function() return m:forward("a") end, "forward", "got string")
  T.raises(function() return m:forward(true) end, "forward", "got boolean")
  T.raises(function() return m:forward({ 1, "a" }) end, "forward", "x[2] is a string")
  T.raises(function() return m.forward("m", 1) end, "forward", "Model expected, got string")
end)

T.test("forward with the wrong shape names both sizes", function()
  T.raises(function() return model.linear{}:forward({ { 1, 2 } }) end, "forward", "linear model", "1x2 matrix")
  local mm = model.multi{ inputs = 2 }
  T.raises(function() return mm:forward(1) end, "forward", "2 inputs")
  T.raises(function() return mm:forward({ 1, 2, 3 }) end, "forward", "x has 3 numbers, expected 2")
  T.raises(function() return mm:forward({ { 1, 2, 3 } }) end, "forward", "x has 3 columns, expected 2")
end)

T.test("forward on x with a nan names the element", function()
  T.raises(function() return model.linear{ w = 1 }:forward({ 1, 0 / 0 }) end, "forward", "x[2] is nan")
end)

T.test("a closed model used after its block says it is closed", function()
  local m = closed_model()
  T.raises(function() return m.w end, "model has been closed")
  T.raises(function() return m:forward(1) end, "model has been closed")
  T.raises(function() m.w = 1 end, "model has been closed")
  T.raises(function() return grad.mse(m, X, Y) end, "mse", "model has been closed")
  T.raises(function() return grad.se(m, 1, 2) end, "se", "model has been closed")
  T.raises(function() return grad.numeric(m, X, Y) end, "numeric", "model has been closed")
  T.eq(tostring(m), "model (closed)", "tostring of a closed model")
  local live = model.linear{}
  local params, zero_grad, copy, forward = live.params, live.zero_grad, live.copy, live.forward
  T.raises(function() return params(m) end, "params", "model has been closed")
  T.raises(function() return zero_grad(m) end, "zero_grad", "model has been closed")
  T.raises(function() return copy(m) end, "copy", "model has been closed")
  T.raises(function() return forward(m, 1) end, "forward", "model has been closed")
end)

T.test("a closed tensor given as x or w says it is closed", function()
  local t
  do
    local c <close> = tensor{ 1, 2 }
    t = c
  end
  T.raises(function() return model.linear{}:forward(t) end, "forward", "x is a closed tensor")
  T.raises(function() return model.multi{ inputs = 2, w = t } end, "model.multi", "w is a closed tensor")
  local mm = model.multi{ inputs = 2 }
  T.raises(function() mm.w = t end, "w is a closed tensor")
  T.raises(function() return loss.mse(t, { 1, 2 }) end, "loss.mse", "yhat is a closed tensor")
  T.raises(function() return loss.se({ 1, 2 }, t) end, "loss.se", "y is a closed tensor")
  T.raises(function() return grad.mse(model.linear{}, t, { 1, 2 }) end, "grad.mse", "x is a closed tensor")
  T.raises(function() return grad.numeric(function() return 1 end, t) end, "grad.numeric", "p is a closed tensor")
end)

T.test("loss.mse(closed model, x, y) says the model is closed", function()
  local m = closed_model()
  T.raises(function() return loss.mse(m, X, Y) end, "loss.mse", "closed")
end)

T.test("loss.se(closed model, x, y) says the model is closed", function()
  local m = closed_model()
  T.raises(function() return loss.se(m, 1, 2) end, "loss.se", "closed")
end)

-- ---- loss.se ---------------------------------------------------------------

T.test("loss.se with wrong argument types names what it expected and got", function()
  T.raises(function() return loss.se() end, "loss.se", "expected (yhat, y)", "got no value and no value")
  T.raises(function() return loss.se(1) end, "loss.se", "got number and no value")
  T.raises(function() return loss.se(1, "a") end, "loss.se", "got number and string")
  T.raises(function() return loss.se("a", 1) end, "loss.se", "yhat must be a tensor or a table of numbers, got string")
  T.raises(function() return loss.se(nil, 1) end, "loss.se", "got nil")
end)

T.test("loss.se of tensors of different lengths names both", function()
  T.raises(function() return loss.se({ 1, 2 }, { 1 }) end, "loss.se", "y has 1 elements, expected 2")
end)

T.test("loss.se(m, x, y) with a bad x or y names it", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return loss.se(m, "a", 1) end, "loss.se", "x must be a number (one sample), got string")
  T.raises(function() return loss.se(m, { 1, 2 }, 1) end, "loss.se", "got table")
  T.raises(function() return loss.se(m, 1) end, "se", "#3", "number expected, got no value")
  T.raises(function() return loss.se(m, 1, "a") end, "se", "#3", "number expected, got string")
  local mm = model.multi{ inputs = 2 }
  T.raises(function() return loss.se(mm, { 1 }, 1) end, "loss.se", "x has 1 numbers, expected 2")
  T.raises(function() return loss.se(mm, 1, 1) end, "loss.se", "got number")
end)

T.test("loss.se of predictions with a nan names the element", function()
  T.raises(function() return loss.se({ 1, 2 }, { 1, 0 / 0 }) end, "loss.se", "y[2] is nan")
end)

T.test("loss.se of a nan number is an error, not nan", function()
  T.raises(function() return loss.se(0 / 0, 1) end, "loss.se", "yhat is nan")
end)

T.test("loss.se(m, x, y) with x nan or y inf is an error naming it", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return loss.se(m, 0 / 0, 1) end, "loss.se", "x is nan")
  T.raises(function() return loss.se(m, 1, 1 / 0) end, "loss.se", "y is inf")
end)

-- ---- loss.mse --------------------------------------------------------------

T.test("loss.mse with wrong types names the argument and type", function()
  T.raises(function() return loss.mse() end, "loss.mse", "yhat must be a tensor or a table of numbers, got no value")
  T.raises(function() return loss.mse("a", { 1 }) end, "loss.mse", "yhat", "got string")
  T.raises(function() return loss.mse({ 1 }, nil) end, "loss.mse", "y must be", "got nil")
  T.raises(function() return loss.mse({ { 1 } }, { 1 }) end, "loss.mse", "yhat must be a vector", "[1x1]")
end)

T.test("loss.mse of different lengths names both; empty data is an error", function()
  T.raises(function() return loss.mse({ 1 }, { 1, 2 }) end, "loss.mse", "y has 2 elements, expected 1")
  T.raises(function() return loss.mse({}, {}) end, "loss.mse", "the data is empty")
end)

T.test("loss.mse of predictions with a nan names the element", function()
  T.raises(function() return loss.mse({ 1, 0 / 0 }, { 1, 2 }) end, "loss.mse", "yhat[2] is nan")
end)

T.test("loss.mse of predictions with an inf target names the element", function()
  T.raises(function() return loss.mse({ 1, 2 }, { 1, 1 / 0 }) end, "loss.mse", "y[2] is inf")
end)

T.test("loss.mse(m, x, y): lengths, empty data, nan and inf are named", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return loss.mse(m, { 1, 2 }, { 1 }) end, "loss.mse", "y has 1 elements, expected 2")
  T.raises(function() return loss.mse(m, {}, {}) end, "loss.mse", "the data is empty")
  T.raises(function() return loss.mse(m, { 1, 0 / 0 }, { 1, 2 }) end, "loss.mse", "x[2] is nan")
  T.raises(function() return loss.mse(m, { 1, 2 }, { 1, -1 / 0 }) end, "loss.mse", "y[2] is -inf")
  T.raises(function() return loss.mse(m, "a", { 1 }) end, "loss.mse", "x must be", "got string")
  T.raises(function() return loss.mse(m, { 1 }) end, "loss.mse", "y must be", "got no value")
end)

T.test("loss.mse(m, x, y) with the wrong shape of x says what it expected", function()
  T.raises(function() return loss.mse(model.linear{}, { { 1, 2 } }, { 1 }) end, "loss.mse",
    "x must be a vector for a linear model", "1x2 matrix")
  local mm = model.multi{ inputs = 2 }
  T.raises(function() return loss.mse(mm, { 1, 2 }, { 1, 2 }) end, "loss.mse", "matrix with 2 columns",
    "a vector of 2 numbers")
  T.raises(function() return loss.mse(mm, { { 1, 2, 3 } }, { 1 }) end, "loss.mse", "2 columns", "got 3 columns")
  T.raises(function() return loss.mse(mm, { { 1, 2 }, { 3, 0 / 0 } }, { 1, 2 }) end, "loss.mse", "x[2][2] is nan")
end)

T.test("loss.mse on a model whose w is inf names the parameter", function()
  local m = diverged_model()
  T.truthy(m.w == math.huge or m.w == -math.huge, "the diverged model's w is inf")
  T.raises(function() return loss.mse(m, X, Y) end, "loss.mse", "w is inf")
  T.raises(function() return loss.se(m, 1, 2) end, "loss.se", "w is inf")
  T.raises(function() return grad.mse(m, X, Y) end, "grad.mse", "w is inf")
  T.raises(function() return grad.se(m, 1, 2) end, "grad.se", "w is inf")
end)

-- ---- grad ------------------------------------------------------------------

T.test("grad.se with wrong types names the argument", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return grad.se() end, "se", "Model expected, got no value")
  T.raises(function() return grad.se(1, 1, 1) end, "se", "Model expected, got number")
  T.raises(function() return grad.se(m) end, "grad.se", "x must be a number (one sample), got no value")
  T.raises(function() return grad.se(m, "a", 1) end, "grad.se", "got string")
  T.raises(function() return grad.se(m, 1, "a") end, "se", "#3", "number expected, got string")
  T.raises(function() return grad.se(model.multi{ inputs = 2 }, { 1 }, 1) end, "grad.se",
    "x has 1 numbers, expected 2")
end)

T.test("grad.se with a nan x is an error, not a nan gradient left in m.grad", function()
  T.raises(function() return grad.se(model.linear{ w = 1 }, 0 / 0, 1) end, "grad.se", "x is nan")
end)

T.test("grad.mse: types, lengths, empty data and nan are named", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return grad.mse("m", X, Y) end, "mse", "Model expected, got string")
  T.raises(function() return grad.mse(nil, X, Y) end, "mse", "Model expected, got nil")
  T.raises(function() return grad.mse(m, { 1, 2 }, { 1 }) end, "grad.mse", "y has 1 elements, expected 2")
  T.raises(function() return grad.mse(m, {}, {}) end, "grad.mse", "the data is empty")
  T.raises(function() return grad.mse(m, { 1, 0 / 0 }, { 1, 2 }) end, "grad.mse", "x[2] is nan")
end)

T.test("grad.numeric(m, ...) checks step, lengths and empty data", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return grad.numeric(m, { 1 }, { 1 }, 0) end, "grad.numeric", "step must be in (0, 1), got 0")
  T.raises(function() return grad.numeric(m, { 1 }, { 1 }, -1) end, "grad.numeric", "got -1")
  T.raises(function() return grad.numeric(m, { 1 }, { 1 }, "a") end, "numeric", "#4", "number expected, got string")
  T.raises(function() return grad.numeric(m, { 1 }, { 1, 2 }) end, "grad.numeric", "y has 2 elements, expected 1")
  T.raises(function() return grad.numeric(m, {}, {}) end, "grad.numeric", "the data is empty")
end)

T.test("grad.numeric(f, p) checks p, step and what f returns", function()
  local id = function(x) return x end
  T.raises(function() return grad.numeric(id, "a") end, "grad.numeric", "p must be a tensor or a table of numbers, got string")
  T.raises(function() return grad.numeric(id) end, "grad.numeric", "got no value")
  T.raises(function() return grad.numeric(id, 1, 2) end, "grad.numeric", "step must be in (0, 1), got 2")
  -- 1 + 1e-300 == 1: the difference would be 0/0, a nan gradient
  T.raises(function() return grad.numeric(id, 1, 1e-300) end, "grad.numeric",
    "step 1e-300 is too small: p + h would equal p")
  T.raises(function() return grad.check(model.linear{ w = 1 }, { 1 }, { 1 }, 1e-17) end,
    "grad.check", "step 1e-17 is too small")
  T.raises(function() return grad.numeric(function() return "a" end, 1) end, "grad.numeric",
    "f must return a number, returned string")
  T.raises(function() return grad.numeric(function() end, 1) end, "grad.numeric", "returned nil")
end)

T.test("grad.numeric(f, p): an error raised by f comes out with its own message", function()
  T.raises(function() return grad.numeric(function() error("f failed here") end, 1) end, "f failed here")
end)

T.test("grad.numeric(f, nan) is an error naming p", function()
  T.raises(function() return grad.numeric(function(x) return x * x end, 0 / 0) end, "grad.numeric", "p is nan")
end)

T.test("grad.numeric(x) of a non-function non-model says both are accepted", function()
  T.raises(function() return grad.numeric("f", 1) end, "numeric", "function", "got string")
end)

T.test("grad.numeric(f, p) where f closes p still computes: it holds its own reference", function()
  -- f(q) = 3 q1 + 5 q2 closes the script's handle to q on its last call
  -- (the fourth: two per element); the derivative is still (3, 5)
  local p = tensor{ 1, 2 }
  local calls = 0
  local g = grad.numeric(function(q)
    calls = calls + 1
    local v = 3 * q[1] + 5 * q[2]
    if calls == 4 then getmetatable(q).__close(q) end
    return v
  end, p)
  T.near(g[1], 3, 1e-6, "df/dq1")
  T.near(g[2], 5, 1e-6, "df/dq2")
end)

T.test("grad.check: step, lengths, empty data and nan are named", function()
  local m = model.linear{ w = 1 }
  T.raises(function() return grad.check(m, { 1 }, { 1 }, 0) end, "grad.check", "step must be in (0, 1)")
  T.raises(function() return grad.check(m, { 1 }, {}) end, "grad.check", "y has 0 elements, expected 1")
  T.raises(function() return grad.check(m, {}, {}) end, "grad.check", "the data is empty")
  T.raises(function() return grad.check(m, { 1, 0 / 0 }, { 1, 1 }) end, "grad.check", "x[2] is nan")
  T.raises(function() return grad.check(nil) end, "check", "Model expected, got nil")
end)

T.done()
