-- tests/test_badinput_tensor.lua: bad input to the tensor module gets a clear
-- error that names the function and says what was wrong, expected and given;
-- never a crash, a hang or a silently wrong result.
local T = dofile("tests/check.lua")

-- A tensor closed by its <close> variable, used after its block.
local function closed_tensor()
  local kept
  do
    local t <close> = tensor{ 1, 2, 3 }
    kept = t
  end
  return kept
end

-- ---- constructors ----------------------------------------------------------

T.test("tensor(x) of a non-table names the type given", function()
  T.raises(function() return tensor(nil) end, "tensor", "table expected, got nil")
  T.raises(function() return tensor("1, 2") end, "tensor", "table expected, got string")
  T.raises(function() return tensor(true) end, "tensor", "table expected, got boolean")
  T.raises(function() return tensor.new(7) end, "new", "table expected, got number")
end)

T.test("tensor{...} names the element that is not a number, 1-based", function()
  T.raises(function() return tensor{ 1, true } end, "tensor", "t[2] is a boolean, expected a number")
  T.raises(function() return tensor{ 1, 2, "x" } end, "tensor", "t[3] is a string, expected a number")
  T.raises(function() return tensor{ 1, { 2 } } end, "tensor", "t[2] is a table, expected a number")
end)

T.test("tensor{{...}} with ragged or mixed rows names the row and both lengths", function()
  T.raises(function() return tensor{ { 1, 2 }, { 3 } } end, "tensor", "t[2] has 1 number, expected 2")
  T.raises(function() return tensor{ { 1, 2 }, 3 } end, "tensor", "t[2] is a number, expected a row")
  T.raises(function() return tensor{ { 1, 2 }, { 3, "a" } } end, "tensor", "t[2] is a string")
end)

T.test("tensor.zeros/ones with a wrong type name the function and the type", function()
  T.raises(function() return tensor.zeros(nil) end, "zeros", "number expected, got nil")
  T.raises(function() return tensor.zeros("a") end, "zeros", "number expected, got string")
  T.raises(function() return tensor.ones({}) end, "ones", "number expected, got table")
  T.raises(function() return tensor.zeros(1.5) end, "zeros", "number has no integer representation")
  T.raises(function() return tensor.zeros(2, true) end, "zeros", "number expected, got boolean")
end)

T.test("tensor.zeros/ones with a negative size say it and give it", function()
  T.raises(function() return tensor.zeros(-1) end, "tensor.zeros", "must be >= 0, got -1")
  T.raises(function() return tensor.ones(-5) end, "tensor.ones", "must be >= 0, got -5")
  T.raises(function() return tensor.zeros(3, -1) end, "tensor.zeros", "columns must be >= 0, got -1")
end)

T.test("tensor.zeros with a large negative size gives the size given, not a truncated one", function()
  T.raises(function() return tensor.zeros(-3000000000) end, "tensor.zeros", "got -3000000000")
end)

T.test("tensor.zeros(2^62) is a clean error naming the size", function()
  T.raises(function() return tensor.zeros(2 ^ 62) end, "tensor.zeros", "4611686018427387904", "too many")
  T.raises(function() return tensor.ones(1 << 62) end, "tensor.ones", "4611686018427387904", "too many")
  T.raises(function() return tensor.zeros(1 << 40, 1 << 40) end, "tensor.zeros", "too many")
end)

-- A 2^62 x 0 matrix has no elements but 2^62 rows: t:totable() then runs
-- 2^62 iterations. Each dimension must respect the size limit.
T.test("tensor.zeros(2^62, 0) is refused: 2^62 rows are too many even with no columns", function()
  T.raises(function() return tensor.zeros(1 << 62, 0) end, "tensor.zeros", "4611686018427387904", "too many")
end)

-- ---- linspace and range ----------------------------------------------------

T.test("tensor.linspace with n < 1 or a non-integer n says what n was", function()
  T.raises(function() return tensor.linspace(0, 1, 0) end, "tensor.linspace", "n must be >= 1, got 0")
  T.raises(function() return tensor.linspace(0, 1, -1) end, "tensor.linspace", "n must be >= 1, got -1")
  T.raises(function() return tensor.linspace(0, 1, 2.5) end, "linspace", "number has no integer representation")
  T.raises(function() return tensor.linspace("a", 1, 3) end, "linspace", "number expected, got string")
end)

T.test("tensor.linspace(0, 1, 2^62) is a clean error", function()
  T.raises(function() return tensor.linspace(0, 1, 2 ^ 62) end, "tensor.linspace", "too many")
end)

T.test("tensor.linspace with a nan end is an error, not a tensor of nan", function()
  T.raises(function() return tensor.linspace(0, 0 / 0, 3) end, "tensor.linspace", "nan")
end)

