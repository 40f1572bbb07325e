-- test_scan.lua: scan.mse, the loss over a grid of parameters, against the
-- closed forms of the course's data, and its two methods against each other.
local T = dofile("tests/check.lua")

T.test("w-scan of the course: MSE(w) = 14/3 (w - 2)^2", function()
  -- (1/3) sum (x w - 2x)^2 = (w - 2)^2 (1 + 4 + 9) / 3
  local ws = tensor.range(0, 4, 0.1)
  for _, method in ipairs({ "direct", "closed" }) do
    local mse, how = scan.mse{ x = { 1, 2, 3 }, y = { 2, 4, 6 }, w = ws, method = method }
    T.eq(how, method, "method used")
    T.eq(#mse, 41, "one MSE per w")
    for i = 1, 41 do
      T.near(mse[i], 14 / 3 * (ws[i] - 2) ^ 2, 1e-12, method .. " at w = " .. ws[i])
    end
  end
end)

T.test("w,b-scan of the course: MSE = 14/3 dw^2 + 4 dw db + db^2", function()
  -- y = 2x + 2, dw = w - 2, db = b - 2: (1/3) sum (dw x + db)^2
  local ws, bs = tensor.range(0, 4, 0.1), tensor.range(0, 4, 0.1)
  for _, method in ipairs({ "direct", "closed" }) do
    local mse = scan.mse{ x = { 1, 2, 3 }, y = { 4, 6, 8 }, w = ws, b = bs, method = method }
    local rows, cols = mse:shape()
    T.eq(rows, 41, "rows: one per w")
    T.eq(cols, 41, "columns: one per b")
    for i = 1, 41, 4 do
      for j = 1, 41, 3 do
        local dw, db = ws[i] - 2, bs[j] - 2
        T.near(mse:get(i, j), 14 / 3 * dw * dw + 4 * dw * db + db * db, 1e-12,
          method .. " at w = " .. ws[i] .. ", b = " .. bs[j])
      end
    end
  end
end)

T.test("direct evaluation equals loss.mse at every point, bit for bit", function()
  local x, y = tensor{ 0.5, 1.5, 2.5, 3.5, 4.5 }, tensor{ 1.1, 2.9, 5.2, 7.1, 8.8 }
  local ws, bs = tensor.linspace(0, 3, 7), tensor.linspace(-1, 1, 5)
  local mse = scan.mse{ x = x, y = y, w = ws, b = bs, method = "direct" }
  local m = model.affine{}
  for i = 1, #ws do
    for j = 1, #bs do
      m.w, m.b = ws[i], bs[j]
      T.eq(mse:get(i, j), loss.mse(m, x, y), "at " .. i .. "," .. j)
    end
  end
end)

-- Data like the benchmark's: x in [0, 1) (or offset), y = 2x + 1 + noise.
local function noisy(n, offset)
  rng.seed(9)
  local x = rng.uniform(n) + offset
  return x, 2 * x + 1 + rng.normal(n, 0, 0.1)
end

T.test("closed form agrees with direct evaluation to 1e-9 relative", function()
  for _, offset in ipairs({ 0, 1000 }) do
    local x, y = noisy(10000, offset)
    local ws = tensor.linspace(0, 4, 41)
    local bs = tensor.linspace(1 - 2 * offset - 3, 1 - 2 * offset + 3, 41)
    local direct = scan.mse{ x = x, y = y, w = ws, b = bs, method = "direct" }
    local closed = scan.mse{ x = x, y = y, w = ws, b = bs, method = "closed" }
    local worst = 0
    for i = 1, #ws do
      for j = 1, #bs do
        local d, c = direct:get(i, j), closed:get(i, j)
        worst = math.max(worst, math.abs(c - d) / d)
      end
    end
    T.truthy(worst < 1e-9, "offset " .. offset .. ": worst relative difference " .. worst)
  end
end)

T.test("auto takes direct for small work and closed for large", function()
  local _, how = scan.mse{ x = { 1, 2, 3 }, y = { 2, 4, 6 }, w = tensor.range(0, 4, 0.1) }
  T.eq(how, "direct", "41 x 3")
  local x, y = noisy(10000, 0)
  local _, how2 = scan.mse{ x = x, y = y, w = tensor.linspace(0, 4, 201), b = tensor.linspace(0, 2, 201) }
  T.eq(how2, "closed", "201 x 201 x 10000")
end)

T.test("scan.mse errors", function()
  T.raises(function() scan.mse{ x = { 1, 2 }, y = { 1 }, w = { 1 } } end, "scan.mse", "y has 1 elements, expected 2")
  T.raises(function() scan.mse{ x = { 1 }, y = { 1 }, w = { 1 }, method = "fast" } end,
    "method must be", "'fast'")
  T.raises(function() scan.mse{ x = { 1 }, y = { 1 }, w = { 1 }, v = 2 } end, "unknown option 'v'")
  T.raises(function() scan.mse{ x = {}, y = {}, w = { 1 } } end, "the data is empty")
  T.raises(function() scan.mse{ x = { 1, 0 / 0 }, y = { 1, 2 }, w = { 1 } } end, "x[2] is nan")
end)

T.done()
