-- test_kernel.lua: the summation kernels of scan.mse and fit (and grad.mse)
-- run with AVX vectors where the processor has them and with SSE2 pairs
-- otherwise (src/core/kernel_avx.c). Both must give the same bits, on every
-- length (the tail of n mod 8 samples included), and both must be right:
-- exactly right where every sum is a whole number below 2^53, and within the
-- rounding bound of an accurately summed reference on random data.
-- require("luagrad.sys").kernel("sse2") forces the SSE2 pairs.
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

local default = sys.kernel()
local LARGE = { 1000, 4099, 32775, 70001 }  -- 32768 samples make one chunk of a pass

-- 1..70 and the large ones.
local function lengths()
  local ns = {}
  for n = 1, 70 do ns[#ns + 1] = n end
  for _, n in ipairs(LARGE) do ns[#ns + 1] = n end
  return ns
end

-- Every number scan.mse (direct), grad.mse and a full-batch fit give on
-- (x, y), as exact hexadecimal text.
local function results(x, y)
  local out = {}
  local function add(v) out[#out + 1] = string.format("%a", v) end
  local ws, bs = tensor{ -1.5, 0.3, 2.7 }, tensor{ -0.7, 1.1 }
  local mse = scan.mse{ x = x, y = y, w = ws, b = bs, method = "direct" }
  for j = 1, #ws do for k = 1, #bs do add(mse:get(j, k)) end end
  local g = grad.mse(model.affine{ w = 0.37, b = -1.3 }, x, y)
  add(g.w); add(g.b)
  local m = model.affine{ w = 0.5, b = 0.1 }
  fit(m, x, y, { epochs = 3, lr = 0.05, batch = "full", shuffle = false,
                 on_epoch = function(_, loss) add(loss) end })
  add(m.w); add(m.b)
  return out
end

-- Random data whose terms differ in size, so that summing in another order
-- changes the last bits.
local function random_data(n, seed)
  rng.seed(seed)
  local x = rng.normal(n, 0, 3)
  return x, 2 * x + 1 + rng.normal(n, 0, 0.5)
end

T.test("sys.kernel names the kernels, forces SSE2 and goes back", function()
  T.truthy(default == "avx" or default == "sse2", "sys.kernel() is avx or sse2: " .. default)
  T.eq(sys.kernel("sse2"), "sse2", "after sys.kernel('sse2')")
  T.eq(sys.kernel(), "sse2", "sys.kernel() while forced")
  T.eq(sys.kernel("auto"), default, "after sys.kernel('auto')")
  T.raises(function() sys.kernel("avx512") end,
    "sys.kernel: which must be \"auto\" or \"sse2\", got 'avx512'")
  T.raises(function() sys.kernel({}) end, "bad argument #1 to 'kernel'")
  T.eq(sys.kernel(), default, "after the refused calls")
end)

if default ~= "avx" then
  T.skip("AVX and SSE2 kernels give the same bits", "this processor has no AVX")
else
  T.test("AVX and SSE2 kernels give the same bits, n = 1..70 and large", function()
    for _, n in ipairs(lengths()) do
      local x, y = random_data(n, n)
      local avx = results(x, y)
      sys.kernel("sse2")
      local sse2 = results(x, y)
      sys.kernel("auto")
      for i = 1, #avx do T.eq(avx[i], sse2[i], string.format("n = %d, result %d", n, i)) end
    end
  end)
end

-- The same refusal of empty data on both paths.
T.test("empty data is refused before any kernel runs, on both paths", function()
  for _, which in ipairs({ "auto", "sse2" }) do
    sys.kernel(which)
    local e = tensor.zeros(0)
    T.raises(function() scan.mse{ x = e, y = e, w = tensor{ 1 }, method = "direct" } end,
      "scan.mse: the data is empty")
    T.raises(function() grad.mse(model.affine{ w = 1, b = 0 }, e, e) end,
      "grad.mse: the data is empty")
  end
  sys.kernel("auto")
end)

-- x_i = i, y_i = 7i mod 11 and whole w, b: every residual, product and
-- partial sum is a whole number below 2^53, so any order of summation is
-- exact and the results are the exact sums (summed here in Lua integers)
-- divided as the documented formulas say: MSE = S/n, dw = 2 Srx / n,
-- db = 2 Sr / n.
T.test("whole-number data: exact sums on both paths, n = 1..70 and large", function()
  for _, which in ipairs({ "auto", "sse2" }) do
    sys.kernel(which)
    for _, n in ipairs(lengths()) do
      local x, y = tensor.zeros(n), tensor.zeros(n)
      for i = 1, n do x[i] = i; y[i] = (7 * i) % 11 end
      for _, w in ipairs({ 1, 2 }) do
        local b = -2
        local s, srx, sr = 0, 0, 0
        for i = 1, n do
          local r = w * i + b - (7 * i) % 11
          s, srx, sr = s + r * r, srx + r * i, sr + r
        end
        local what = string.format("%s, n = %d, w = %d", which, n, w)
        local mse = scan.mse{ x = x, y = y, w = tensor{ w }, b = tensor{ b }, method = "direct" }
        T.eq(mse:get(1, 1), s / n, what .. ": MSE")
        local g = grad.mse(model.affine{ w = w, b = b }, x, y)
        T.eq(g.w, 2 * srx / n, what .. ": dw")
        T.eq(g.b, 2 * sr / n, what .. ": db")
      end
    end
  end
  sys.kernel("auto")
end)

-- A compensated (Neumaier) sum of terms: accurate to about one rounding of
-- the total, whatever the order; and the sum of their sizes, for the bound.
local function accurate_sum(terms)
  local s, c, size = 0.0, 0.0, 0.0
  for _, t in ipairs(terms) do
    local u = s + t
    if math.abs(s) >= math.abs(t) then c = c + ((s - u) + t) else c = c + ((t - u) + s) end
    s = u
    size = size + math.abs(t)
  end
  return s + c, size
end

-- The kernels sum each chain of about n/8 terms left to right, then combine
-- the 8 chains in 3 more steps: the error is at most (n/8 + 4) roundings of
-- the sum of the terms' sizes (eps = 2^-53 each), plus the final division.
T.test("random data: within the rounding bound of an accurate sum, both paths", function()
  local eps = 2.0 ^ -53
  for _, which in ipairs({ "auto", "sse2" }) do
    sys.kernel(which)
    for _, n in ipairs(lengths()) do
      local x, y = random_data(n, 1000 + n)
      local w, b = 1.7, 0.8
      local rr, rx, rs = {}, {}, {}
      for i = 1, n do
        local r = x[i] * w + b - y[i]  -- each step rounded, as the kernels do
        rr[i], rx[i], rs[i] = r * r, r * x[i], r
      end
      local function check(got, terms, scale, what)
        local want, size = accurate_sum(terms)
        want = scale * want / n
        local bound = (n / 8 + 4) * eps * scale * size / n + 2 * eps * math.abs(want)
        if not (math.abs(got - want) <= bound) then
          error(string.format("%s, %s, n = %d: got %.17g, want %.17g (bound %g, off by %g)",
            which, what, n, got, want, bound, math.abs(got - want)))
        end
      end
      local mse = scan.mse{ x = x, y = y, w = tensor{ w }, b = tensor{ b }, method = "direct" }
      check(mse:get(1, 1), rr, 1, "MSE")
      local g = grad.mse(model.affine{ w = w, b = b }, x, y)
      check(g.w, rx, 2, "dw")
      check(g.b, rs, 2, "db")
    end
  end
  sys.kernel("auto")
end)

T.done()