T.test("tensor.linspace with an infinite end is an error, not {nan, inf, inf}", function()
  T.raises(function() return tensor.linspace(0, 1 / 0, 3) end, "tensor.linspace", "inf")
end)

T.test("tensor.range with step 0 is an error", function()
  T.raises(function() return tensor.range(0, 4, 0) end, "tensor.range", "step must not be 0")
end)

T.test("tensor.range going the wrong way names the step and both ends", function()
  T.raises(function() return tensor.range(0, 4, -1) end, "tensor.range", "step of -1", "from 0 to 4")
  T.raises(function() return tensor.range(4, 0, 0.5) end, "tensor.range", "step of 0.5", "from 4 to 0")
end)

T.test("tensor.range with a non-finite bound or step is an error", function()
  T.raises(function() return tensor.range(0, 1 / 0, 1) end, "tensor.range", "finite")
  T.raises(function() return tensor.range(0, 4, 0 / 0) end, "tensor.range", "finite")
  T.raises(function() return tensor.range(-1 / 0, 4, 1) end, "tensor.range", "finite")
end)

T.test("tensor.range's non-finite error says which value it was", function()
  T.raises(function() return tensor.range(0, 1 / 0, 1) end, "tensor.range", "inf")
  T.raises(function() return tensor.range(0, 4, 0 / 0) end, "tensor.range", "nan")
end)

T.test("tensor.range with too many values is a clean error", function()
  T.raises(function() return tensor.range(0, 2 ^ 62, 1) end, "tensor.range", "too many values")
  T.raises(function() return tensor.range(0, 1, 1e-300) end, "tensor.range", "too many values")
end)

T.test("tensor.range with a wrong type or a missing end names the argument", function()
  T.raises(function() return tensor.range("a", 1) end, "range", "#1", "number expected, got string")
  T.raises(function() return tensor.range(0) end, "range", "#2", "number expected, got no value")
  T.raises(function() return tensor.range(0, 4, "a") end, "range", "#3", "number expected, got string")
end)

-- ---- parse -----------------------------------------------------------------

T.test("tensor.parse of a non-string names the type", function()
  T.raises(function() return tensor.parse(nil) end, "parse", "string expected, got nil")
  T.raises(function() return tensor.parse({}) end, "parse", "string expected, got table")
end)

T.test("tensor.parse names the item that is not a number", function()
  T.raises(function() return tensor.parse("1 2 x") end, "tensor.parse", "'x' is not a number", "item 3")
end)

T.test("tensor.parse of a number too large for a double is an error, not inf", function()
  T.raises(function() return tensor.parse("1, 1e999") end, "tensor.parse", "1e999")
end)

-- ---- indexing --------------------------------------------------------------

T.test("t[i] out of range gives the index and the range", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t[0] end, "index 0 is out of range 1..3")
  T.raises(function() return t[-1] end, "index -1 is out of range 1..3")
  T.raises(function() t[4] = 1 end, "index 4 is out of range 1..3")
  T.raises(function() return t:get(5) end, "index 5 is out of range 1..3")
  T.raises(function() t:set(4, 1) end, "index 4 is out of range 1..3")
end)

T.test("t[2^31 + 1] out of range gives that index, not a wrapped one", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t[2 ^ 31 + 1] end, "index 2147483649 is out of range 1..3")
end)

T.test("t[2^62] out of range gives that index, not 0", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t[2 ^ 62] end, "index 4611686018427387904 is out of range 1..3")
end)

T.test("t[1.5] and t[i] = non-number say what was wrong", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t[1.5] end, "number has no integer representation")
  T.raises(function() t[1] = "a" end, "t[i] = v needs a number v, got string")
  T.raises(function() t[1] = nil end, "t[i] = v needs a number v, got nil")
  T.raises(function() t.x = 1 end, "tensor", "cannot set field 'x'")
end)

T.test("row and col with a non-integer index name the type", function()
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  T.raises(function() return m:row("a") end, "row", "number expected, got string")
  T.raises(function() return m:col(nil) end, "col", "number expected, got nil")
end)

T.test("matrix indexing out of range names row or column and the range", function()
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  T.raises(function() return m[1] end, "t[i] is for vectors", "2x2 matrix")
  T.raises(function() return m:get(3, 1) end, "row 3 is out of range 1..2")
  T.raises(function() return m:get(1, 3) end, "column 3 is out of range 1..2")
  T.raises(function() return m:row(0) end, "row 0 is out of range 1..2")
  T.raises(function() return m:col(3) end, "column 3 is out of range 1..2")
  T.raises(function() m:set(1, 1, "a") end, "set", "number expected, got string")
  T.raises(function() return m:get(1) end, "get", "number expected, got no value")
end)

-- ---- arithmetic ------------------------------------------------------------

