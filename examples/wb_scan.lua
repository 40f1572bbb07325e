-- wb_scan.lua: lecture 2's exercise, the model yhat = x*w + b and its loss
-- surface over (w, b).
--
-- w and b each run from 0.0 to 4.0 in steps of 0.1 (41 x 41 = 1681 points,
-- w in the outer loop, as in the listing). For each point it prints the
-- samples and the MSE; wb_scan.csv gets w,b,mse. The data y = 2x + 2 puts
-- the minimum (0) at w = 2, b = 2; the surface is a valley along the line
-- 2w + b = 6 (the mean x is 2), which the heat map shows best.
--
-- The listing draws its surface by evaluating the loss again on a
-- meshgrid, which only works because its global w and b are replaced by
-- arrays; here the plots are made from the CSV, the same numbers as printed.
--
--   luagrad examples/wb_scan.lua verbose=false
local P = params{
  x = "1, 2, 3", y = "4, 6, 8",
  w_from = 0.0, w_to = 4.0, w_step = 0.1,
  b_from = 0.0, b_to = 4.0, b_step = 0.1,
  verbose = true,                 -- print every sample of every point
}

local x, y = tensor.parse(P.x), tensor.parse(P.y)
local ws = tensor.range(P.w_from, P.w_to, P.w_step)
local bs = tensor.range(P.b_from, P.b_to, P.b_step)
local m = model.affine{}

local out <close> = csv.writer("wb_scan.csv", { "w", "b", "mse" })
for i = 1, #ws do
  for j = 1, #bs do
    m.w, m.b = ws[i], bs[j]
    local mse = loss.mse(m, x, y)
    if P.verbose then
      print("w =", m.w, ", b =", m.b)
      for k = 1, #x do
        print("", x[k], y[k], m:forward(x[k]), loss.se(m, x[k], y[k]))
      end
      print("MSE =", mse)
    end
    out:row(m.w, m.b, mse)
  end
end
out:close()

-- The same surface in one call, for grids too large to loop over in Lua.
local surface, how = scan.mse{ x = x, y = y, w = ws, b = bs }
local best = { mse = math.huge }
for i = 1, #ws do
  for j = 1, #bs do
    if surface:get(i, j) < best.mse then best = { w = ws[i], b = bs[j], mse = surface:get(i, j) } end
  end
end
print(string.format("minimum MSE on the grid: %g at w = %g, b = %g (scan.mse, %s)",
  best.mse, best.w, best.b, how))
report{ best_w = best.w, best_b = best.b, min_mse = best.mse }

plot.surface{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse",
              title = "Loss of yhat = x * w + b" }
plot.heatmap{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse",
              name = "wb_scan_heatmap", title = "Loss of yhat = x * w + b (from above)" }
