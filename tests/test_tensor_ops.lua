-- test_tensor_ops.lua: the tensor operations of src/lib/tensorops.c and
-- src/lib/tensorjoin.c (numerics in src/core/tensorops.c). Expected values
-- are worked by hand in the comments, or printed by /usr/bin/python3's math
-- module (exp, log, tanh, statistics.variance) where they say so.
local T = dofile("tests/check.lua")

local function same(got, want, what)
  T.eq(tostring(got), want, what)
end

-- |got[i] - want[i]| within tol, element by element (a vector or a matrix).
local function near_all(got, want, tol, what)
  local g = got:totable()
  for i, row in ipairs(want) do
    if type(row) == "table" then
      for j, v in ipairs(row) do T.near(g[i][j], v, tol, string.format("%s[%d][%d]", what, i, j)) end
    else
      T.near(g[i], row, tol, string.format("%s[%d]", what, i))
    end
  end
end

-- The seed data of bench/README.md: n values in [0, 1), not round numbers.
local function seed(n, k)
  local t = {}
  for i = 0, n - 1 do t[i + 1] = ((i + k) * 0.6180339887498949) % 1.0 - 0.3 end
  return t
end

-- ---- element-wise ------------------------------------------------------------

T.test("exp, log, sqrt, abs, tanh: values from python3's math module", function()
  local t = tensor{ 1, 2, 0.5 }
  -- math.exp(1), math.log(2), math.sqrt(2), math.tanh(0.5)
  T.near(t:exp()[1], 2.718281828459045, 0, "exp(1)")
  T.near(t:log()[2], 0.6931471805599453, 0, "log(2)")
  T.near(t:sqrt()[2], 1.4142135623730951, 0, "sqrt(2)")
  T.near(t:tanh()[3], 0.46211715726000974, 0, "tanh(0.5)")
  same(tensor{ -1.5, 0, 2 }:abs(), "tensor{1.5, 0, 2}", "abs")
  same(tensor.exp(tensor{ 0 }), "tensor{1}", "tensor.exp(t) as a function")
  same(tensor{ {1, 4}, {9, 16} }:sqrt(), "tensor{{1, 2}, {3, 4}}", "sqrt keeps a matrix's shape")
end)

T.test("sigmoid: 1/(1+e^-x), and exact 0 and 1 at -+1000 without nan", function()
  local s = tensor{ 2, -2, 0, 1000, -1000 }:sigmoid()
  -- 1/(1+math.exp(-2)) = 0.8807970779778823, 1/(1+math.exp(2)) = 0.11920292202211755
  T.near(s[1], 0.8807970779778823, 1e-16, "sigmoid(2)")
  T.near(s[2], 0.11920292202211755, 1e-16, "sigmoid(-2)")
  T.eq(s[3], 0.5, "sigmoid(0)")
  T.eq(s[4], 1.0, "sigmoid(1000)")
  T.eq(s[5], 0.0, "sigmoid(-1000)")
end)

T.test("sigmoid of a layer: four at a time, a view the same bits as a copy", function()
  -- python3: 1/(1+math.exp(-x)) for x >= 0, math.exp(x)/(1+math.exp(x)) below
  local x = { -4, -2.5, -1, -0.5, 0.5, 1, 2.5, 4, 6 }
  local want = { 0.017986209962091555, 0.07585818002124356, 0.2689414213699951,
    0.37754066879814546, 0.6224593312018546, 0.7310585786300049, 0.9241418199787566,
    0.9820137900379085, 0.9975273768433653 }
  local s = tensor(x):sigmoid()
  for i = 1, #x do T.near(s[i], want[i], 3e-16 * want[i], "sigmoid(" .. x[i] .. ")") end
  local m = tensor{ { -4, -1, 0.5, 2.5 }, { -2.5, -0.5, 1, 4 } }
  local a, b = m:T():sigmoid(), m:sigmoid():T()
  for i = 1, 4 do
    for j = 1, 2 do T.eq(a:get(i, j), b:get(i, j), "sigmoid of the transpose at " .. i .. "," .. j) end
  end
end)

