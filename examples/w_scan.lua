-- w_scan.lua: lecture 2, the linear model yhat = x*w and its loss.
--
-- For every w from 0.0 to 4.0 in steps of 0.1 (41 values) it prints each
-- sample's x, y, prediction and squared error, then the mean squared error
-- (MSE), as the course's listing does, and writes w,mse to w_scan.csv.
-- The MSE is smallest (0) at w = 2, because y = 2x exactly.
--
--   luagrad examples/w_scan.lua
--   luagrad examples/w_scan.lua w_step=0.5 y=3,6,9
local P = params{
  x = "1, 2, 3", y = "2, 4, 6",                -- the data set
  w_from = 0.0, w_to = 4.0, w_step = 0.1,      -- the values of w to try
}

local x, y = tensor.parse(P.x), tensor.parse(P.y)
local m = model.linear{}

-- tensor.range computes each w as w_from + i*w_step, so there are exactly
-- 41 values and the last is exactly 4.0. (A Lua loop `for w = 0, 4, 0.1`
-- adds 0.1 forty times: it stops at 3.9000000000000021 and never tries 4.)
local ws = tensor.range(P.w_from, P.w_to, P.w_step)

local out <close> = csv.writer("w_scan.csv", { "w", "mse" })
local best = { w = nil, mse = math.huge }
for i = 1, #ws do
  m.w = ws[i]
  print("w=", m.w)
  for k = 1, #x do
    print(x[k], y[k], m:forward(x[k]), loss.se(m, x[k], y[k]))
  end
  local mse = loss.mse(m, x, y)   -- (sum of the squared errors) / 3
  print("MSE=", mse)
  out:row(m.w, mse)
  if mse < best.mse then best = { w = m.w, mse = mse } end
end
out:close()
report{ best_w = best.w, min_mse = best.mse }   -- for run.json and sweeps

plot.line{ csv = "w_scan.csv", x = "w", y = "mse",
           title = "Loss of yhat = x * w", xlabel = "w", ylabel = "MSE" }
