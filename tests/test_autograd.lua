-- tests/test_autograd.lua: reverse-mode automatic differentiation.
-- Every gradient is checked against central differences of the forward
-- computation (an independent derivation): the loss is sum((f(x) - C)^2)
-- for a fixed random C of f's shape, so each output element gets its own
-- upstream gradient 2(f - C).
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

-- elements of a tensor, row-major, through get/set (any shape)
local function elems(t)
  local r, c = t:shape()
  local list = {}
  for i = 1, r do
    for j = 1, c or 1 do
      list[#list + 1] = c and { i, j } or { i }
    end
  end
  return list
end
local function get(t, ix) return t:get(table.unpack(ix)) end
local function set(t, ix, v)
  if #ix == 1 then t[ix[1]] = v else t:set(ix[1], ix[2], v) end
end

local sse = nn.MSELoss{ reduction = "sum" }

-- A constant of t's shape, from the seeded generator.
local function constant_like(t)
  local r, c = t:shape()
  local u = rng.uniform(r * (c or 1), -1, 1)
  return c and u:reshape(r, c) or u
end

-- Checks the gradients that backward gives every input of f against
-- central differences; returns the largest difference seen.
local function check_grad(f, inputs, tol, what)
  tol = tol or 1e-7
  for _, x in ipairs(inputs) do x.requires_grad = true; x.grad = nil end
  local out = f(table.unpack(inputs))
  local C = constant_like(out)
  local loss = function()
    return autograd.no_grad(function()
      local v = f(table.unpack(inputs))
      -- a reduction to one number is a Lua number when nothing is recorded
      return sse(type(v) == "number" and tensor{ v } or v, C)[1]
    end)
  end
  sse(out, C):backward()
  for k, x in ipairs(inputs) do
    T.truthy(x.grad, (what or "") .. ": input " .. k .. " has a grad")
    for _, ix in ipairs(elems(x)) do
      local v = get(x, ix)
      local h = 1e-6 * math.max(1, math.abs(v))
      set(x, ix, v + h)
      local up = loss()
      set(x, ix, v - h)
      local down = loss()
      set(x, ix, v)
      local num = (up - down) / (2 * h)
      T.near(get(x.grad, ix), num, tol, string.format("%s: d/d input %d [%s]", what or "",
        k, table.concat(ix, ",")))
    end
  end
end

local function M(t) return tensor(t) end

T.test("arithmetic of equal shapes", function()
  local a, b = M{ { 1, -2, 3 }, { 0.5, 2, -1 } }, M{ { 2, 1, -3 }, { 4, 0.25, 2 } }
  check_grad(function(x, y) return x + y end, { a, b }, 1e-7, "+")
  check_grad(function(x, y) return x - y end, { a, b }, 1e-7, "-")
  check_grad(function(x, y) return x * y end, { a, b }, 1e-7, "*")
  check_grad(function(x, y) return x / y end, { a, b }, 1e-7, "/")
  check_grad(function(x) return -x end, { a }, 1e-7, "unary -")
  check_grad(function(x) return x * x end, { a }, 1e-7, "x * x (one input twice)")
end)

T.test("arithmetic with a number on either side", function()
  local a = M{ 1.5, -2, 3 }
  check_grad(function(x) return x + 2 end, { a }, 1e-7, "x + 2")
  check_grad(function(x) return 2 - x end, { a }, 1e-7, "2 - x")
  check_grad(function(x) return x - 2 end, { a }, 1e-7, "x - 2")
  check_grad(function(x) return 3 * x end, { a }, 1e-7, "3 * x")
  check_grad(function(x) return x / 4 end, { a }, 1e-7, "x / 4")
  check_grad(function(x) return 2 / x end, { a }, 1e-7, "2 / x")
end)

T.test("broadcasting: a row vector, a 1 x c row and an r x 1 column over a matrix", function()
  local m = M{ { 1, 2, 3 }, { 4, 5, 6 } }
  check_grad(function(x, b) return x + b end, { m, M{ 10, 20, 30 } }, 1e-7, "m + vector")
  check_grad(function(x, b) return b * x end, { m, M{ { 1, -1, 2 } } }, 1e-7, "1 x c * m")
  check_grad(function(x, b) return x / b end, { m, M{ { 2 }, { -3 } } }, 1e-7, "m / column")
  check_grad(function(x, b) return b - x end, { m, M{ { 2 }, { -3 } } }, 1e-7, "column - m")
end)

T.test("the bias of a batch gets the column sums of the gradient", function()
  local z = M{ { 1, 2 }, { 3, 4 }, { 5, 6 } }
  local b = tensor{ 0, 0 }:requires_grad_()
  local y = z + b
  sse(y, tensor.zeros(3, 2)):backward()
  -- d/db sum (z + b)^2 = column sums of 2 z
  T.eq(b.grad[1], 18.0, "b.grad[1]")
  T.eq(b.grad[2], 24.0, "b.grad[2]")
end)

T.test("^ with a number exponent", function()
  local a = M{ 1.5, 2, 0.5 }
  for _, p in ipairs({ 2, 3, 0.5, -1, 1 }) do
    check_grad(function(x) return x ^ p end, { a }, 1e-6, "x ^ " .. p)
  end
  local x = tensor{ 0.0, 2.0 }:requires_grad_()
  sse(x ^ 0, tensor{ 0, 0 }):backward()
  T.eq(x.grad[1], 0.0, "d(x^0)/dx at 0 (PyTorch: 0)")
end)

T.test("views: T, row, col, narrow, reshape, clone, contiguous", function()
  local m = M{ { 1, 2, 3 }, { 4, 5, 6 } }
  check_grad(function(x) return x:T() * M{ { 1, 2 }, { 3, 4 }, { 5, 6 } } end, { m }, 1e-7, "T")
  check_grad(function(x) return x:row(2) * 3 end, { m }, 1e-7, "row")
  check_grad(function(x) return x:col(3) * 3 end, { m }, 1e-7, "col")
  check_grad(function(x) return x:narrow(1, 2, 1) * 2 end, { m }, 1e-7, "narrow rows")
  check_grad(function(x) return x:narrow(2, 2, 2) * 2 end, { m }, 1e-7, "narrow cols")
  check_grad(function(x) return x:reshape(3, 2) * 2 end, { m }, 1e-7, "reshape (a view)")
  check_grad(function(x) return x:T():reshape(6) * 2 end, { m }, 1e-7, "reshape (a copy)")
  check_grad(function(x) return x:clone() * 2 end, { m }, 1e-7, "clone")
  check_grad(function(x) return x:T():contiguous() * 2 end, { m }, 1e-7, "contiguous")
  check_grad(function(x) return x:narrow(1, 2, 3) * 2 end, { M{ 1, 2, 3, 4 } }, 1e-7,
    "narrow of a vector")
end)

-- ---- the operations of tensorops (their tests wait for them) ------------------

local function op_test(name, method, fn)
  T.test(name, fn)
end

op_test("element-wise functions", "sigmoid", function()
  local a = M{ { 0.5, -1.2, 2 }, { 1.5, 0.3, -0.7 } }
  local pos = M{ { 0.5, 1.2, 2 }, { 1.5, 0.3, 0.7 } }
  check_grad(function(x) return x:exp() end, { a }, 1e-6, "exp")
  check_grad(function(x) return x:log() end, { pos }, 1e-6, "log")
  check_grad(function(x) return x:sqrt() end, { pos }, 1e-6, "sqrt")
  check_grad(function(x) return x:abs() end, { a }, 1e-6, "abs")
  check_grad(function(x) return x:tanh() end, { a }, 1e-6, "tanh")
  check_grad(function(x) return x:sigmoid() end, { a }, 1e-6, "sigmoid")
  check_grad(function(x) return x:relu() end, { a }, 1e-6, "relu")
  check_grad(function(x) return x:clamp(-1, 1) end, { a }, 1e-6, "clamp")
end)

op_test("relu at 0 and clamp outside its range have gradient 0", "relu", function()
  local x = tensor{ 0.0, -1.0, 2.0 }:requires_grad_()
  sse(x:relu(), tensor{ -1, -1, -1 }):backward()
  T.eq(x.grad[1], 0.0, "relu'(0)")
  T.eq(x.grad[2], 0.0, "relu'(-1)")
  T.eq(x.grad[3], 6.0, "relu'(2) * 2(2 + 1)")
  local y = tensor{ -2.0, 0.5, 3.0 }:requires_grad_()
  sse(y:clamp(-1, 1), tensor{ 0, 0, 0 }):backward()
  T.eq(y.grad[1], 0.0, "below lo")
  T.eq(y.grad[2], 1.0, "inside")
  T.eq(y.grad[3], 0.0, "above hi")
end)

op_test("softmax and log_softmax along each dimension", "log_softmax", function()
  local a = M{ { 0.5, -1.2, 2 }, { 1.5, 0.3, -0.7 } }
  for dim = 1, 2 do
    check_grad(function(x) return x:softmax(dim) end, { a }, 1e-6, "softmax " .. dim)
    check_grad(function(x) return x:log_softmax(dim) end, { a }, 1e-6, "log_softmax " .. dim)
  end
  check_grad(function(x) return x:log_softmax(1) end, { M{ 1000, -1000, 999 } }, 1e-6,
    "log_softmax of large logits")
end)

op_test("sum and mean, whole and along each dimension", "sigmoid", function()
  local a = M{ { 0.5, -1.2, 2 }, { 1.5, 0.3, -0.7 } }
  for dim = 1, 2 do
    check_grad(function(x) return x:sum(dim) end, { a }, 1e-6, "sum " .. dim)
    check_grad(function(x) return x:mean(dim) end, { a }, 1e-6, "mean " .. dim)
  end
  local x = a:detach():clone():requires_grad_()
  local s = x:sum()
  T.truthy(tensor.is(s), "sum of a tensor that requires grad is a tensor")
  s:backward()
  T.eq(x.grad:get(2, 3), 1.0, "d sum / dx")
  x.grad = nil
  x:mean():backward()
  T.near(x.grad:get(1, 1), 1 / 6, 1e-15, "d mean / dx")
end)

op_test("matmul: matrix x matrix, matrix x vector, vector x matrix, vector . vector", "matmul",
  function()
    local A, B = M{ { 1, 2, 3 }, { 4, 5, 6 } }, M{ { 1, -1 }, { 2, 0.5 }, { -3, 2 } }
    check_grad(function(x, y) return x:matmul(y) end, { A, B }, 1e-6, "m x m")
    check_grad(function(x, y) return x:matmul(y) end, { A, M{ 1, -2, 0.5 } }, 1e-6, "m x v")
    check_grad(function(x, y) return x:matmul(y) end, { M{ 1, -2 }, A }, 1e-6, "v x m")
    check_grad(function(x, y) return x:matmul(y) end, { M{ 1, -2, 3 }, M{ 2, 1, 0.5 } }, 1e-6,
      "v . v")
  end)

op_test("index: rows taken twice get both shares", "index", function()
  local m = M{ { 1, 2 }, { 3, 4 }, { 5, 6 } }
  check_grad(function(x) return x:index({ 3, 1, 3 }) end, { m }, 1e-6, "index")
  check_grad(function(x) return x:index({ 2, 2 }) end, { M{ 1, 2, 3 } }, 1e-6, "index of a vector")
end)

-- ---- backward ---------------------------------------------------------------------

T.test("gradients accumulate across backward calls; t.grad = nil resets", function()
  local w = tensor{ 2.0 }:requires_grad_()
  T.eq(w.grad, nil, "grad before any backward")
  for _ = 1, 2 do sse(w * 3, tensor{ 0 }):backward() end
  T.eq(w.grad[1], 72.0, "two backward calls: 2 * (2 * 6 * 3)")
  w.grad = nil
  sse(w * 3, tensor{ 0 }):backward()
  T.eq(w.grad[1], 36.0, "after t.grad = nil")
end)

T.test("retain_graph lets a second backward through; without it, a clear error", function()
  local w = tensor{ 2.0 }:requires_grad_()
  local l = sse(w * 3, tensor{ 0 })
  l:backward{ retain_graph = true }
  l:backward()
  T.eq(w.grad[1], 72.0, "two passes through one graph")
  T.raises(function() l:backward() end, "backward: the graph behind this tensor was freed by "
    .. "an earlier backward; pass { retain_graph = true } to the first")
  -- a new operation on a freed result cannot reach the leaves either
  local y = w * 3
  local l1 = sse(y, tensor{ 0 })
  l1:backward()
  T.raises(function() sse(y, tensor{ 1 }):backward() end, "was freed by an earlier backward")
  T.raises(function() l:backward{ retain = true } end, "backward", "unknown option")
end)

T.test("backward on more than one element, or without a graph, is an error", function()
  local w = tensor{ { 1, 2 }, { 3, 4 } }:requires_grad_()
  T.raises(function() (w * 2):backward() end, "backward", "one element", "[2x2]")
  T.raises(function() tensor{ 1 }:backward() end, "backward", "does not require a gradient")
  local s = tensor{ 3.0 }:requires_grad_()
  s:backward()
  T.eq(s.grad[1], 1.0, "a one-element leaf: d s / d s")
end)

T.test("the graph is freed after backward", function()
  local w = tensor{ 2.0 }:requires_grad_()
  local l = sse(w * 3 + 1, tensor{ 0 })
  T.eq(#autograd.graph(l).nodes, 5, "nodes before backward: mse, +, *, w, target")
  l:backward()
  T.eq(#autograd.graph(l).nodes, 1, "nodes after backward")
  T.eq(l.grad_fn, "MseLossBackward", "grad_fn after backward")
end)

T.test("plot.graph writes the graph as Graphviz's .dot", function()
  local w = tensor{ { 1, 2 } }:requires_grad_()
  local l = sse(w * tensor{ 3, 4 }, tensor{ { 0, 0 } })
  local _, path = plot.graph(l, "g1")
  T.truthy(path:find("g1.dot$"), "path " .. path)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  T.contains(text, "digraph", "MseLossBackward\\n[1]", "MulBackward\\n[1x2]",
    "leaf, requires_grad\\n[1x2]", "leaf\\n[2]", "n2 -> n1;")
  T.raises(function() plot.graph(3) end, "plot.graph: expected a tensor (a loss), got number")
  T.raises(function() plot.graph(l, "a/b") end, "plot.graph: name must be a file name without '/'")
end)

local GRAPH_SCRIPT = [[
local w = tensor{ 2.0 }:requires_grad_()
local l = (w * 3 - 1) ^ 2
local png, dotfile = plot.graph(l, "g")
print("png", tostring(png))
print("dot", dotfile)
]]

T.needs({ "dot" }, "plot.graph draws NAME.png with Graphviz's dot", function()
  local d = T.folder({ ["g.lua"] = GRAPH_SCRIPT })
  local st, out, err = T.run_in(d, "-q --out out g.lua")
  T.eq(st, 0, "status (stderr: " .. err .. ")")
  local f = assert(io.open(d .. "/out/g.png", "rb"))
  T.eq(f:read(8), "\137PNG\r\n\26\n", "a PNG file")
  f:close()
end)

T.test("plot.graph without dot on PATH: the .dot file and a one-line hint", function()
  local d = T.folder({ ["g.lua"] = GRAPH_SCRIPT })
  local st, out, err = T.sh("cd " .. T.quote(d) .. " && PATH=/nonexistent "
    .. T.quote(T.exe) .. " --out out g.lua")
  T.eq(st, 0, "status (stderr: " .. err .. ")")
  T.contains(out, "png\tnil")
  T.truthy(T.exists(d .. "/out/g.dot"), "g.dot written")
  T.contains(err, "dot not found", "apt-get install graphviz", "dot -Tpng")
  T.eq(#T.lines(err), 1, "one line of stderr: " .. err)
end)

T.test("a tensor cannot be its own grad (it would never be freed)", function()
  local w = tensor{ 1.0, 2.0 }:requires_grad_()
  T.raises(function() w.grad = w end, "t.grad: a tensor cannot be its own grad")
  w.grad = w:detach():clone()
  T.eq(w.grad[2], 2.0, "a copy is fine")
end)

T.test("bad arguments to backward and no_grad", function()
  local l = sse(tensor{ 1.0 }:requires_grad_(), tensor{ 0 })
  T.raises(function() l:backward(true) end, "backward: expected a table of options like "
    .. "{ retain_graph = true }, got boolean")
  T.raises(function() l:backward{ retain_graph = 1 } end,
    "backward: retain_graph must be true or false, got number")
  T.raises(function() autograd.no_grad(3) end, "bad argument #1", "function expected")
end)

T.test("no_grad: nothing is recorded, recording comes back even after an error", function()
  local w = tensor{ 2.0 }:requires_grad_()
  local y, z = autograd.no_grad(function(a) return w * a, "two" end, 3)
  T.eq(y.grad_fn, nil, "grad_fn inside no_grad")
  T.eq(y.requires_grad, false, "requires_grad inside no_grad")
  T.eq(z, "two", "second result")
  T.truthy(autograd.is_enabled(), "enabled after no_grad")
  T.raises(function() autograd.no_grad(function() error("boom") end) end, "boom")
  T.truthy(autograd.is_enabled(), "enabled after an error in no_grad")
  T.eq((w * 2).grad_fn, "MulBackward", "recording again")
end)

T.test("t.data: the values without the graph; assigning it writes in place", function()
  -- the lecture's update: w.data = w.data - 0.01 * w.grad.data
  local w = tensor{ 1.0 }:requires_grad_()
  local l = sse(w * 2, tensor{ 4 })  -- (2w - 4)^2, d/dw = 4(2w - 4) = -8
  l:backward()
  local view = w  -- the same tensor keeps its identity
  w.data = w.data - 0.01 * w.grad.data
  T.eq(w[1], 1.08, "w after the step")
  T.truthy(rawequal(view, w), "w is the same tensor")
  T.truthy(w.requires_grad, "w still requires grad")
  T.truthy(w.is_leaf, "w is still a leaf")
  local d = w.data
  T.eq(d.requires_grad, false, "data requires no grad")
  d[1] = 5
  T.eq(w[1], 5.0, "data shares w's storage")
  T.eq(w:detach().grad_fn, nil, "detach has no graph")
  T.raises(function() w.data = tensor{ 1, 2 } end, "t.data", "shape [1]", "shape [2]")
  T.raises(function() w.data = 3 end, "t.data", "expected a tensor of shape [1], got number")
  local m = tensor{ { 1, 2 }, { 3, 4 } }
  m.data = m.data:T()
  T.eq(m:get(1, 2), 3.0, "m.data = m.data:T() (overlapping) copies first")
end)

T.test("leaf rules, grad_fn, is_leaf, requires_grad_", function()
  local a = tensor{ 1, 2 }
  T.eq(a.requires_grad, false, "default")
  T.truthy(rawequal(a:requires_grad_(), a), "requires_grad_ returns t")
  T.eq(a.requires_grad, true, "after requires_grad_")
  a:requires_grad_(false)
  T.eq(a.requires_grad, false, "requires_grad_(false)")
  a.requires_grad = true
  local y = a * 2
  T.eq(y.is_leaf, false, "result is not a leaf")
  T.eq(a.is_leaf, true, "a is a leaf")
  T.eq(y.requires_grad, true, "result requires grad")
  T.eq(y.grad_fn, "MulBackward", "grad_fn")
  T.eq((a + 1).grad_fn, "AddBackward", "add")
  T.eq((-a).grad_fn, "NegBackward", "neg")
  T.eq((a ^ 2).grad_fn, "PowBackward", "pow")
  T.eq(a:T().grad_fn, "TBackward", "T")
  T.eq(a.grad_fn, nil, "a leaf has none")
  T.raises(function() y.requires_grad = false end, "t.requires_grad",
    "only a leaf tensor's flag can be changed", "MulBackward")
  T.raises(function() y:requires_grad_() end, "t:requires_grad_", "only a leaf")
  T.raises(function() a.requires_grad = 1 end, "t.requires_grad: expected true or false, got number")
  T.eq((tensor{ 1 } * 2).grad_fn, nil, "no input requires grad: nothing recorded")
end)

T.test("t.grad can be set to nil or a tensor of the same shape only", function()
  local a = tensor{ 1, 2 }:requires_grad_()
  a.grad = tensor{ 5, 6 }
  sse(a, tensor{ 0, 0 }):backward()
  T.eq(a.grad[2], 10.0, "accumulates into the tensor given")
  T.raises(function() a.grad = tensor{ 1, 2, 3 } end, "t.grad", "shape [2]", "shape [3]")
  T.raises(function() a.grad = "x" end, "t.grad: expected nil or a tensor of shape [2], got string")
  a.grad = nil
  T.eq(a.grad, nil, "grad after = nil")
end)

T.test("a chain of a million operations: backward and freeing need no deep C stack", function()
  local w = tensor{ 1.0 }:requires_grad_()
  local y = w
  for _ = 1, 1000000 do y = y * 1.0 end
  sse(y, tensor{ 0 }):backward()
  T.eq(w.grad[1], 2.0, "d/dw (w * 1 * ... * 1)^2")
  -- a chain that is never differentiated goes when its end is dropped
  y = w
  for _ = 1, 1000000 do y = y + 0.0 end
  y = nil
  collectgarbage()
  collectgarbage()
end)

-- ---- joins, dot, max/min and var: gradients flow through them too --------------

-- The value with a gradient is the same bits as without one.
local function same_value(f, inputs, what)
  for _, x in ipairs(inputs) do x.requires_grad = false; x.grad = nil end
  local plain = f(table.unpack(inputs))
  for _, x in ipairs(inputs) do x.requires_grad = true end
  local graded = f(table.unpack(inputs))
  T.truthy(type(graded) == "userdata" and graded.requires_grad, what .. ": records a gradient")
  if type(plain) == "number" then
    T.eq(graded:numel(), 1, what .. ": one element")
    T.eq(graded:item(), plain, what .. ": value")
  else
    T.eq(table.concat({ graded:shape() }, "x"), table.concat({ plain:shape() }, "x"), what .. ": shape")
    T.eq(tostring(graded), tostring(plain), what .. ": values")
  end
end

T.test("stack and cat pass the gradient to every item", function()
  local u, v, w = tensor{ 0.3, -1.1, 2 }, tensor{ 1.5, 0.2, -0.4 }, tensor{ 0.7, 0.9, -2.5 }
  local A, B = M{ { 1, 2, 3 }, { 4, 5, 6 } }, M{ { -1, 0.5, 2 } }
  check_grad(function(a, b, c) return tensor.stack({ a, b, c }) end, { u, v, w }, 1e-6, "stack rows")
  check_grad(function(a, b, c) return tensor.stack({ a, b, c }, 2) end, { u, v, w }, 1e-6, "stack cols")
  check_grad(function(a, b) return tensor.cat({ a, b, a }) end, { u, v }, 1e-6, "cat vectors")
  check_grad(function(a, b, c) return tensor.cat({ a, b, c }) end, { A, B, u }, 1e-6, "cat rows")
  check_grad(function(a, b) return tensor.cat({ a, b:T(), a }, 2) end, { A, M{ { 1, 2 }, { 3, 4 } } },
    1e-6, "cat columns, a transposed view")
  same_value(function(a, b, c) return tensor.stack({ a, b, c }, 2) end, { u, v, w }, "stack")
  same_value(function(a, b) return tensor.cat({ a, b, a }) end, { A, B }, "cat")
  same_value(function(a, b) return tensor.cat({ a, b }) end, { u, v }, "cat vectors")
  -- one item tracked, the others constants: only it gets a gradient
  local x = tensor{ 1, 2 }:requires_grad_()
  local c = tensor{ 5, 6 }
  tensor.stack({ c, x, c }):sum():backward()
  T.eq(tostring(x.grad), "tensor{1, 1}", "the tracked item's gradient")
  T.eq(c.grad, nil, "a constant item has none")
end)

T.test("a join of one tracked item is a new tensor, as without a gradient", function()
  -- PyTorch: torch.cat([w]) and torch.stack([w]) are copies with a grad_fn;
  -- writing to them leaves w alone, and the gradient still reaches w
  local w = tensor{ 1, 2, 3 }:requires_grad_()
  local m = M{ { 1, 2 }, { 3, 4 } }:requires_grad_()
  local c, cm = tensor.cat({ w }), tensor.cat({ m })
  local s, s2 = tensor.stack({ w }), tensor.stack({ w }, 2)
  T.eq(cm.grad_fn ~= nil, true, "cat({m}) is recorded, not m")
  c[1] = 100
  cm:set(1, 1, 50)
  s:set(1, 2, 7)
  s2:set(3, 1, 9)
  T.eq(tostring(w), "tensor{1, 2, 3}", "w unchanged")
  T.eq(m:get(1, 1), 1.0, "m unchanged")
  T.eq(tostring(c), "tensor{100, 2, 3}", "c written")
  ;((c * tensor{ 1, 2, 3 }):sum() + s:sum() + s2:sum()):backward()
  T.eq(tostring(w.grad), "tensor{3, 4, 5}", "the gradient")
  cm:sum():backward()
  T.eq(tostring(m.grad), "tensor{{1, 1}, {1, 1}}", "m's gradient")
end)

T.test("stack and cat of thousands of items (more than the C stack's slots)", function()
  local rows = {}
  for i = 1, 5000 do rows[i] = tensor{ i, -i } end
  local m = tensor.stack(rows)
  T.eq(m:get(5000, 2), -5000.0, "the last row")
  T.eq(tensor.cat(rows):numel(), 10000, "cat")
  rows[1]:requires_grad_()
  local g = tensor.stack(rows, 2)
  T.eq(g:get(2, 4321), -4321.0, "recorded")
  g:sum():backward()
  T.eq(tostring(rows[1].grad), "tensor{1, 1}", "the gradient")
end)

T.test("stack of many rows records a tree, with every row's gradient", function()
  local rows = {}
  for i = 1, 100 do rows[i] = tensor{ i, -i }:requires_grad_() end
  local m = tensor.stack(rows)
  T.eq(m.grad_fn, "CatBackward", "grad_fn")
  local l = (m * tensor{ 2, 3 }):sum()
  l:backward()
  for i = 1, 100 do T.eq(tostring(rows[i].grad), "tensor{2, 3}", "row " .. i) end
end)

T.test("dot passes g * other to each operand", function()
  local u, v = tensor{ 0.3, -1.1, 2, 0.5 }, tensor{ 1.5, 0.2, -0.4, 3 }
  check_grad(function(a, b) return a:dot(b) end, { u, v }, 1e-6, "dot")
  check_grad(function(a) return a:dot(a) end, { u }, 1e-6, "dot with itself")
  local A = M{ { 1, 2 }, { 3, 4 } }
  check_grad(function(a, b) return a:T():dot(b) end, { A, u }, 1e-6, "dot of a view and a vector")
  same_value(function(a, b) return a:dot(b) end, { u, v }, "dot")
  local x = tensor{ 1, 2 }:requires_grad_()
  x:dot{ 3, 4 }:backward()
  T.eq(tostring(x.grad), "tensor{3, 4}", "dot with a table of numbers")
end)

T.test("max and min pass the gradient to the element they chose", function()
  local A = M{ { 0.5, -1.2, 2 }, { 1.5, 0.3, -0.7 } }
  local v = tensor{ 0.3, -1.1, 2, 0.5 }
  check_grad(function(a) return a:max() end, { A }, 1e-6, "max")
  check_grad(function(a) return a:min() end, { A }, 1e-6, "min")
  check_grad(function(a) return (a:max(1)) end, { A }, 1e-6, "max(1)")
  check_grad(function(a) return (a:max(2)) end, { A }, 1e-6, "max(2)")
  check_grad(function(a) return (a:min(1)) end, { A }, 1e-6, "min(1)")
  check_grad(function(a) return (a:T():min(2)) end, { A }, 1e-6, "min(2) of a view")
  check_grad(function(a) return (a:max(1)) end, { v }, 1e-6, "max(1) of a vector")
  same_value(function(a) return (a:max(2)) end, { A }, "max(2)")
  same_value(function(a) return a:min() end, { A }, "min")
  -- ties along a dim: the first gets it all, as PyTorch's max(dim) sends it
  local t = tensor{ 2, 5, 5 }:requires_grad_()
  t:max(1):backward()
  T.eq(tostring(t.grad), "tensor{0, 1, 0}", "the first of the tied, max(1)")
  -- without dim PyTorch shares it evenly among the tied (all the nans when
  -- the result is nan); golden values from torch 1.13's max() and min()
  local function grad_of(method, values, scale)
    local x = (type(values) == "table" and tensor(values) or values):requires_grad_()
    local v = x[method](x)
    ;(v * scale):backward()
    return v, x.grad
  end
  local v, g = grad_of("max", { 2, 5, 5 }, 1)
  T.eq(tostring(g), "tensor{0, 0.5, 0.5}", "max of {2, 5, 5}")
  T.eq(v:item(), 5.0, "its value")
  v, g = grad_of("max", { 0.1, 0.1, 0.1, -1 }, 1)
  T.eq(v:item(), 0.1, "max of three 0.1: 0.1 itself, not their mean")
  T.eq(g[1], 1 / 3, "a third each")
  T.eq(g[4], 0.0, "none to the others")
  v, g = grad_of("min", { 0 / 0, 1, 0 / 0 }, 1)
  T.eq(tostring(g), "tensor{0.5, 0, 0.5}", "min with two nans")
  v, g = grad_of("max", { -0.0, 0.0, -1 }, 1)
  T.eq(tostring(g), "tensor{0.5, 0.5, 0}", "-0 and 0 are tied")
  _, g = grad_of("max", M{ { 1, 3 }, { 3, 2 } }, 2)
  T.eq(tostring(g), "tensor{{0, 1}, {1, 0}}", "2 * max of a matrix with a tie")
  _, g = grad_of("min", M{ { 4, 3 }, { 1, 2 } }:T(), 1)
  T.eq(tostring(g), "tensor{{0, 1}, {0, 0}}", "min of a transposed view, no tie")
  _, g = grad_of("max", M{ { 4, 3 }, { 4, 2 } }:T(), 1)
  T.eq(tostring(g), "tensor{{0.5, 0.5}, {0, 0}}", "max of a transposed view, a tie")
  local vals, idx = A:max(2)
  T.eq(idx.requires_grad, false, "the indices have no gradient")
  T.eq(vals.requires_grad, true, "the values have one")
end)

T.test("var passes 2 (x - mean) / divisor", function()
  local A = M{ { 0.5, -1.2, 2 }, { 1.5, 0.3, -0.7 } }
  check_grad(function(a) return a:var() end, { A }, 1e-6, "var")
  check_grad(function(a) return a:var({ unbiased = false }) end, { A }, 1e-6, "var biased")
  check_grad(function(a) return a:var(1) end, { A }, 1e-6, "var(1)")
  check_grad(function(a) return a:var(2, { unbiased = false }) end, { A }, 1e-6, "var(2) biased")
  check_grad(function(a) return a:T():var(2) end, { A }, 1e-6, "var(2) of a view")
  same_value(function(a) return a:var(1) end, { A }, "var(1)")
  same_value(function(a) return a:var() end, { A }, "var")
  -- by hand: x = {1, 3}: mean 2, var (unbiased) 2, d/dx = 2 (x - 2) / 1 = {-2, 2}
  local x = tensor{ 1, 3 }:requires_grad_()
  x:var():backward()
  T.eq(tostring(x.grad), "tensor{-2, 2}", "var of {1, 3}")
end)

T.test("memory stays flat over 100,000 training steps", function()
  local w, b = tensor{ 0.5 }:requires_grad_(), tensor{ 0.0 }:requires_grad_()
  local x, y = tensor{ 1, 2, 3 }, tensor{ 2, 4, 6 }
  local crit = nn.MSELoss()
  local opt = optim.sgd({ w, b }, { lr = 0.01 })
  local function step()
    opt:zero_grad()
    local l = crit(w * x + b, y)
    l:backward()
    opt:step()
  end
  for _ = 1, 1000 do step() end
  collectgarbage()
  collectgarbage()
  local before = sys.memory()
  for _ = 1, 100000 do step() end
  collectgarbage()
  collectgarbage()
  local after = sys.memory()
  T.truthy(after - before < 16384, string.format("memory grew by %d bytes (from %d to %d)",
    after - before, before, after))
  T.near(w[1], 2, 1e-9, "w converged")
  T.near(b[1], 0, 1e-8, "b converged")
end)

T.done()
