-- hello.lua: the smallest luagrad experiment. It declares two parameters,
-- which the command line can change without editing this file:
--
--   luagrad examples/hello.lua
--   luagrad examples/hello.lua lr=0.5 epochs=3
--   luagrad --params examples/hello.lua
local P = params{ lr = 0.1, epochs = 5 }

-- Gradient descent on f(w) = (w - 3)^2, whose gradient is 2(w - 3).
local w = 0.0
for epoch = 1, P.epochs do
  w = w - P.lr * 2 * (w - 3)
  print(string.format("epoch %d  w = %.6f", epoch, w))
end
report{ w = w }   -- the final figure, kept in out/hello/run.json