T.test("element-wise ops on different shapes name both shapes", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t + tensor{ 1, 2 } end, "tensor +", "[3]", "[2]")
  T.raises(function() return t - tensor{ 1, 2, 3, 4 } end, "tensor -", "[3]", "[4]")
  T.raises(function() return t * tensor{ { 1, 2 }, { 3, 4 } } end, "tensor *", "[3]", "[2x2]")
  T.raises(function() return t / tensor{ { 1, 2 }, { 3, 4 }, { 5, 6 } } end, "tensor /", "[3]", "[3x2]", "do not broadcast")
end)

T.test("element-wise ops with a non-number name the type given", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t + "a" end, "tensor +", "string")
  T.raises(function() return t * { "a", 2, 3 } end, "tensor arithmetic", "the right operand[1] is a string")
  T.raises(function() return t - true end, "tensor -", "boolean")
  T.raises(function() return t / nil end, "tensor /", "nil")
end)

T.test("element-wise ops with a closed tensor say the tensor is closed", function()
  local c = closed_tensor()
  T.raises(function() return c + 1 end, "tensor +", "closed")
  T.raises(function() return tensor{ 1, 2, 3 } * c end, "tensor *", "closed")
end)

-- ---- reductions and methods ------------------------------------------------

T.test("mean, min and max of an empty tensor are errors naming the function", function()
  local e = tensor.zeros(0)
  T.raises(function() return e:mean() end, "mean", "empty")
  T.raises(function() return e:min() end, "min", "empty")
  T.raises(function() return e:max() end, "max", "empty")
end)

T.test("tensor.sum and friends of a non-tensor name the type given", function()
  T.raises(function() return tensor.sum("a") end, "sum", "Tensor expected, got string")
  T.raises(function() return tensor.mean(nil) end, "mean", "Tensor expected, got nil")
  T.raises(function() return tensor.max(true) end, "max", "Tensor expected, got boolean")
end)

T.test("dot of different lengths names both shapes", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t:dot(tensor{ 1, 2 }) end, "dot", "[3]", "[2]")
  T.raises(function() return t:dot({ 1, 2, 3, 4 }) end, "dot", "[3]", "[4]")
end)

T.test("dot with a non-tensor names the type and the bad element", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t:dot("a") end, "dot", "got string")
  T.raises(function() return t:dot(nil) end, "dot", "got nil")
  T.raises(function() return t:dot({ 1, "a", 3 }) end, "dot", "[2] is a string")
end)

T.test("reshape to another element count names both counts", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t:reshape(2) end, "reshape", "3 elements", "2 x 1 = 2")
  T.raises(function() return t:reshape(-1) end, "reshape", "rows must be >= 0, got -1")
  T.raises(function() return t:reshape("a") end, "reshape", "number expected, got string")
end)

T.test("reshape with a huge row count gives the numbers asked for, not wrapped ones", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t:reshape(2 ^ 32 + 3) end, "reshape", "4294967299")
end)

T.test("reshape whose rows x cols overflows does not report '0 x 4 = 0'", function()
  local t = tensor{ 1, 2, 3 }
  T.raises(function() return t:reshape(1 << 62, 4) end, "reshape", "4611686018427387904")
end)

T.test("a closed tensor used after its block is an error saying so", function()
  local c = closed_tensor()
  T.raises(function() return c[1] end, "tensor has been closed")
  T.raises(function() return #c end, "tensor has been closed")
  T.raises(function() return c:sum() end, "tensor has been closed")
  T.raises(function() return tensor.sum(c) end, "sum", "tensor has been closed")
  T.raises(function() return tensor.get(c, 1) end, "get", "tensor has been closed")
  T.raises(function() c[1] = 2 end, "tensor has been closed")
  T.raises(function() return -c end, "tensor has been closed")
  T.raises(function() return tensor{ 1, 2, 3 }:dot(c) end, "dot", "closed tensor")
  T.raises(function() return tensor.copy(c) end, "copy", "tensor has been closed")
  T.raises(function() return tensor.totable(c) end, "totable", "tensor has been closed")
  T.raises(function() return tensor.shape(c) end, "shape", "tensor has been closed")
  T.raises(function() return tensor.numel(c) end, "numel", "tensor has been closed")
  T.raises(function() return tensor.row(c, 1) end, "row", "tensor has been closed")
  T.raises(function() return tensor.col(c, 1) end, "col", "tensor has been closed")
  T.raises(function() return tensor.min(c) end, "min", "tensor has been closed")
  T.raises(function() return tensor.reshape(c, 3) end, "reshape", "tensor has been closed")
  T.eq(tostring(c), "tensor (closed)", "tostring of a closed tensor")
  T.eq(tensor.is(c), false, "tensor.is of a closed tensor")
end)

T.done()