T.test("relu of a layer: four at a time; nan stays, -0 and below become +0", function()
  local r = tensor{ -1, 0, 2, 0 / 0, -0.0, 3, -5, 1 / 0, -1 / 0 }:relu()
  local want = { 0, 0, 2, nil, 0, 3, 0, 1 / 0, 0 }
  for i = 1, 9 do
    if i == 4 then T.truthy(r[i] ~= r[i], "relu(nan) is nan")
    else T.eq(r[i], want[i], "relu element " .. i) end
  end
  T.eq(1 / r[5], 1 / 0, "relu(-0) is +0")
end)

T.test("relu and clamp, with nil for no bound", function()
  same(tensor{ -2, 0, 3 }:relu(), "tensor{0, 0, 3}", "relu")
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  same(m:clamp(2, 4), "tensor{{2, 2, 3}, {4, 4, 4}}", "clamp(2, 4)")
  same(m:clamp(nil, 2), "tensor{{1, 2, 2}, {2, 2, 2}}", "clamp(nil, 2)")
  same(m:clamp(5), "tensor{{5, 5, 5}, {5, 5, 6}}", "clamp(5)")
end)

T.test("element-wise functions read views: a transpose and a column", function()
  local m = tensor{ { 1, 4 }, { 9, 16 } }
  same(m:T():sqrt(), "tensor{{1, 3}, {2, 4}}", "sqrt of the transpose")
  same(m:col(2):sqrt(), "tensor{2, 4}", "sqrt of column 2")
end)

-- ---- softmax -------------------------------------------------------------------

-- softmax{1, 2, 3} from python3: e = [exp(x - 3)], e / sum(e)
local SM = { 0.09003057317038046, 0.24472847105479764, 0.6652409557748218 }
-- log_softmax{1, 2, 3}: x - 3 - log(exp(-2) + exp(-1) + 1)
local LSM = { -2.4076059644443806, -1.4076059644443804, -0.4076059644443804 }

T.test("softmax and log_softmax of a vector", function()
  near_all(tensor{ 1, 2, 3 }:softmax(), SM, 1e-15, "softmax")
  near_all(tensor{ 1, 2, 3 }:softmax(1), SM, 1e-15, "softmax(1)")
  near_all(tensor{ 1, 2, 3 }:log_softmax(), LSM, 1e-15, "log_softmax")
end)

T.test("softmax of a matrix: dim 2 each row, dim 1 each column", function()
  local m = tensor{ { 1, 2, 3 }, { 11, 12, 13 } }
  -- each row is {1, 2, 3} shifted: the same softmax
  near_all(m:softmax(2), { SM, SM }, 1e-15, "rows")
  near_all(m:T():softmax(1), { { SM[1], SM[1] }, { SM[2], SM[2] }, { SM[3], SM[3] } }, 1e-15,
    "columns of the transpose")
  near_all(m:log_softmax(2), { LSM, LSM }, 1e-15, "log_softmax rows")
end)

T.test("softmax and log_softmax are stable for logits of -+1000", function()
  same(tensor{ 1000, 1000 }:softmax(), "tensor{0.5, 0.5}", "two equal large logits")
  same(tensor{ 1000, -1000, 0 }:softmax(), "tensor{1, 0, 0}", "one dominant logit")
  same(tensor{ -1000, -1000 }:softmax(), "tensor{0.5, 0.5}", "two equal small logits")
  -- x - max - log(1 + e^-1000 + e^-2000) = x - 1000 - 0
  same(tensor{ 1000, 0, -1000 }:log_softmax(), "tensor{0, -1000, -2000}", "log_softmax")
  same(tensor{ { 1000, 999 } }:log_softmax(2):exp():sum(2), "tensor{1}", "exp of it sums to 1")
end)

-- ---- reductions ---------------------------------------------------------------------

T.test("sum, mean, var along dims of a matrix", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  same(m:sum(1), "tensor{5, 7, 9}", "m:sum(1): column sums")
  same(m:sum(2), "tensor{6, 15}", "m:sum(2): row sums")
  same(m:mean(1), "tensor{2.5, 3.5, 4.5}", "m:mean(1)")
  same(m:mean(2), "tensor{2, 5}", "m:mean(2)")
  -- a column {1, 4}: mean 2.5, (1.5^2 + 1.5^2) / (2 - 1) = 4.5; a row
  -- {1, 2, 3}: (1 + 0 + 1) / 2 = 1
  same(m:var(1), "tensor{4.5, 4.5, 4.5}", "m:var(1), unbiased")
  same(m:var(2), "tensor{1, 1}", "m:var(2)")
  same(m:var(1, { unbiased = false }), "tensor{2.25, 2.25, 2.25}", "population variance")
  same(tensor{ 1, 2, 3 }:sum(1), "tensor{6}", "a vector's sum(1) has shape [1]")
  T.eq(m:sum(), 21.0, "m:sum() is a number")
  T.eq(m:mean(), 3.5, "m:mean() is a number")
end)

