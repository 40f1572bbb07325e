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

-- ---- operations (tensorops.c, tensorjoin.c) ------------------------------------

T.test("dims out of range name the function, the shape and the dim given", function()
  local m, v = tensor.zeros(2, 3), tensor.zeros(3)
  T.raises(function() return m:sum(3) end, "t:sum: dim must be 1 or 2 for a matrix [2x3], got 3")
  T.raises(function() return v:mean(2) end, "t:mean: dim must be 1 for a vector [3], got 2")
  T.raises(function() return m:max(0) end, "t:max: dim must be 1 or 2 for a matrix [2x3], got 0")
  T.raises(function() return m:sum(1.5) end, "t:sum: dim must be 1 or 2, got 1.5")
  T.raises(function() return m:argmax("x") end, "t:argmax: dim must be 1 or 2, got string")
  T.raises(function() return m:softmax() end, "t:softmax: a matrix [2x3] needs dim")
  T.raises(function() return m:log_softmax(3) end, "t:log_softmax: dim must be 1 or 2 for a matrix [2x3], got 3")
end)

T.test("reductions of empty tensors say so", function()
  T.raises(function() return tensor.zeros(0):mean() end, "t:mean: the tensor is empty")
  T.raises(function() return tensor.zeros(0):max() end, "t:max: the tensor is empty")
  T.raises(function() return tensor.zeros(0):argmin() end, "t:argmin: the tensor is empty")
  T.raises(function() return tensor.zeros(0, 3):max(1) end, "t:max: the tensor [0x3] is empty along dim 1")
  T.raises(function() return tensor.zeros(0, 3):var(1) end, "t:var: the tensor [0x3] is empty along dim 1")
  T.eq(tostring(tensor.zeros(0, 3):sum(1)), "tensor{0, 0, 0}", "an empty sum is 0")
end)

T.test("var's options are checked", function()
  local v = tensor{ 1, 2 }
  T.raises(function() return v:var(1, 5) end, "t:var: options must be a table like {unbiased = false}, got number")
  T.raises(function() return v:var{ biased = true } end, "t:var: unknown option 'biased'")
  T.raises(function() return v:var{ unbiased = 1 } end, "t:var: unbiased must be true or false, got number")
end)

T.test("clamp's bounds are checked", function()
  local v = tensor{ 1, 2 }
  T.raises(function() return v:clamp() end, "t:clamp: give lo, hi or both; both are nil")
  T.raises(function() return v:clamp(3, 1) end, "t:clamp: lo (3.0) is above hi (1.0)")
  T.raises(function() return v:clamp("a") end, "t:clamp: lo must be a number or nil (no bound), got string")
  T.raises(function() return v:clamp(0 / 0) end, "t:clamp: lo is nan")
end)

T.test("comparisons name both shapes when they do not broadcast", function()
  T.raises(function() return tensor{ 1, 2 }:gt(tensor{ 1, 2, 3 }) end, "t:gt: shapes [2] and [3] do not broadcast")
  T.raises(function() return tensor.zeros(2, 3):eq(tensor.zeros(3, 2)) end, "t:eq: shapes [2x3] and [3x2]")
  T.raises(function() return tensor{ 1 }:lt("a") end, "t:lt: u must be a tensor or a number, got string")
end)

T.test("matmul names both shapes and the sides that do not fit", function()
  T.raises(function() return tensor.zeros(2, 3):matmul(tensor.zeros(4, 5)) end,
    "t:matmul: shapes [2x3] and [4x5] do not fit: 3 columns against 4 rows")
  T.raises(function() return tensor.zeros(2, 3):matmul(tensor.zeros(2)) end,
    "t:matmul: shapes [2x3] and [2] do not fit: 3 columns against 2 elements")
  T.raises(function() return tensor.zeros(3):matmul(tensor.zeros(2, 3)) end,
    "t:matmul: shapes [3] and [2x3] do not fit: 3 elements against 2 rows")
  T.raises(function() return tensor.zeros(3):matmul(tensor.zeros(2)) end,
    "t:matmul: shapes [3] and [2] do not fit: 3 elements against 2 elements")
  T.raises(function() return tensor.matmul(tensor.zeros(2), 3) end, "matmul", "Tensor expected, got number")
  T.raises(function() return tensor.matmul(tensor.zeros(2), closed_tensor()) end, "matmul", "tensor has been closed")
end)

