-- test_tensor.lua: the tensor module (src/lib/tensorlib.c). Expected values
-- are worked out by hand in the comments.
local T = dofile("tests/check.lua")

T.test("a vector from a table: length, elements, 1-based", function()
  local t = tensor{ 1, 2.5, -3 }
  T.eq(#t, 3, "#t")
  T.eq(t[1], 1.0, "t[1]")
  T.eq(t[2], 2.5, "t[2]")
  T.eq(t[3], -3.0, "t[3]")
  T.eq(math.type(t[1]), "float", "elements are floats")
  t[2] = 7
  T.eq(t[2], 7.0, "after t[2] = 7")
  T.eq(tensor.new{ 4 }[1], 4.0, "tensor.new")
end)

T.test("a matrix from rows: get, set, row, col, shape", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  local r, c = m:shape()
  T.eq(r, 2, "rows")
  T.eq(c, 3, "cols")
  T.eq(#m, 2, "#m is the number of rows")
  T.eq(m:numel(), 6, "numel")
  T.eq(m:get(2, 3), 6.0, "get(2, 3)")
  m:set(1, 2, 9)
  T.eq(m:get(1, 2), 9.0, "set(1, 2, 9)")
  T.eq(tostring(m:row(2)), "tensor{4, 5, 6}", "row(2)")
  T.eq(tostring(m:col(2)), "tensor{9, 5}", "col(2)")
end)

T.test("zeros, ones, linspace", function()
  T.eq(tostring(tensor.zeros(3)), "tensor{0, 0, 0}", "zeros")
  T.eq(tostring(tensor.ones(2, 2)), "tensor{{1, 1}, {1, 1}}", "ones(2, 2)")
  T.eq(#tensor.zeros(0), 0, "an empty tensor")
  -- linspace(0, 1, 5): steps of 1/4, exact in binary
  T.eq(tostring(tensor.linspace(0, 1, 5)), "tensor{0, 0.25, 0.5, 0.75, 1}", "linspace")
  local l = tensor.linspace(0, 0.3, 4)  -- 0, 0.1, 0.2, 0.3: last exactly b
  T.eq(l[4], 0.3, "linspace ends exactly at b")
  T.eq(tensor.linspace(5, 9, 1)[1], 5.0, "linspace with n = 1 is a")
end)

T.test("range(0, 4, 0.1) has 41 values a + i*step, the last exactly 4.0", function()
  local r = tensor.range(0, 4, 0.1)
  T.eq(#r, 41, "#range")
  T.eq(r[1], 0.0, "first")
  T.eq(r[41], 4.0, "last is exactly 4.0")
  T.eq(r[4], 3 * 0.1, "r[4] = 3*0.1 = 0.30000000000000004, as NumPy's arange gives")
  T.eq(r[40], 39 * 0.1, "r[40] = 39*0.1")
  -- A Lua float loop accumulates the step instead: 40 values, ending at 3.9000000000000021.
  local count, last = 0, nil
  for w = 0, 4, 0.1 do count, last = count + 1, w end
  T.eq(count, 40, "the Lua for loop runs 40 times")
  T.eq(string.format("%.17g", last), "3.9000000000000021", "and stops short of 4")
end)

T.test("range: other directions and steps", function()
  T.eq(tostring(tensor.range(4, 0, -1)), "tensor{4, 3, 2, 1, 0}", "downwards")
  T.eq(tostring(tensor.range(0, 1, 0.3)), "tensor{0, 0.3, 0.6, 0.8999999999999999}",
    "b not on the grid: stops before it (3*0.3 = 0.8999999999999999)")
  T.eq(#tensor.range(1, 5), 5, "default step 1")
  T.eq(#tensor.range(2, 2, 0.5), 1, "a == b: one value")
  -- b a hair past a: one value, and it is a (it was b once; found by fuzzing)
  T.eq(tostring(tensor.range(5, 5 + 1e-10, 1)), "tensor{5}", "b within the tolerance of a")
end)

T.test("element-wise arithmetic with tensors and numbers", function()
  local a, b = tensor{ 1, 2, 3 }, tensor{ 4, 5, 6 }
  T.eq(tostring(a + b), "tensor{5, 7, 9}", "a + b")
  T.eq(tostring(b - a), "tensor{3, 3, 3}", "b - a")
  T.eq(tostring(a * b), "tensor{4, 10, 18}", "a * b")
  T.eq(tostring(b / a), "tensor{4, 2.5, 2}", "b / a")
  T.eq(tostring(a * 2), "tensor{2, 4, 6}", "a * 2")
  T.eq(tostring(2 * a), "tensor{2, 4, 6}", "2 * a")
  T.eq(tostring(1 - a), "tensor{0, -1, -2}", "1 - a (number first)")
  T.eq(tostring(6 / a), "tensor{6, 3, 2}", "6 / a")
  T.eq(tostring(-a), "tensor{-1, -2, -3}", "-a")
  T.eq(tostring(a), "tensor{1, 2, 3}", "operands are not changed")
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  T.eq(tostring(m + m), "tensor{{2, 4}, {6, 8}}", "matrix + matrix")
  T.eq(tostring(a + { 1, 1, 1 }), "tensor{2, 3, 4}", "a Lua table is taken as a tensor")
  T.eq(tostring({ 10, 20, 30 } - a), "tensor{9, 18, 27}", "on either side")
end)

T.test("shape mismatches name both shapes", function()
  T.raises(function() return tensor{ 1, 2, 3 } + tensor{ 1, 2 } end, "tensor +", "[3]", "[2]")
  T.raises(function() return tensor{ 1, 2, 3, 4 } * tensor{ { 1, 2 }, { 3, 4 } } end,
    "tensor *", "[4]", "[2x2]")
  T.raises(function() return tensor{ { 1, 2, 3 } } - tensor{ { 1, 2 }, { 3, 4 } } end,
    "[1x3]", "[2x2]")
end)

T.test("sum, mean, dot, min, max", function()
  local t = tensor{ 3, -1, 4, 1, 5 }
  T.eq(t:sum(), 12.0, "sum")
  T.eq(t:mean(), 2.4, "mean = 12/5")
  T.eq(t:min(), -1.0, "min")
  T.eq(t:max(), 5.0, "max")
  T.eq(t:dot(tensor{ 1, 1, 1, 1, 2 }), 17.0, "dot: 3-1+4+1+10")
  T.eq(tensor{ 1, 2, 3 }:dot{ 4, 5, 6 }, 32.0, "dot with a table")
  T.eq(tensor.sum(t), 12.0, "tensor.sum(t)")
  T.eq(tensor{}:sum(), 0.0, "sum of nothing is 0")
  -- 0.1 + 0.2 + 0.3 left to right, as the course's loops add
  T.eq(tensor{ 0.1, 0.2, 0.3 }:sum(), (0.1 + 0.2) + 0.3, "n <= 3 sums left to right")
end)

T.test("tostring: shortest round-trip numbers, long tensors elided", function()
  T.eq(tostring(tensor{ 0.1, 1 / 3, -0.0 }), "tensor{0.1, 0.3333333333333333, -0}", "short")
  T.eq(tostring(tensor.range(1, 100)), "tensor[100]{1, 2, 3, 4, 5, 6, ..., 98, 99, 100}", "long")
  local big = tostring(tensor.zeros(20, 2))
  T.contains(big, "tensor[20x2]{{0, 0}, ", "{0, 0}, ..., {0, 0}, {0, 0}, {0, 0}}")
end)

T.test("totable, copy, reshape, parse", function()
  local t = tensor{ { 1, 2 }, { 3, 4 } }
  local tab = t:totable()
  T.eq(tab[2][1], 3.0, "totable of a matrix")
  local c = t:copy()
  c:set(1, 1, 100)
  T.eq(t:get(1, 1), 1.0, "a copy is independent")
  local v = t:reshape(4)
  T.eq(tostring(v), "tensor{1, 2, 3, 4}", "reshape to a vector")
  T.eq(tostring(v:reshape(1, 4)), "tensor{{1, 2, 3, 4}}", "reshape to 1x4")
  T.eq(tostring(tensor.parse("1, 2,3  4.5")), "tensor{1, 2, 3, 4.5}", "parse")
  T.raises(function() tensor.parse("1, two") end, "tensor.parse", "'two' is not a number", "item 2")
end)

T.test("tensor.is and a closed tensor", function()
  T.eq(tensor.is(tensor{ 1 }), true, "a tensor")
  T.eq(tensor.is({ 1 }), false, "a table is not")
  local kept
  do
    local t <close> = tensor.zeros(3)
    kept = t
  end
  T.eq(tostring(kept), "tensor (closed)", "tostring of a closed tensor")
  T.raises(function() return kept:sum() end, "tensor: this tensor has been closed")
  T.raises(function() return kept[1] end, "tensor: this tensor has been closed")
  T.eq(tensor.is(kept), false, "a closed tensor is not usable")
end)

T.test("indexing errors", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t[0] end, "index 0 is out of range 1..3")
  T.raises(function() return t[4] end, "index 4 is out of range 1..3")
  T.raises(function() t.x = 1 end, "cannot set field 'x'")
  T.raises(function() return tensor{ { 1, 2 } }[1] end, "t[i] is for vectors", "1x2 matrix")
  T.raises(function() return tensor{ 1, "a" } end, "t[2] is a string, expected a number")
  T.raises(function() return tensor{ { 1, 2 }, { 3 } } end, "t[2] has 1 number, expected 2")
end)

T.done()