T.test("var by the definition: statistics.variance and pvariance", function()
  local t = tensor{ 2, 4, 4, 4, 5, 5, 7, 9 }
  -- mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32/7 and 32/8
  T.near(t:var(), 32 / 7, 1e-15, "var() unbiased")
  T.eq(t:var({ unbiased = false }), 4.0, "var{unbiased = false}")
  T.eq(tostring(tensor{ 3 }:var()), "nan", "unbiased variance of one value is nan (0/0)")
  T.near(t:reshape(2, 4):T():var(), 32 / 7, 1e-15, "var() of a transposed view")
end)

T.test("column and row sums have the bits of the column or row summed alone", function()
  -- 21 x 3 of irregular values: 21 is not a multiple of the 8 chains
  local rows = {}
  for i = 1, 21 do rows[i] = seed(3, i * 3) end
  local m = tensor(rows)
  local cs, rs = m:sum(1), m:sum(2)
  for j = 1, 3 do T.eq(cs[j], m:col(j):sum(), "column " .. j) end
  for i = 1, 21 do T.eq(rs[i], m:row(i):sum(), "row " .. i) end
  local mt = m:T()  -- the same through a transposed view
  for j = 1, 3 do T.eq(mt:sum(2)[j], cs[j], "transposed row " .. j) end
  T.eq(m:T():sum(), m:T():contiguous():sum(), "a view sums like its contiguous copy")
end)

T.test("max and min along a dim give values and 1-based indices; ties take the first", function()
  local m = tensor{ { 3, 7, 7 }, { 9, 1, 7 } }
  local v, i = m:max(1)
  same(v, "tensor{9, 7, 7}", "max(1) values")
  same(i, "tensor{2, 1, 1}", "max(1) indices")
  v, i = m:max(2)
  same(v, "tensor{7, 9}", "max(2) values")
  same(i, "tensor{2, 1}", "max(2) indices: the first 7")
  v, i = m:min(2)
  same(v, "tensor{3, 1}", "min(2) values")
  same(i, "tensor{1, 2}", "min(2) indices")
  same(m:argmax(2), "tensor{2, 1}", "argmax(2)")
  same(m:argmin(1), "tensor{1, 2, 1}", "argmin(1)")
  T.eq(m:max(), 9.0, "max() is a number")
  T.eq(m:argmax(), 4, "argmax() is the row-major position")
  T.eq(m:T():argmax(), 2, "argmax() of the transpose")
  T.eq(math.type(i[1]), "float", "indices are a float tensor")
end)

-- ---- comparisons ----------------------------------------------------------------------

T.test("comparisons give 0/1 tensors against numbers and broadcast tensors", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  same(m:gt(3), "tensor{{0, 0, 0}, {1, 1, 1}}", "gt(3)")
  same(m:le(2), "tensor{{1, 1, 0}, {0, 0, 0}}", "le(2)")
  same(m:eq(tensor{ 1, 5, 3 }), "tensor{{1, 0, 1}, {0, 1, 0}}", "eq with a row")
  same(m:ge(tensor{ { 2 }, { 5 } }), "tensor{{0, 1, 1}, {0, 1, 1}}", "ge with a column")
  same(tensor{ 1, 2 }:lt(tensor{ 2, 2 }), "tensor{1, 0}", "lt")
  same(tensor{ 1, 0 / 0 }:ne(tensor{ 1, 0 / 0 }), "tensor{0, 1}", "nan is not equal to nan")
  same(tensor{ 0 / 0 }:eq(0 / 0), "tensor{0}", "nan compares false")
end)

-- ---- stack, cat, index -------------------------------------------------------------------