T.test("stack and cat name the list item and both shapes", function()
  local a = tensor{ 1, 2 }
  T.raises(function() return tensor.stack(a) end, "tensor.stack: list must be a table of tensors, got one tensor (write {t})")
  T.raises(function() return tensor.stack{} end, "tensor.stack: the list is empty")
  T.raises(function() return tensor.stack{ a, 3 } end, "tensor.stack: list[2] is a number, expected a tensor")
  T.raises(function() return tensor.stack{ a, closed_tensor() } end, "tensor.stack: list[2] is a closed tensor")
  T.raises(function() return tensor.stack{ a, tensor{ 1, 2, 3 } } end,
    "tensor.stack: list[2] has shape [3], expected [2] like list[1]")
  T.raises(function() return tensor.stack{ a, tensor.zeros(2, 2) } end,
    "tensor.stack: list[2] is a matrix [2x2]; stack joins vectors")
  T.raises(function() return tensor.stack({ a, a }, 3) end, "tensor.stack: dim must be 1 (rows) or 2 (columns), got 3")
  T.raises(function() return tensor.cat{ tensor.zeros(2, 2), tensor.zeros(1, 3) } end,
    "tensor.cat: list[2] has shape [1x3], but joining along dim 1 needs 2 columns like list[1] [2x2]")
  T.raises(function() return tensor.cat({ tensor.zeros(2, 2), tensor.zeros(3, 1) }, 2) end,
    "tensor.cat: list[2] has shape [3x1], but joining along dim 2 needs 2 rows like list[1] [2x2]")
  T.raises(function() return tensor.cat({ tensor.zeros(2, 2), a }, 2) end,
    "tensor.cat: list[2] is a vector [2]; dim 2 joins matrices side by side")
  T.raises(function() return tensor.cat{ tensor.zeros(2, 2), tensor{ 1, 2, 3 } } end,
    "tensor.cat: list[2] has shape [3], but joining along dim 1 needs 2 columns")
  T.raises(function() return tensor.cat({ a }, "x") end, "tensor.cat: dim must be 1 (rows) or 2 (columns), got x")
end)

