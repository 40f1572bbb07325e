-- test_examples.lua: the course's experiments in examples/, run through the
-- binary. Their CSV numbers are checked against closed forms derived by hand
-- (in the comments), and a few printed lines against what the course's own
-- Python listings print (run separately with Python 3; copied here).
local T = dofile("tests/check.lua")

local function run_example(name, ...)
  local dir = T.tmpdir()
  local args = { "--plot", "none", "--out", dir, "examples/" .. name .. ".lua", ... }
  local status, out, err = T.run(args)
  T.eq(status, 0, name .. " exit status (stderr: " .. tostring(err) .. ")")
  local cols, names = csv.read(dir .. "/" .. name .. ".csv")
  return cols, names, out, dir
end

T.test("w_scan: 41 values of w, MSE = 14/3 (w - 2)^2", function()
  local c, names, out = run_example("w_scan")
  T.eq(table.concat(names, ","), "w,mse", "columns")
  T.eq(#c.w, 41, "rows")
  for i = 1, 41 do
    T.eq(c.w[i], i == 41 and 4.0 or (i - 1) * 0.1, "w = (i - 1) * 0.1")
    T.near(c.mse[i], 14 / 3 * (c.w[i] - 2) ^ 2, 1e-12, "mse at w = " .. c.w[i])
  end
  T.eq(c.w[41], 4.0, "the last w is exactly 4.0")
  -- lines the course's listing prints (Python), at w = 0.3 and w = 0.0:
  T.contains(out, "3.0\t6.0\t0.9000000000000001\t26.009999999999998\n")
  T.contains(out, "MSE=\t13.486666666666665\n", "MSE=\t18.666666666666668\n")
end)

T.test("w_scan: the data and the range are parameters", function()
  local c = run_example("w_scan", "y=3,6,9", "w_step=0.5")
  T.eq(#c.w, 9, "0, 0.5, ..., 4")
  T.near(c.mse[7], 14 / 3 * (3 - 3) ^ 2, 1e-12, "minimum at w = 3 for y = 3x")
end)

T.test("wb_scan: 1681 rows, w outer, MSE = 14/3 dw^2 + 4 dw db + db^2", function()
  local c, names = run_example("wb_scan", "verbose=false")
  T.eq(table.concat(names, ","), "w,b,mse", "columns")
  T.eq(#c.w, 1681, "41 x 41 rows")
  for k = 1, 1681, 7 do
    local i, j = (k - 1) // 41, (k - 1) % 41
    T.eq(c.w[k], i == 40 and 4.0 or i * 0.1, "w of row " .. k)
    T.eq(c.b[k], j == 40 and 4.0 or j * 0.1, "b of row " .. k)
    local dw, db = c.w[k] - 2, c.b[k] - 2
    T.near(c.mse[k], 14 / 3 * dw * dw + 4 * dw * db + db * db, 1e-12, "mse of row " .. k)
  end
end)

T.test("batch_gd: w_k = 2 - (1 - lr 28/3)^k (2 - w0), cost before the update", function()
  local c, names, out = run_example("batch_gd")
  T.eq(table.concat(names, ","), "epoch,w,cost", "columns")
  T.eq(#c.epoch, 100, "rows")
  T.eq(c.epoch[1], 0.0, "epochs count from 0, as the listing prints")
  for k = 1, 100 do
    local before = 2 - (1 - 0.01 * 28 / 3) ^ (k - 1)
    T.near(c.w[k], 2 - (1 - 0.01 * 28 / 3) ^ k, 1e-12, "w after epoch " .. (k - 1))
    T.near(c.cost[k], 14 / 3 * (before - 2) ^ 2, 1e-12, "cost at epoch " .. (k - 1))
  end
  -- the course's listing, with its gradient fixed to the mean (Python):
  T.contains(out, "predict (before training)\t4\t4.0\n")
  T.contains(out, "predict (after training)\t4\t7.999777758621207\n")
end)

T.test("batch_gd listing_bug=true: only the last sample's gradient, divided by 3", function()
  local c = run_example("batch_gd", "listing_bug=true", "epochs=2")
  -- 2*3*(3*1 - 6)/3 = -6: w1 = 1 + 0.06
  T.near(c.w[1], 1.06, 1e-15, "w after the first epoch")
  -- (w - 2) <- (w - 2)(1 - 0.01*2*9/3) each epoch
  T.near(c.w[2], 2 - 0.94 * 0.94, 1e-15, "w after the second")
end)

T.test("batch_gd: lr and epochs from the command line", function()
  local c = run_example("batch_gd", "lr=0.05", "epochs=20", "w0=0")
  T.eq(#c.w, 20, "20 epochs")
  T.near(c.w[20], 2 - (1 - 0.05 * 28 / 3) ^ 20 * 2, 1e-12, "w_20 from w0 = 0")
end)

T.test("sgd: (w - 2) shrinks by (1 - 0.02)(1 - 0.08)(1 - 0.18) per epoch", function()
  -- per sample: (w - 2) <- (w - 2)(1 - 2 lr x^2); the loss is that of x = 3
  -- after its update: (3w - 6)^2 = 9 (w - 2)^2
  local c, names, out = run_example("sgd", "verbose=false")
  T.eq(table.concat(names, ","), "epoch,w,loss", "columns")
  T.eq(#c.w, 100, "rows")
  local f = 0.98 * 0.92 * 0.82
  for k = 1, 100, 9 do
    T.near(c.w[k], 2 - f ^ k, 1e-12, "w after epoch " .. (k - 1))
    T.near(c.loss[k], 9 * f ^ (2 * k), 1e-12, "loss after epoch " .. (k - 1))
  end
  T.contains(out, "predict (after training)\t4\t7.9999999999996945\n")
end)

T.test("fit: three methods in one CSV, near the least-squares solution", function()
  local c, names, out, dir = run_example("fit", "n=20000", "epochs=10")
  T.eq(table.concat(names, ","), "method,epoch,w,b,loss", "columns")
  -- the last epoch's loss of each method is reported, as in fit.csv
  local figures = require("luagrad.json").decode(T.slurp(dir .. "/run.json"), "run.json").figures
  T.eq(figures.loss_full, c.loss[10], "loss_full")
  T.eq(figures.loss_minibatch, c.loss[20], "loss_minibatch")
  T.eq(figures.loss_sgd, c.loss[30], "loss_sgd")
  T.truthy(figures.loss_best <= figures.loss_sgd, "the least-squares loss is the smallest")
  T.eq(#c.method, 30, "10 epochs x 3 methods")
  T.eq(c.method[1], "full", "first method")
  T.eq(c.method[30], "sgd", "last method")
  -- SGD's last epoch is near the best fit (noise 0.1: w, b within 0.02)
  T.near(c.w[30], 2, 0.02, "sgd w")
  T.near(c.b[30], 1, 0.02, "sgd b")
  T.contains(out, "best")
end)

T.test("fit: a learning rate that diverges is a clear error", function()
  local dir = T.tmpdir()
  local status, _, err = T.run({ "--plot", "none", "--out", dir, "examples/fit.lua", "n=1000",
                                 "lr_sgd=5" })
  T.eq(status, 1, "exit status")
  T.contains(err, "fit:", "became nan at epoch 1", "learning rate")
end)

T.test("hello: parameters from the command line", function()
  local dir = T.tmpdir()
  local status, out = T.run({ "--out", dir, "examples/hello.lua", "lr=0.5", "epochs=2" })
  T.eq(status, 0, "exit status")
  T.contains(out, "params: epochs=2 lr=0.5", "epoch 2  w = 3.000000")
end)

T.done()
