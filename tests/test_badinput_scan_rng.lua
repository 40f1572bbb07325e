-- tests/test_badinput_scan_rng.lua: bad input to scan.mse and to the rng
-- module gets a clear error naming the function and what was wrong, expected
-- and given; never a crash or a tensor of nan.
local T = dofile("tests/check.lua")
local child_raises = T.child_raises

local X, Y, W = { 1, 2, 3 }, { 2, 4, 6 }, { 0, 1, 2 }


-- ---- scan.mse --------------------------------------------------------------

T.test("scan.mse without an options table names the type", function()
  T.raises(function() return scan.mse() end, "mse", "table expected, got no value")
  T.raises(function() return scan.mse("x") end, "mse", "table expected, got string")
end)

T.test("scan.mse with x, y or w missing names the one missing", function()
  T.raises(function() return scan.mse{} end, "scan.mse", "x must be a tensor or a table of numbers, got nil")
  T.raises(function() return scan.mse{ x = X, w = W } end, "scan.mse", "y must be", "got nil")
  T.raises(function() return scan.mse{ x = X, y = Y } end, "scan.mse", "w must be", "got nil")
end)

T.test("scan.mse with a grid of the wrong type names it and the type", function()
  T.raises(function() return scan.mse{ x = X, y = Y, w = "a" } end, "scan.mse", "w must be", "got string")
  T.raises(function() return scan.mse{ x = X, y = Y, w = 2 } end, "scan.mse", "w must be", "got number")
  T.raises(function() return scan.mse{ x = X, y = Y, w = W, b = false } end, "scan.mse", "b must be", "got boolean")
  T.raises(function() return scan.mse{ x = { { 1, 2 } }, y = { 1 }, w = W } end, "scan.mse", "x must be a vector", "[1x2]")
end)

T.test("scan.mse with a closed grid says it is closed", function()
  local w
  do
    local t <close> = tensor{ 0, 1 }
    w = t
  end
  T.raises(function() return scan.mse{ x = X, y = Y, w = w } end, "scan.mse", "w is a closed tensor")
end)

T.test("scan.mse with x and y of different lengths names both", function()
  T.raises(function() return scan.mse{ x = { 1, 2 }, y = Y, w = W } end, "scan.mse", "y has 3 elements, expected 2")
end)

T.test("scan.mse on empty data is an error", function()
  T.raises(function() return scan.mse{ x = {}, y = {}, w = W } end, "scan.mse", "the data is empty")
end)

T.test("scan.mse with nan or inf in the data names the element", function()
  T.raises(function() return scan.mse{ x = { 1, 0 / 0, 3 }, y = Y, w = W } end, "scan.mse", "x[2] is nan")
  T.raises(function() return scan.mse{ x = X, y = { 2, 4, 1 / 0 }, w = W } end, "scan.mse", "y[3] is inf")
end)

T.test("scan.mse with a nan in the w grid names the element", function()
  T.raises(function() return scan.mse{ x = X, y = Y, w = { 0, 0 / 0 } } end, "scan.mse", "w[2] is nan")
end)

T.test("scan.mse with an inf in the b grid names the element", function()
  T.raises(function() return scan.mse{ x = X, y = Y, w = W, b = { 1 / 0 } } end, "scan.mse", "b[1] is inf")
end)

T.test("scan.mse with an unknown option or method lists the known ones", function()
  T.raises(function() return scan.mse{ x = X, y = Y, w = W, ws = W } end, "scan.mse", "unknown option 'ws'",
    "known: x, y, w, b, method")
  T.raises(function() return scan.mse{ x = X, y = Y, w = W, method = "fast" } end, "scan.mse",
    "method must be \"auto\", \"direct\" or \"closed\", got 'fast'")
end)

T.test("scan.mse with method = true names method, not argument #6", function()
  local err = T.raises(function() return scan.mse{ x = X, y = Y, w = W, method = true } end, "scan.mse", "method",
    "boolean")
  T.truthy(not err:find("#6", 1, true), "message without 'bad argument #6': " .. err)
end)

T.test("scan.mse over a 2^21 x 2^21 grid is a clean error", function()
  local g = tensor.zeros(1 << 21)
  T.raises(function() return scan.mse{ x = X, y = Y, w = g, b = g } end, "scan.mse", "2097152 x 2097152", "too many")
end)

-- ---- rng -------------------------------------------------------------------

