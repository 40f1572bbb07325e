-- test_tensor_avx.lua: the element-wise + - * / of tensors (with a tensor,
-- and with a number on either side) and t:sum(), t:mean(), t:var() run with
-- AVX vectors where the processor has them (src/core/tensor_avx.c,
-- src/core/kernel_avx.c) and with SSE2 pairs otherwise.
-- require("luagrad.sys").kernel("sse2") forces the SSE2 pairs. Both paths
-- must give the same bits on every length (the tails of n mod 8 and mod 4),
-- on views that start at any element, and with zeros, infinities, nan and
-- subnormal numbers in the data; and the element-wise results must be what
-- Lua's own arithmetic (one IEEE operation per element) gives.
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

local default = sys.kernel()
local OFFSETS = { 0, 1, 2, 3 }

local function lengths()
  local ns = {}
  for n = 0, 70 do ns[#ns + 1] = n end
  for _, n in ipairs({ 1001, 4099, 20003 }) do ns[#ns + 1] = n end
  return ns
end

-- Two vectors of random numbers of different sizes, with special values
-- sprinkled in (b has zeros, so a / b makes inf and nan too).
local function data(len, seed)
  rng.seed(seed)
  local a, b = rng.normal(len, 0, 3), rng.normal(len, 0, 1e-3)
  local special = { 0.0, -0.0, math.huge, -math.huge, 0 / 0, 5e-324, -2.5e-308, 1e308 }
  for i = 1, len, 7 do a[i] = special[(i // 7) % #special + 1] end
  for i = 4, len, 11 do b[i] = special[(i // 11) % #special + 1] end
  for i = 6, len, 13 do b[i] = 0.0 end
  return a, b
end

local function hex(v) return string.format("%a", v) end

-- Every element of t as exact text, for comparing two runs.
local function bits(t)
  local out = {}
  for i = 1, #t do out[i] = hex(t[i]) end
  return table.concat(out, " ")
end

local s = 0.7310585786300049  -- the number operand: not a power of two

-- The element-wise results on u and v (equal length) and their names.
local OPS = {
  { "u + v", function(u, v) return u + v end, function(x, y) return x + y end },
  { "u - v", function(u, v) return u - v end, function(x, y) return x - y end },
  { "u * v", function(u, v) return u * v end, function(x, y) return x * y end },
  { "u / v", function(u, v) return u / v end, function(x, y) return x / y end },
  { "u + s", function(u) return u + s end, function(x) return x + s end },
  { "s + u", function(u) return s + u end, function(x) return s + x end },
  { "u - s", function(u) return u - s end, function(x) return x - s end },
  { "s - u", function(u) return s - u end, function(x) return s - x end },
  { "u * s", function(u) return u * s end, function(x) return x * s end },
  { "s * u", function(u) return s * u end, function(x) return s * x end },
  { "u / s", function(u) return u / s end, function(x) return x / s end },
  { "s / u", function(u) return s / u end, function(x) return s / x end },
}

local function same_number(x, y) return x == y and 1 / x == 1 / y or (x ~= x and y ~= y) end

-- Runs every operation on the views u, v; checks each element against Lua's
-- arithmetic; returns the results as text, in order.
local function run_ops(u, v, what)
  local out = {}
  for _, op in ipairs(OPS) do
    local r = op[2](u, v)
    T.eq(#r, #u, what .. ": length of " .. op[1])
    for i = 1, #u do
      local want = op[3](u[i], v[i])
      if not same_number(r[i], want) then
        error(string.format("%s: %s at %d: got %a, Lua's arithmetic %a", what, op[1], i,
          r[i], want))
      end
    end
    out[#out + 1] = bits(r)
  end
  return out
end

-- sum, mean, var of a view whose values are finite.
local function run_sums(u)
  if #u == 0 then return { hex(u:sum()) } end
  local out = { hex(u:sum()), hex(u:mean()) }
  if #u > 1 then out[#out + 1] = hex(u:var()) end
  return out
end

-- Both paths on one case; the list of results of each.
local function both(f)
  local avx = f()
  sys.kernel("sse2")
  local ok, sse2 = pcall(f)
  sys.kernel("auto")
  if not ok then error(sse2, 0) end
  return avx, sse2
end

local function same_lists(avx, sse2, what)
  T.eq(#avx, #sse2, what .. ": number of results")
  for i = 1, #avx do
    if avx[i] ~= sse2[i] then
      error(string.format("%s, result %d: AVX and SSE2 differ:\n  %s\n  %s", what, i,
        avx[i]:sub(1, 200), sse2[i]:sub(1, 200)))
    end
  end
end

T.test("sys.kernel reports what the element-wise loops run", function()
  T.truthy(default == "avx" or default == "sse2", "sys.kernel() is avx or sse2: " .. default)
end)

T.test("element-wise ops: right and the same bits on both paths, n = 0..70 and large", function()
  for _, n in ipairs(lengths()) do
    local a, b = data(n + 3, n)
    for _, off in ipairs(OFFSETS) do
      -- u starts off elements in, v 3 - off: the two rarely share an alignment
      local u, v = a:narrow(1, off + 1, n), b:narrow(1, 3 - off + 1, n)
      local what = string.format("n = %d, offset %d", n, off)
      local avx, sse2 = both(function() return run_ops(u, v, what) end)
      same_lists(avx, sse2, what)
    end
  end
end)

T.test("sum, mean, var: the same bits on both paths, n = 0..70 and large", function()
  for _, n in ipairs(lengths()) do
    rng.seed(500 + n)
    local a = rng.normal(n + 3, 0, 3) * rng.normal(n + 3, 0, 3) -- sizes differ a lot
    for _, off in ipairs(OFFSETS) do
      local u = a:narrow(1, off + 1, n)
      local avx, sse2 = both(function() return run_sums(u) end)
      same_lists(avx, sse2, string.format("n = %d, offset %d", n, off))
    end
  end
end)

-- x_i = i: every partial sum is a whole number below 2^53, so any order of
-- summation gives the exact n(n+1)/2 (and the mean that divided by n).
T.test("sum and mean of 1..n: exact on both paths", function()
  for _, which in ipairs({ "auto", "sse2" }) do
    sys.kernel(which)
    for _, n in ipairs(lengths()) do
      if n > 0 then
        local x = tensor.zeros(n)
        for i = 1, n do x[i] = i end
        T.eq(x:sum(), n * (n + 1) / 2, which .. ": sum of 1.." .. n)
        T.eq(x:mean(), (n * (n + 1) / 2) / n, which .. ": mean of 1.." .. n)
      end
    end
  end
  sys.kernel("auto")
end)

-- Rows of a matrix (views into the middle of its storage) and a column
-- broadcast over them: each row runs the loops with a number from the column.
T.test("rows of a matrix and a broadcast column: the same bits on both paths", function()
  for _, cols in ipairs({ 1, 5, 8, 9, 17, 33 }) do
    rng.seed(900 + cols)
    local m, c = rng.normal(5 * cols, 0, 2):reshape(5, cols), rng.normal(5, 0, 2):reshape(5, 1)
    local function run()
      local out = {}
      for _, r in ipairs({ m + c, c - m, m * c, c / m, m:row(3) - m:row(4) }) do
        local flat = {}
        for _, row in ipairs(type(r:totable()[1]) == "table" and r:totable() or { r:totable() }) do
          for _, x in ipairs(row) do flat[#flat + 1] = hex(x) end
        end
        out[#out + 1] = table.concat(flat, " ")
      end
      return out
    end
    local avx, sse2 = both(run)
    same_lists(avx, sse2, "cols = " .. cols)
    -- and right: one element against Lua's arithmetic
    T.eq((c - m):get(2, cols), c:get(2, 1) - m:get(2, cols), "cols = " .. cols .. ": c - m")
  end
end)

T.done()
