-- test_model.lua: models, losses and gradients (model, loss, grad). The
-- expected numbers are worked out by hand in the comments; gradients are
-- also checked against central differences.
local T = dofile("tests/check.lua")

local x, y = tensor{ 1, 2, 3 }, tensor{ 2, 4, 6 }

T.test("linear model: forward, loss, cost (the course's w = 1)", function()
  local m = model.linear{ w = 1 }
  T.eq(m.w, 1.0, "m.w")
  T.eq(m.kind, "linear", "kind")
  T.eq(m:forward(4), 4.0, "forward(4) = 4*1")
  T.eq(tostring(m:forward(x)), "tensor{1, 2, 3}", "forward of a tensor")
  T.eq(loss.se(m, 3, 6), 9.0, "se at x=3: (3 - 6)^2")
  T.eq(loss.se(3, 6), 9.0, "se of numbers")
  T.eq(tostring(loss.se(m:forward(x), y)), "tensor{1, 4, 9}", "se element-wise")
  -- (1 + 4 + 9) / 3
  T.eq(loss.mse(m, x, y), 14 / 3, "mse fused")
  T.eq(loss.mse(m:forward(x), y), 14 / 3, "mse of predictions")
  T.eq(loss.mse(m, { 1, 2, 3 }, { 2, 4, 6 }), 14 / 3, "tables are taken as tensors")
end)

T.test("linear model gradients: 2x(xw - y) and its mean", function()
  local m = model.linear{ w = 1 }
  T.eq(grad.se(m, 3, 6).w, -18.0, "2*3*(3*1 - 6)")
  -- (1/3) * sum 2x(x - 2x) = (2/3) * (-14)
  T.near(grad.mse(m, x, y).w, -28 / 3, 1e-15, "mean gradient")
  T.near(m.grad.w, -28 / 3, 1e-15, "left in m.grad")
  m:zero_grad()
  T.eq(m.grad.w, 0.0, "zero_grad")
  m.w = 2
  T.eq(grad.mse(m, x, y).w, 0.0, "zero at the minimum w = 2")
  T.eq(loss.mse(m, x, y), 0.0, "and the cost is 0")
end)

T.test("affine model: w = 0.5, b = 0.2 on y = 2x + 2", function()
  local m = model.affine{ w = 0.5, b = 0.2 }
  local ya = tensor{ 4, 6, 8 }
  -- yhat = 0.7, 1.2, 1.7; r = -3.3, -4.8, -6.3
  T.near(m:forward(2), 1.2, 1e-15, "forward(2)")
  T.near(loss.mse(m, x, ya), (3.3 ^ 2 + 4.8 ^ 2 + 6.3 ^ 2) / 3, 1e-14, "mse = 73.62/3")
  local g = grad.mse(m, x, ya)
  T.near(g.w, 2 / 3 * (-3.3 - 9.6 - 18.9), 1e-14, "d/dw = (2/3) sum r*x = -21.2")
  T.near(g.b, 2 / 3 * (-3.3 - 4.8 - 6.3), 1e-14, "d/db = (2/3) sum r = -9.6")
  local gs = grad.se(m, 3, 8)
  T.near(gs.w, 2 * 3 * (1.7 - 8), 1e-14, "per-sample d/dw = 2x r")
  T.near(gs.b, 2 * (1.7 - 8), 1e-14, "per-sample d/db = 2r")
  m.b = 1
  T.eq(m.b, 1.0, "m.b = 1")
  T.eq(tostring(m), "model.affine{w = 0.5, b = 1}", "tostring")
end)