T.test("stack: vectors as rows (dim 1) or as columns (dim 2)", function()
  local a, b = tensor{ 1, 2, 3 }, tensor{ 4, 5, 6 }
  same(tensor.stack{ a, b }, "tensor{{1, 2, 3}, {4, 5, 6}}", "rows")
  same(tensor.stack({ a, b }, 2), "tensor{{1, 4}, {2, 5}, {3, 6}}", "columns")
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  same(tensor.stack({ m:col(2), m:row(1) }), "tensor{{2, 4}, {1, 2}}", "views")
end)

T.test("cat: vectors end to end, matrices along dim 1 or 2", function()
  same(tensor.cat{ tensor{ 1 }, tensor{ 2, 3 } }, "tensor{1, 2, 3}", "vectors")
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  same(tensor.cat{ m, tensor{ { 5, 6 } } }, "tensor{{1, 2}, {3, 4}, {5, 6}}", "rows")
  same(tensor.cat{ m, tensor{ 5, 6 } }, "tensor{{1, 2}, {3, 4}, {5, 6}}", "a vector as a row")
  same(tensor.cat({ m, m:T() }, 2), "tensor{{1, 2, 1, 3}, {3, 4, 2, 4}}", "columns")
end)

T.test("index: rows of a matrix, elements of a vector, by a table or a tensor", function()
  local m = tensor{ { 1, 2 }, { 3, 4 }, { 5, 6 } }
  same(m:index{ 3, 1, 3 }, "tensor{{5, 6}, {1, 2}, {5, 6}}", "rows by a table")
  same(m:index(tensor{ 2 }), "tensor{{3, 4}}", "one row stays a matrix")
  same(m:T():index{ 2 }, "tensor{{2, 4, 6}}", "rows of a transposed view")
  same(tensor{ 10, 20, 30 }:index(tensor{ 3, 1 }), "tensor{30, 10}", "elements of a vector")
  local r = m:index{ 1 }
  r:set(1, 1, 99)
  T.eq(m:get(1, 1), 1.0, "index copies: the source is unchanged")
end)

-- ---- matmul -------------------------------------------------------------------------------

T.test("matmul: 2x3 times 3x2 by hand, and the vector cases", function()
  local a = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  local b = tensor{ { 7, 8 }, { 9, 10 }, { 11, 12 } }
  -- 1*7+2*9+3*11 = 58, 1*8+2*10+3*12 = 64, 4*7+5*9+6*11 = 139, 4*8+5*10+6*12 = 154
  same(a:matmul(b), "tensor{{58, 64}, {139, 154}}", "a:matmul(b)")
  same(tensor.matmul(a, b), "tensor{{58, 64}, {139, 154}}", "tensor.matmul(a, b)")
  same(b:T():matmul(a:T()), "tensor{{58, 139}, {64, 154}}", "transposed views: (ab)^T")
  same(a:matmul(tensor{ 1, 0, -1 }), "tensor{-2, -2}", "matrix x vector -> vector")
  same(tensor{ 1, -1 }:matmul(a), "tensor{-3, -3, -3}", "vector x matrix -> vector")
  same(tensor{ 1, 2, 3 }:matmul(tensor{ 4, 5, 6 }), "tensor{32}", "vector . vector -> [1]")
  same(tensor.zeros(2, 0):matmul(tensor.zeros(0, 2)), "tensor{{0, 0}, {0, 0}}", "k = 0")
end)

T.test("matmul adds the products in increasing k, each rounded", function()
  -- 1e16 + 1 - 1e16 in order: (1e16 + 1) rounds to 1e16, then 0
  same(tensor{ { 1e16, 1, -1e16 } }:matmul(tensor{ 1, 1, 1 }), "tensor{0}", "left to right")
  same(tensor{ { 1e16, -1e16, 1 } }:matmul(tensor{ 1, 1, 1 }), "tensor{1}", "another order")
end)

-- ---- in place --------------------------------------------------------------------------------