T.test("rng.seed with a wrong type or a negative seed says what it got", function()
  T.raises(function() return rng.seed() end, "seed", "number expected, got no value")
  T.raises(function() return rng.seed("a") end, "seed", "number expected, got string")
  T.raises(function() return rng.seed(1.5) end, "seed", "number has no integer representation")
  T.raises(function() return rng.seed(-1) end, "rng.seed", "the seed must be >= 0, got -1")
end)

T.test("rng.uniform/normal with a bad count say what they got", function()
  T.raises(function() return rng.uniform(-1) end, "rng.uniform", "n must be >= 0, got -1")
  T.raises(function() return rng.uniform("a") end, "uniform", "number expected, got string")
  T.raises(function() return rng.uniform(1.5) end, "uniform", "number has no integer representation")
  T.raises(function() return rng.normal(-1) end, "rng.normal", "n must be >= 0, got -1")
  T.raises(function() return rng.normal(3, "a") end, "normal", "#2", "number expected, got string")
end)

T.test("rng.uniform/normal of 2^62 numbers are clean errors", function()
  T.raises(function() return rng.uniform(2 ^ 62) end, "rng.uniform", "4611686018427387904", "too many")
  T.raises(function() return rng.normal(2 ^ 62) end, "rng.normal", "4611686018427387904", "too many")
end)

T.test("rng.uniform with a >= b gives both", function()
  T.raises(function() return rng.uniform(3, 1, 0) end, "rng.uniform", "need a < b", "a = 1", "b = 0")
  T.raises(function() return rng.uniform(3, 1, 1) end, "rng.uniform", "need a < b", "a = 1", "b = 1")
end)

T.test("rng.uniform with an infinite bound is an error, not a tensor of inf", function()
  T.raises(function() return rng.uniform(3, 0, 1 / 0) end, "rng.uniform", "inf")
end)

T.test("rng.uniform over [-1e308, 1e308) gives finite numbers or an error", function()
  local ok, t = pcall(rng.uniform, 3, -1e308, 1e308)
  if ok then
    for i = 1, #t do
      T.truthy(t[i] >= -1e308 and t[i] < 1e308, "element " .. i .. " is in [a, b): " .. tostring(t[i]))
    end
  else
    T.contains(t, "rng.uniform")
  end
end)

T.test("rng.normal with std < 0 gives it", function()
  T.raises(function() return rng.normal(3, 0, -1) end, "rng.normal", "std must be >= 0, got -1")
end)

T.test("rng.normal with a nan mean is an error naming mean", function()
  T.raises(function() return rng.normal(3, 0 / 0, 1) end, "rng.normal", "mean", "nan")
end)

T.test("rng.normal with an infinite std is an error naming std", function()
  T.raises(function() return rng.normal(3, 0, 1 / 0) end, "rng.normal", "std", "inf")
end)

T.test("rng.int with a > b gives both", function()
  T.raises(function() return rng.int(5, 1) end, "rng.int", "need a <= b, got a = 5, b = 1")
end)

T.test("rng.int with a missing or non-integer bound names the argument", function()
  T.raises(function() return rng.int() end, "int", "#1", "number expected, got no value")
  T.raises(function() return rng.int(1) end, "int", "#2", "number expected, got no value")
  T.raises(function() return rng.int(1.5, 3) end, "int", "#1", "number has no integer representation")
  T.raises(function() return rng.int("a", 3) end, "int", "number expected, got string")
end)

T.test("rng.permutation with a bad count says what it got", function()
  T.raises(function() return rng.permutation() end, "permutation", "number expected, got no value")
  T.raises(function() return rng.permutation("a") end, "permutation", "number expected, got string")
  T.raises(function() return rng.permutation(1.5) end, "permutation", "number has no integer representation")
  T.raises(function() return rng.permutation(-1) end, "rng.permutation", "n must be >= 0, got -1")
end)

-- 2^60 indices would take 2^63 bytes: Lua refuses the block ("memory
-- allocation error: block too big") before any allocation.
T.test("rng.permutation(2^60) is an error naming rng.permutation", function()
  T.raises(function() return rng.permutation(2 ^ 60) end, "rng.permutation")
end)

T.test("rng.permutation(2^62) is a clean error, not a crash", function()
  child_raises("rng.permutation(2 ^ 62)", "rng.permutation", "4611686018427387904")
end)

T.test("rng.permutation(2^61) is a clean error, not a crash", function()
  child_raises("rng.permutation(1 << 61)", "rng.permutation", "2305843009213693952")
end)

T.done()
