-- tensor_loop.lua: the full-batch gradient-descent loop as a course learner
-- writes it with tensor expressions (issue 10), on the seed data of
-- bench/README.md; prints the seconds of the epochs and the final w, b.
--   luagrad bench/tensor_loop.lua n=100000 epochs=300
-- Compare: bench/py/tensor_loop_numpy.py with the same arguments; peak
-- memory with /usr/bin/time -v (maximum resident set size).
local P = params{ n = 100000, epochs = 300, lr = 0.1 }
local n = math.tointeger(P.n)
local xs, ys = {}, {}
for i = 0, n - 1 do
  local xi = (i * 0.6180339887498949) % 1.0
  xs[i + 1] = xi
  ys[i + 1] = 2 * xi + 1 + ((i * 0.7548776662466927) % 1.0 - 0.5) * 0.2
end
local x, y = tensor(xs), tensor(ys)
xs, ys = nil, nil
collectgarbage()

local lr, w, b, cost = P.lr, 0.0, 0.0, nil
local t0 = os.clock()
for _ = 1, P.epochs do
  local r = x * w + b - y
  cost = (r * r):mean()
  w = w - lr * 2 * (r * x):mean(); b = b - lr * 2 * r:mean()
end
local t1 = os.clock()
print(string.format("seconds=%.6f", t1 - t0))
print(string.format("w=%.17g b=%.17g cost=%.17g", w, b, cost))
