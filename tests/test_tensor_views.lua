-- tests/test_tensor_views.lua: tensors as views on shared storage,
-- broadcasting, the models' live parameters, and tensor memory as the
-- collector sees it. Expected values are worked by hand in the comments.
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

local function same(t, want, what)
  local got = t:totable()
  T.eq(#got, #want, (what or "tensor") .. " rows")
  for i = 1, #want do
    if type(want[i]) == "table" then
      for j = 1, #want[i] do T.eq(got[i][j], want[i][j], string.format("%s[%d][%d]", what or "t", i, j)) end
    else
      T.eq(got[i], want[i], string.format("%s[%d]", what or "t", i))
    end
  end
end

T.test("row, col, T and narrow are views: writing them writes the matrix", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  local r, c, t = m:row(2), m:col(3), m:T()
  same(r, { 4, 5, 6 }, "row 2")
  same(c, { 3, 6 }, "column 3")
  same(t, { { 1, 4 }, { 2, 5 }, { 3, 6 } }, "transpose")
  r[1] = 40          -- m[2][1]
  c[1] = 30          -- m[1][3]
  t:set(2, 1, 20)    -- m[1][2]
  same(m, { { 1, 20, 30 }, { 40, 5, 6 } }, "m after writes through views")
  local n = m:narrow(2, 2, 2)  -- columns 2..3
  same(n, { { 20, 30 }, { 5, 6 } }, "narrow")
  n:set(2, 2, 60)
  T.eq(m:get(2, 3), 60, "narrow writes through")
  same(m:narrow(1, 2, 1), { { 40, 5, 60 } }, "narrow rows")
end)

T.test("a view keeps its storage alive after the matrix is closed or collected", function()
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  local c = m:col(2)
  getmetatable(m).__close(m)
  m = nil
  collectgarbage()
  same(c, { 2, 4 }, "column after its matrix went")
end)

T.test("reshape of a contiguous tensor is a view; clone and contiguous copy", function()
  local v = tensor{ 1, 2, 3, 4, 5, 6 }
  local m = v:reshape(2, 3)
  m:set(2, 1, 40)
  T.eq(v[4], 40, "reshape writes through")
  local c = v:clone()
  c[1] = 100
  T.eq(v[1], 1, "clone is a copy")
  local t = m:T()
  local k = t:contiguous()
  same(k, { { 1, 40 }, { 2, 5 }, { 3, 6 } }, "contiguous copy of a transpose")
  k:set(1, 1, 0)
  T.eq(m:get(1, 1), 1, "contiguous of a view is a copy")
  same(t:reshape(6), { 1, 40, 2, 5, 3, 6 }, "reshape of a transpose: row-major order of the view")
end)

T.test("operations read views with their strides", function()
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  same(m:T() + m, { { 2, 5 }, { 5, 8 } }, "T + m")
  T.eq(m:col(2):sum(), 6, "sum of a column")
  T.eq(m:T():dot(tensor{ 1, 0, 0, 1 }), 5, "dot of a transpose, row-major: {1,3,2,4}.{1,0,0,1}")
  same(m:col(1) * 10, { 10, 30 }, "column times a number")
  T.eq(tostring(m:T()), "tensor{{1, 3}, {2, 4}}", "tostring of a transpose")
end)

T.test("broadcasting: a row over a matrix's rows, a column over its columns, numbers", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  same(m + tensor{ 10, 20, 30 }, { { 11, 22, 33 }, { 14, 25, 36 } }, "matrix + vector (a row)")
  same(m - tensor{ { 1, 2, 3 } }, { { 0, 0, 0 }, { 3, 3, 3 } }, "matrix - 1x3")
  same(m * tensor{ { 2 }, { 3 } }, { { 2, 4, 6 }, { 12, 15, 18 } }, "matrix * 2x1 column")
  same(tensor{ { 1 }, { 2 } } + tensor{ 10, 20 }, { { 11, 21 }, { 12, 22 } }, "column + row = outer")
  same(tensor{ 12, 6 } / tensor{ 3 }, { 4, 2 }, "vector / 1-element vector")
  same(m * tensor{ 2, 0, -1 }, { { 2, 0, -3 }, { 8, 0, -6 } }, "matrix * row")
  same(m / tensor{ 1, 2, 4 }, { { 1, 1, 0.75 }, { 4, 2.5, 1.5 } }, "matrix / row")
  same(tensor{ { 1 }, { 2 }, { 3 } } + tensor{ 10 }, { { 11 }, { 12 }, { 13 } },
    "n x 1 + 1-element vector (a one-output layer's bias)")
  same(1 - m:row(1), { 0, -1, -2 }, "number - row view")
  same(m ^ 2, { { 1, 4, 9 }, { 16, 25, 36 } }, "^ 2")
  same(tensor{ 4, 9 } ^ 0.5, { 2, 3 }, "^ 0.5")
end)

T.test("broadcasting errors name the operation and both shapes", function()
  local m = tensor{ { 1, 2, 3 }, { 4, 5, 6 } }
  T.raises(function() return m + tensor{ 1, 2 } end, "tensor +", "[2x3]", "[2]", "do not broadcast")
  T.raises(function() return m * tensor{ { 1 }, { 2 }, { 3 } } end, "tensor *", "[2x3]", "[3x1]")
  T.raises(function() return m ^ m end, "tensor ^", "exponent must be a number")
  T.raises(function() return 2 ^ m end, "tensor ^", "number ^ userdata")
end)

T.test("views: bad dims and ranges are named", function()
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  T.raises(function() return m:narrow(3, 1, 1) end, "t:narrow", "dim must be 1 or 2, got 3")
  T.raises(function() return m:narrow(1, 2, 2) end, "t:narrow", "2 elements from 2", "1..2")
  T.raises(function() return tensor{ 1, 2 }:row(1) end, "t:row", "vector")
  T.raises(function() return m:col(3) end, "column 3 is out of range 1..2")
  T.raises(function() return m:size(3) end, "t:size", "dim must be 1 or 2")
  T.eq(m:size(2), 2, "size(2)")
end)

T.test("a multi model's m.w and m.grad are live: writes reach the model", function()
  local m = model.multi{ inputs = 2, w = { 1, 2 }, b = 3 }
  local w = m.w
  w[1] = 5
  T.eq(m:forward(tensor{ 1, 1 }), 5 + 2 + 3, "forward after w[1] = 5")
  grad.mse(m, tensor{ { 1, 0 } }, tensor{ 0 })   -- r = 5 + 3 = 8: dw = 2*8*x = {16, 0}, db = 16
  local g = m.grad.w
  T.eq(g[1], 16, "m.grad.w[1]")
  T.eq(m.grad.b, 16, "m.grad.b")
  m.grad.b = 3
  T.eq(m.grad.b, 3, "m.grad.b = 3 is kept")
  g[2] = 7
  T.eq(m.grad.w[2], 7, "writing m.grad.w's view writes the gradient")
  local o = optim.sgd(m, { lr = 1 })
  o:step()   -- w = w - g = {5 - 16, 2 - 7}, b = 3 - 3
  T.eq(m.w[1], -11, "step used the written gradient (w1)")
  T.eq(m.w[2], -5, "step used the written gradient (w2)")
  T.eq(m.b, 0, "step used m.grad.b = 3")
end)

T.test("linear and affine: m.grad.w and m.grad.b write the gradient; pairs lists them", function()
  local m = model.affine{ w = 1, b = 0 }
  m.grad.w = 2
  m.grad.b = -1
  optim.sgd(m, { lr = 0.5 }):step()   -- w = 1 - 0.5*2 = 0, b = 0 + 0.5 = 0.5
  T.eq(m.w, 0.0, "w")
  T.eq(m.b, 0.5, "b")
  local keys = {}
  for k, v in pairs(m.grad) do keys[#keys + 1] = k .. "=" .. tostring(v) end
  T.eq(table.concat(keys, " "), "w=2.0 b=-1.0", "pairs(m.grad)")
  T.eq(tostring(m.grad), "{w = 2.0, b = -1.0}", "tostring(m.grad)")
  T.raises(function() model.linear{ w = 1 }.grad.b = 1 end, "m.grad", "no gradient 'b'")
  T.raises(function() m.grad.w = "x" end, "m.grad", "w must be a number, got string")
end)

T.test("m:parameters() is the model's parameter vector, live, with its gradient", function()
  local m = model.affine{ w = 2, b = 1 }
  local p = m:parameters()
  T.eq(#p, 1, "one tensor")
  same(p[1], { 2, 1 }, "w, b")
  p[1][2] = 5
  T.eq(m.b, 5, "writing the parameter vector writes b")
end)

-- The course learner's loop with temporaries: each epoch makes eight new
-- tensors of n numbers. Without the collector seeing tensor memory, this
-- grew to about a gigabyte; now it must stay near the live data (x and y).
T.test("a loop of tensor temporaries stays within a small multiple of its data", function()
  local n, epochs = 100000, 1000
  local x = tensor.linspace(0, 1, n)
  local y = x * 2 + 1
  collectgarbage()
  local base = sys.memory()
  local data = 2 * n * 8
  local peak, w, b, lr = 0, 0, 0, 0.5
  for _ = 1, epochs do
    local r = x * w + b - y
    local cost = (r * r):mean()
    w = w - lr * 2 * (r * x):mean()
    b = b - lr * 2 * r:mean()
    local used = sys.memory() - base
    if used > peak then peak = used end
    assert(cost == cost)
  end
  -- GD on y = 2x + 1 converges: check the loop computed something real
  T.near(w, 2, 1e-3, "w")
  T.near(b, 1, 1e-3, "b")
  T.truthy(peak < 6 * data, string.format("peak above the live data %.1f MB is %.1f MB, want < %.1f MB",
    data / 1e6, peak / 1e6, 6 * data / 1e6))
end)

T.done()
