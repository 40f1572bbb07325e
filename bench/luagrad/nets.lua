-- nets.lua: the data and the starting weights of the network workloads
-- (W5, W5b, W6), the same bits as bench/c/nets.h and bench/py/nets.py:
-- every value is a few IEEE double operations on the seed's constants
-- (A = 0.6180339887498949, B = 0.7548776662466927; % is exact here).
--   weight (j, k) of layer l (n_in inputs), q = (j-1)*n_in + (k-1):
--       ((q + 1 + 1000*l) * A % 1.0 - 0.5) * (2 / sqrt(n_in))
--   bias j of layer l:  ((j + 500 + 1000*l) * B % 1.0 - 0.5) * (2 / sqrt(n_in))
--   W5 data (n samples, d features), feature k of sample i (from 0):
--       x = ((i*d + k) * A % 1.0) * 2 - 1
--       t = x0 - 0.5*x1 + x2*x3 (left to right); label 1 when t > 0, else 0
-- Not timed.
local A, B = 0.6180339887498949, 0.7548776662466927
local M = {}

-- Sets the weights of nn.Linear `layer`, the l-th of its network.
function M.init(layer, l)
  local nin, nout = layer.in_features, layer.out_features
  local s = 2 / math.sqrt(nin)
  local w, b = {}, {}
  for q = 0, nout * nin - 1 do w[q + 1] = ((q + 1 + 1000 * l) * A % 1.0 - 0.5) * s end
  for j = 1, nout do b[j] = ((j + 500 + 1000 * l) * B % 1.0 - 0.5) * s end
  layer.weight.data = tensor(w):reshape(nout, nin)
  layer.bias.data = tensor(b)
end

-- The W5 data: an n x d tensor X and an n x 1 tensor of labels.
function M.data(n, d)
  local X, y = tensor.zeros(n, d), tensor.zeros(n, 1)
  for i = 0, n - 1 do
    local r = {}
    for k = 0, d - 1 do
      r[k] = ((i * d + k) * A % 1.0) * 2 - 1
      X:set(i + 1, k + 1, r[k])
    end
    local t = r[0] - 0.5 * r[1] + r[2] * r[3]
    y:set(i + 1, 1, t > 0 and 1 or 0)
  end
  return X, y
end

return M
