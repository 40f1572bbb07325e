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

-- Badly conditioned data: x = 1e6 + i (i = 0..63), y = 2x [+ 3] + e_i with
-- e_i = ((37 i) % 17 - 8) / 1024, on a grid w = 2 + k/2^28, b = 3 + m/1024.
-- Every input is exactly representable, so the exact MSE is a rational
-- number; the golden values below are that number rounded to a double,
-- computed with Python's fractions module:
--   from fractions import Fraction as F
--   x = [F(10**6 + i) for i in range(64)]; e = [F((i*37) % 17 - 8, 1024) ...]
--   mse = sum((w*xi + b - yi)**2 ...) / 64
-- The old closed form (uncentred for the linear model) returned 0 here.
local function far_from_zero(offset)
  local x, y = {}, {}
  for i = 0, 63 do
    x[i + 1] = 1e6 + i
    y[i + 1] = 2 * x[i + 1] + offset + ((37 * i) % 17 - 8) / 1024
  end
  return tensor(x), tensor(y)
end

T.test("closed form on x near 1e6 (linear) equals exact rational arithmetic", function()
  local exact = { 0.00024284423505827046, 0.00014637569800381861, 7.7664485203271516e-05,
    3.671059665662918e-05, 2.3514032363891602e-05, 3.8074792325058782e-05,
    8.039287654013072e-05, 0.00015046828500910742, 0.00024830101773198887 }
  local x, y = far_from_zero(0)
  local ws = {}
  for k = -4, 4 do ws[#ws + 1] = 2 + k / 2 ^ 28 end
  for _, method in ipairs({ "direct", "closed" }) do
    local mse = scan.mse{ x = x, y = y, w = ws, method = method }
    for i = 1, #ws do
      T.near(mse[i], exact[i], 1e-12 * exact[i], method .. " at w = 2 + " .. (i - 5) .. "/2^28")
    end
  end
end)

T.test("closed form on x near 1e6 (affine) equals exact rational arithmetic", function()
  local exact = {
    { 0.0003045107989100293, 0.00024284423505827046, 0.00021487197608160979 },
    { 2.6971101760864258e-05, 2.3514032363891602e-05, 2.4646520614624023e-05 },
    { 0.00011026823356499044, 0.00015046828500910742, 0.00017342933368038466 },
  }
  local x, y = far_from_zero(3)
  local ws, bs = {}, {}
  for _, k in ipairs({ -4, 0, 3 }) do ws[#ws + 1] = 2 + k / 2 ^ 28 end
  for _, m in ipairs({ -2, 0, 1 }) do bs[#bs + 1] = 3 + m / 1024 end
  for _, method in ipairs({ "direct", "closed" }) do
    local mse = scan.mse{ x = x, y = y, w = ws, b = bs, method = method }
    for i = 1, 3 do
      for j = 1, 3 do
        T.near(mse:get(i, j), exact[i][j], 1e-12 * exact[i][j], method .. " at " .. i .. "," .. j)
      end
    end
  end
end)

-- x near 1e160: sum x^2 overflows, so the closed form's coefficients are not
-- finite, while direct evaluation of (w x - y)^2 stays finite near w = 2.
local function huge(n)
  local x, y = {}, {}
  for i = 1, n do
    x[i] = 1e160 * (1 + i / n)
    y[i] = 2 * x[i]
  end
  return tensor(x), tensor(y)
end

T.test("sums that overflow: closed refuses, auto falls back to direct", function()
  local x, y = huge(1024)
  T.raises(function() scan.mse{ x = x, y = y, w = { 2 }, method = "closed" } end,
    "scan.mse: the closed form's sums overflow", "method = \"direct\"")
  -- 1024 w values x 1024 samples = 2^20: auto would take the closed form
  local wt = {}
  for k = -512, 511 do wt[#wt + 1] = 2 + k * 2 ^ -51 end  -- (w x - y)^2 stays below 1e300
  local ws = tensor(wt)
  local mse, how = scan.mse{ x = x, y = y, w = ws }
  T.eq(how, "direct", "auto falls back")
  local direct = scan.mse{ x = x, y = y, w = ws, method = "direct" }
  for i = 1, #ws, 97 do
    T.truthy(mse[i] == mse[i] and mse[i] < math.huge, "finite at " .. i .. ": " .. mse[i])
    T.eq(mse[i], direct[i], "auto equals direct at " .. i)
  end
  T.eq(mse[1] > 0, true, "not turned into 0")
end)

T.test("a point whose quadratic overflows is evaluated directly, never nan", function()
  -- coefficients finite (x ~ 1e150), but w = 1e160 makes dw^2 Suu inf
  local mse = scan.mse{ x = { 1e150, 2e150 }, y = { 0, 0 }, w = { 1e160, -1e160, 0 }, method = "closed" }
  T.eq(mse[1], math.huge, "true MSE overflows: inf, as direct gives")
  T.eq(mse[3], 0, "w = 0 fits y = 0")
  local affine = scan.mse{ x = { 1e150, 2e150 }, y = { 1e150, 0 }, w = { 1e160 }, b = { -1e308 },
    method = "closed" }
  local direct = scan.mse{ x = { 1e150, 2e150 }, y = { 1e150, 0 }, w = { 1e160 }, b = { -1e308 },
    method = "direct" }
  T.eq(affine:get(1, 1), direct:get(1, 1), "as direct")
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