T.test("multi model: yhat = x.W + b", function()
  local m = model.multi{ inputs = 2, w = { 1, 2 }, b = 0.5 }
  T.eq(m.inputs, 2, "inputs")
  T.eq(tostring(m.w), "tensor{1, 2}", "m.w is a tensor")
  local X = tensor{ { 1, 2 }, { 3, 4 }, { 5, 7 } }
  local Y = tensor{ 1, 2, 4 }
  -- yhat = 5.5, 11.5, 19.5; r = 4.5, 9.5, 15.5
  T.eq(tostring(m:forward(X)), "tensor{5.5, 11.5, 19.5}", "forward of rows")
  T.eq(m:forward{ 1, 2 }, 5.5, "forward of one sample")
  T.near(loss.mse(m, X, Y), (4.5 ^ 2 + 9.5 ^ 2 + 15.5 ^ 2) / 3, 1e-14, "mse")
  local g = grad.mse(m, X, Y)
  T.near(g.w[1], 2 / 3 * (4.5 * 1 + 9.5 * 3 + 15.5 * 5), 1e-13, "d/dW1")
  T.near(g.w[2], 2 / 3 * (4.5 * 2 + 9.5 * 4 + 15.5 * 7), 1e-13, "d/dW2")
  T.near(g.b, 2 / 3 * (4.5 + 9.5 + 15.5), 1e-13, "d/db")
  m.w = tensor{ 0, 0 }
  T.eq(m:forward{ 1, 2 }, 0.5, "after m.w = {0, 0}")
end)

T.test("every model's analytic gradient agrees with central differences", function()
  rng.seed(7)
  local xs = rng.uniform(50, -2, 2)
  local ys = 3 * xs - 1 + rng.normal(50, 0, 0.3)
  local X = tensor.zeros(50, 3)
  for i = 1, 50 do for j = 1, 3 do X:set(i, j, rng.normal()) end end
  local cases = {
    { model.linear{ w = 0.7 }, xs, ys },
    { model.affine{ w = -1.3, b = 2.2 }, xs, ys },
    { model.multi{ inputs = 3, w = { 0.1, -0.4, 2 }, b = 0.3 }, X, ys },
  }
  for _, c in ipairs(cases) do
    local worst, analytic, numeric = grad.check(c[1], c[2], c[3])
    T.truthy(worst < 1e-7, c[1].kind .. ": relative difference " .. worst .. " < 1e-7")
    local n2 = grad.numeric(c[1], c[2], c[3])
    T.eq(tostring(n2.b), tostring(numeric.b), c[1].kind .. ": grad.numeric = check's numeric")
    T.truthy(analytic.w ~= nil, "analytic table")
  end
end)

T.test("grad.numeric of a Lua function", function()
  T.near(grad.numeric(function(p) return p ^ 3 end, 2), 12, 1e-7, "d/dp p^3 at 2")
  local g = grad.numeric(function(p) return p:dot(p) end, tensor{ 1, -2, 3 })
  T.near(g[1], 2, 1e-8, "d/dp1 |p|^2")
  T.near(g[2], -4, 1e-8, "d/dp2 |p|^2")
  T.near(g[3], 6, 1e-8, "d/dp3 |p|^2")
end)

T.test("the fused mse equals the mse of the predictions", function()
  rng.seed(1)
  local xs = rng.uniform(100003)
  local ys = 2 * xs + 1 + rng.normal(100003, 0, 0.1)
  local m = model.affine{ w = 1.5, b = 0.5 }
  -- both sum in the same chains (src/core/kernel.h) and chunks, in the same order
  T.eq(loss.mse(m, xs, ys), loss.mse(m:forward(xs), ys), "fused = predictions, to the bit")
end)

T.test("params, copy, grad table", function()
  local m = model.affine{ w = 3, b = 4 }
  local p = m:params()
  T.eq(p.w, 3.0, "params().w")
  T.eq(p.b, 4.0, "params().b")
  local c = m:copy()
  c.w = 0
  T.eq(m.w, 3.0, "a copy is independent")
  T.eq(model.linear().w, 0.0, "default w = 0")
end)

T.test("grad.numeric(f, p) leaves p as it was when f raises", function()
  local p = tensor{ 1, 2 }
  local calls = 0
  T.raises(function()
    grad.numeric(function() calls = calls + 1; if calls == 2 then error("f failed") end return 0 end, p)
  end, "f failed")
  T.eq(p[1], 1.0, "p[1] put back")
  T.raises(function() grad.numeric(function() return "x" end, p) end, "f must return a number")
  T.eq(p[1], 1.0, "p[1] put back after a bad return")
  T.eq(p[2], 2.0, "p[2] untouched")
end)

T.done()