T.test("add_, sub_, mul_, div_ change t and return it", function()
  local t = tensor{ { 1, 2 }, { 3, 4 } }
  T.truthy(rawequal(t:add_(1), t), "add_ returns t")
  same(t, "tensor{{2, 3}, {4, 5}}", "add_(1)")
  t:add_(tensor{ 10, 20 }, 2)
  same(t, "tensor{{22, 43}, {24, 45}}", "add_(row, alpha 2)")
  t:sub_(tensor{ { 2 }, { 4 } })
  same(t, "tensor{{20, 41}, {20, 41}}", "sub_(column)")
  t:mul_(0.5):div_(tensor{ { 10, 1 }, { 2, 41 } })
  same(t, "tensor{{1, 20.5}, {5, 0.5}}", "mul_ then div_")
  t:sub_(1, 2)
  same(t, "tensor{{-1, 18.5}, {3, -1.5}}", "sub_(1, alpha 2)")
end)

T.test("in-place updates write through views into the storage", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  m:col(2):fill_(0)
  same(m, "tensor{{1, 0, 3}, {4, 0, 6}}", "fill_ of a column")
  m:row(1):add_(tensor{ 1, 1, 1 })
  same(m, "tensor{{2, 1, 4}, {4, 0, 6}}", "add_ of a row")
  m:T():mul_(tensor{ { 1 }, { 10 }, { 100 } })
  same(m, "tensor{{2, 10, 400}, {4, 0, 600}}", "mul_ of the transpose, by a column")
  m:narrow(2, 2, 2):zero_()
  same(m, "tensor{{2, 0, 0}, {4, 0, 0}}", "zero_ of a narrowed view")
  m:col(3):copy_(tensor{ 7, 8 })
  same(m, "tensor{{2, 0, 7}, {4, 0, 8}}", "copy_ into a column")
  m:copy_({ 1, 2, 3, 4, 5, 6 })
  same(m, "tensor{{1, 2, 3}, {4, 5, 6}}", "copy_ of a table, row-major")
end)

T.test("in place with an operand that overlaps t reads it before writing", function()
  local v = tensor{ 1, 2, 3, 4 }
  v:narrow(1, 2, 3):add_(v:narrow(1, 1, 3))
  same(v, "tensor{1, 3, 5, 7}", "shifted add_ uses the old values")
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  m:copy_(m:T())
  same(m, "tensor{{1, 3}, {2, 4}}", "copy_ of its own transpose")
  local a = tensor{ 1, 2 }
  a:add_(a)
  same(a, "tensor{2, 4}", "add_ of itself")
end)

T.test("item: the one element as a number", function()
  T.eq(tensor{ 7 }:item(), 7.0, "item")
  T.eq(tensor{ { 2 } }:item(), 2.0, "item of a 1x1 matrix")
  T.eq(tensor{ 1, 2 }:dot(tensor{ 3, 4 }), 11.0, "dot")
end)

-- ---- sum and mean when a gradient is wanted --------------------------------------------

T.test("sum() and mean() give a one-element tensor when the tensor wants a gradient", function()
  local w = tensor{ 1, 2, 3 }
  w.requires_grad = true
  local s = w:sum()
  T.truthy(tensor.is(s), "sum() is a tensor")
  same(s, "tensor{6}", "its value")
  same(w:mean(), "tensor{2}", "mean()")
  T.raises(function() w:add_(1) end, "t:add_: a leaf tensor that requires grad cannot be changed in place")
  T.raises(function() w:zero_() end, "t:zero_: a leaf tensor that requires grad")
end)

-- ---- csv.matrix ---------------------------------------------------------------------------

T.test("csv.matrix: named numeric columns as one matrix, a column as a vector", function()
  local d = T.tmpdir()
  T.write(d .. "/m.csv", "a,b,name,c\n1,2,x,3\n4,5,y,6\n7,8,z,9\n")
  local X, names = csv.matrix(d .. "/m.csv", { columns = { "c", "a" } })
  same(X, "tensor{{3, 1}, {6, 4}, {9, 7}}", "two columns in the order asked")
  T.eq(table.concat(names, ","), "c,a", "their names")
  same(csv.matrix(d .. "/m.csv", { columns = { 1, 4 } }), "tensor{{1, 3}, {4, 6}, {7, 9}}",
    "by column numbers")
  same(csv.matrix(d .. "/m.csv", { columns = "b" }), "tensor{2, 5, 8}", "one column: a vector")
  T.write(d .. "/n.csv", "p;q\n1;2\n")
  same(csv.matrix(d .. "/n.csv", { sep = ";" }), "tensor{{1, 2}}", "all columns, with sep")
end)

T.done()