T.test("stack and cat read the items they checked, whatever a finalizer does to the list", function()
  -- Allocating the result may run a full collection, and with it a __gc
  -- metamethod that rewrites the list: the join must not then place the
  -- new, larger item into the result sized for the old one (it wrote past
  -- the result's end).
  for _, join in ipairs({ "stack", "cat" }) do
    local n = 200000
    local list = { tensor.zeros(n), tensor.zeros(n) }
    local ran = false
    setmetatable({}, { __gc = function()
      if not ran then list[2] = tensor.ones(3 * n); ran = true end
    end })
    local r = tensor[join](list)
    T.eq(ran, true, join .. ": the finalizer ran during the join")
    T.eq(r:numel(), 2 * n, join .. ": the result has the checked items' size")
    T.eq(r:sum(), 0.0, join .. ": and their values")
  end
end)

T.test("index names the bad entry and the range", function()
  local m = tensor.zeros(4, 2)
  T.raises(function() return m:index{ 1, 5 } end,
    "t:index: rows[2] is 5.0, expected a whole number in 1..4 (the rows of [4x2])")
  T.raises(function() return m:index{ 0 } end, "t:index: rows[1] is 0.0, expected a whole number in 1..4")
  T.raises(function() return m:index{ 1.5 } end, "t:index: rows[1] is 1.5, expected a whole number")
  T.raises(function() return m:index{ 1, "2" } end, "t:index: rows[2] is a string, expected a number")
  T.raises(function() return m:index(tensor{ 0 / 0 }) end, "t:index: rows[1] is nan")
  T.raises(function() return m:index{ 1e300 } end, "t:index: rows[1] is 1e+300, expected a whole number")
  T.raises(function() return tensor.zeros(3):index{ 4 } end, "in 1..3 (the elements of [3])")
  T.raises(function() return m:index(2) end, "t:index: rows must be a tensor or a table of 1-based indices, got number")
end)

T.test("in-place updates name both shapes and what t accepts", function()
  local m = tensor.zeros(2, 3)
  T.raises(function() return m:add_(tensor.zeros(3, 2)) end,
    "t:add_: shapes [2x3] and [3x2] do not fit: u must broadcast to t's shape [2x3]")
  T.raises(function() return tensor.zeros(3):mul_(tensor.zeros(2, 3)) end,
    "t:mul_: shapes [3] and [2x3] do not fit: u must broadcast to t's shape [3]")
  T.raises(function() return m:sub_(true) end, "t:sub_: u must be a tensor or a number, got boolean")
  T.raises(function() return m:add_(1, "x") end, "t:add_: alpha must be a number, got string")
  T.raises(function() return m:div_(closed_tensor()) end, "t:div_: u is a closed tensor")
  T.raises(function() return m:fill_("x") end, "t:fill_: v must be a number, got string")
  T.raises(function() return m:copy_(tensor.zeros(5)) end, "t:copy_: shapes [2x3] and [5] have 6 and 5 elements")
  T.raises(function() return closed_tensor():zero_() end, "tensor: this tensor has been closed")
  T.raises(function() return tensor.zero_(closed_tensor()) end, "zero_", "tensor has been closed")
end)

T.test("item needs exactly one element and names the shape", function()
  T.raises(function() return tensor.zeros(2, 3):item() end,
    "t:item: the tensor has shape [2x3] (6 elements); item needs exactly one")
  T.raises(function() return tensor.zeros(0):item() end, "t:item: the tensor has shape [0] (0 elements)")
end)

T.test("element-wise functions want a tensor", function()
  T.raises(function() return tensor.exp(2) end, "exp", "Tensor expected, got number")
  T.raises(function() return tensor.sigmoid(closed_tensor()) end, "sigmoid", "tensor has been closed")
end)

T.test("csv.matrix names the column, the file and what was wrong", function()
  local d = T.tmpdir()
  local f = d .. "/m.csv"
  T.write(f, "a,name\n1,x\n")
  T.raises(function() return csv.matrix(f) end, "csv.matrix: column 'name' of " .. f .. " is not numeric (line 2 holds text)")
  T.raises(function() return csv.matrix(f, { columns = { "q" } }) end, "csv.matrix: columns[1] 'q' is not a column of " .. f)
  T.raises(function() return csv.matrix(f, { columns = { 3 } }) end, "csv.matrix: columns[1] is 3, but the file has columns 1..2")
  T.raises(function() return csv.matrix(f, { columns = {} }) end, "csv.matrix: no columns to read (columns is empty)")
  T.raises(function() return csv.matrix(f, { columns = true }) end, "csv.matrix: columns must be a list of column names or numbers, got boolean")
  T.raises(function() return csv.matrix(f, { cols = { 1 } }) end, "csv.matrix: unknown option 'cols' (the options are columns, comment, header, sep, text)")
  T.raises(function() return csv.read(f, { columns = { 1 } }) end, "csv.read: unknown option 'columns' (the options are comment, header, sep, text)")
  T.raises(function() return csv.matrix(d .. "/none.csv") end, "csv.matrix: cannot open")
end)

T.test("zeros and ones with a third size are an error, not a quiet matrix", function()
  T.raises(function() return tensor.zeros(2, 2, 2) end, "tensor.zeros: at most 2 sizes", "got 3")
  T.raises(function() return tensor.ones(2, 2, 2) end, "tensor.ones: at most 2 sizes")
end)

T.done()
