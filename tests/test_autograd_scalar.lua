-- tests/test_autograd_scalar.lua: autograd on one-element tensors, one
-- sample at a time (lecture 4, bench W7): the results, t.grad and t.data
-- handed out again, small tensors' views, and the memory such a loop uses.
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

-- The lecture-4 step: r = x*w + b - y; l = r*r; backward; SGD on w and b.
local function step(w, b, x, y, lr)
  local r = x * w + b - y
  local l = r * r
  l:backward()
  w.data = w.data - lr * w.grad.data
  b.data = b.data - lr * b.grad.data
  w.grad:zero_()
  b.grad:zero_()
  return l
end

T.test("the scalar SGD loop gives Python's numbers", function()
  -- Golden values: the same loop in plain Python floats (d/dw = 2 r x,
  -- d/db = 2 r, each step one IEEE operation as here), run with
  -- /usr/bin/python3 on x = 1..5, y = 2x + 1, lr = 0.01, 3 epochs.
  local w, b = tensor{ 0 }:requires_grad_(), tensor{ 0 }:requires_grad_()
  local l
  for _ = 1, 3 do
    for x = 1, 5 do l = step(w, b, x, 2 * x + 1, 0.01) end
  end
  T.eq(w[1], 2.0574683701571113, "w")
  T.eq(b[1], 0.6512736339103421, "b")
  T.eq(l[1], 0.01635442152395574, "the last loss")
end)

T.test("t.grad is the same tensor object every time, and follows t.grad = nil", function()
  local w = tensor{ 3 }:requires_grad_()
  local l = w * w
  l:backward()
  local g = w.grad
  T.truthy(rawequal(g, w.grad), "w.grad twice")
  T.eq(g[1], 6.0, "d(w*w)/dw at 3")
  w.grad = nil
  T.eq(w.grad, nil, "after w.grad = nil")
  T.eq(g[1], 6.0, "the old handle keeps the old gradient")
  l = w * 5
  l:backward()
  T.truthy(not rawequal(g, w.grad), "a new gradient, a new object")
  T.eq(w.grad[1], 5.0, "d(5w)/dw")
  do
    local h <close> = w.grad
  end
  T.eq(w.grad[1], 5.0, "w.grad after its handle was closed")
end)

T.test("t.data is handed out again only while nothing was set on it", function()
  local w = tensor{ 1, 2 }:requires_grad_()
  local d = w.data
  T.truthy(rawequal(d, w.data), "w.data twice")
  T.eq(d.requires_grad, false, "the view needs no gradient")
  w.data[1] = 7
  T.eq(w[1], 7.0, "writes through")
  d:requires_grad_()
  local e = w.data
  T.truthy(not rawequal(d, e), "a view given requires_grad is not handed out again")
  T.eq(e.requires_grad, false, "the new view needs no gradient")
  e.grad = tensor{ 0, 0 }
  T.truthy(not rawequal(e, w.data), "a view given a grad is not handed out again")
  T.eq(w.data.grad, nil, "the new view has no grad")
  do
    local f <close> = w.data
  end
  T.eq(w.data[2], 2.0, "w.data after its view was closed")
end)

T.test("a small tensor's storage lives on in its views", function()
  -- 16 elements or fewer: tensor, storage and numbers are one allocation
  for _, n in ipairs({ 1, 2, 16, 17 }) do
    local t = tensor.range(1, n)
    local v = t:narrow(1, n, 1)
    local d = t.data
    t = nil
    collectgarbage()
    collectgarbage()
    T.eq(v[1], n * 1.0, n .. " elements: the view")
    v[1] = -1
    T.eq(d[n], -1.0, n .. " elements: another view of the same storage")
  end
end)

T.test("a userdata given the Tensor metatable is still not a tensor", function()
  local f = io.tmpfile()
  local mt = getmetatable(f)
  debug.setmetatable(f, getmetatable(tensor{ 1 }))
  local is = tensor.is(f)
  local ok, err = pcall(function() return f + 1 end)
  local ok2, err2 = pcall(tensor.sum, f)
  debug.setmetatable(f, mt)
  f:close()
  T.eq(is, false, "tensor.is")
  T.eq(ok, false, "f + 1 fails")
  T.contains(err, "tensor +: expected tensors or numbers, got userdata and number")
  T.eq(ok2, false, "tensor.sum(f) fails")
  T.contains(err2, "Tensor expected, got")
  T.raises(function() return tensor.sum(io.stdout) end, "Tensor expected, got FILE*")
end)

T.test("x[i] on a userdata given the Tensor metatable raises, not reads it", function()
  -- __index's fast path for x[i] must check the tag like every other
  -- entry: a model's first word is not a tensor handle
  local m = model.affine{ w = 1, b = 0 }
  local mmt = getmetatable(m)
  debug.setmetatable(m, getmetatable(tensor{ 1 }))
  local ok, err = pcall(function() return m[1] end)
  local ok2, err2 = pcall(function() return m.shape end)
  debug.setmetatable(m, mmt)
  T.eq(ok, false, "m[1] fails")
  T.contains(err, "Tensor expected, got")
  T.eq(ok2, false, "m.shape fails")
  T.contains(err2, "Tensor expected, got")
  T.eq(m:forward(2), 2, "the model still works")
end)

T.test("the scalar loop's memory stays flat and its garbage small", function()
  local w, b = tensor{ 0 }:requires_grad_(), tensor{ 0 }:requires_grad_()
  for i = 1, 1000 do step(w, b, (i % 7) / 7, 2 * ((i % 7) / 7) + 1, 0.01) end
  collectgarbage()
  collectgarbage()
  local base, peak = sys.memory(), 0
  for i = 1, 100000 do
    local x = (i % 7) / 7
    step(w, b, x, 2 * x + 1, 0.01)
    local used = sys.memory() - base
    if used > peak then peak = used end
  end
  collectgarbage()
  collectgarbage()
  local after = sys.memory() - base
  T.truthy(after < 4096, string.format("memory grew by %d bytes", after))
  -- small tensors are charged to Lua's collector: without it their garbage
  -- peaked at 1.3 MB here, with it at 0.4 MB
  T.truthy(peak < 1e6, string.format("garbage peaked at %d bytes, want < 1 MB", peak))
  T.near(w[1], 2, 1e-9, "w converged")
  T.near(b[1], 1, 1e-9, "b converged")
end)

T.done()
