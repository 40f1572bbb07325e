-- data.lua: the benchmark's data ("the seed"), the same bits as the C, Lua
-- and Python versions compute:
--   x_i = (i * 0.6180339887498949) % 1.0
--   y_i = 2 * x_i + 1 + ((i * 0.7548776662466927) % 1.0 - 0.5) * 0.2
-- filled into two tensors by a loop (tensors have no % operator). A loop
-- makes no temporary tensors, so the peak memory of a run is the data plus
-- what the workload itself allocates. Not timed.
--   local x, y = dofile(dir .. "data.lua")(n)
return function(n)
  local x, y = tensor.zeros(n), tensor.zeros(n)
  for i = 0, n - 1 do
    local xi = (i * 0.6180339887498949) % 1.0
    x[i + 1] = xi
    y[i + 1] = 2 * xi + 1 + ((i * 0.7548776662466927) % 1.0 - 0.5) * 0.2
  end
  return x, y
end
