-- test_lectures.lua: the examples of lectures 4-9 (examples/backprop.lua ...
-- softmax.lua), run through the binary.
--
-- Examples 1-4 are checked to 1e-10 against numbers computed independently
-- by tests/reference/lectures.py: once with plain Python floats, every
-- gradient derived by hand and every update written out in the order PyTorch
-- documents (SGD p = p - lr*g; momentum buf = g, then buf = mu*buf + g;
-- Adam as torch.optim.Adam; BCE with logs clamped at -100), and once with
-- PyTorch 1.13 in float64; the two agree to 4e-15. REF below is that
-- script's output. CSV row k is epoch k - 1.
--
-- Examples 5-7 train on real data from a random start, so they are checked
-- for their shape and for sane accuracies (bounds far below what PyTorch
-- reaches with the same network on five seeds: train >= 0.98, test >= 0.94).
local T = dofile("tests/check.lua")

local test = T.test

-- /usr/bin/python3 tests/reference/lectures.py
local REF = (function()
return {
  backprop = {
    [1] = { loss = 7.3159430399999978, w = 1.260688 },
    [2] = { loss = 3.9987644858206908, w = 1.453417766656 },
    [10] = { loss = 0.031854435489467613, w = 1.9512159834655312 },
    [100] = { loss = 7.8274723320554896e-26, w = 1.9999999999999236 },
    predict4 = 7.9999999999996945,
    grads = {
      { 1, 2, -2 },
      { 2, 4, -7.8399999999999999 },
      { 3, 6, -16.2288 },
      { 1, 2, -1.4786239999999999 },
      { 2, 4, -5.7962060799999993 },
      { 3, 6, -11.998146585599997 },
    },
  },
  quadratic = {
    [1] = { b = 0.83719199999999994, loss = 18.321824160000016, w1 = -0.019272000000000289, w2 = 0.60877599999999998 },
    [2] = { b = 0.92131328723200012, loss = 2.858395215942545, w1 = 0.45188280108800016, w2 = 0.79936607289600015 },
    [10] = { b = 0.93358038328389159, loss = 0.027609936856314438, w1 = 0.28764859640895124, w2 = 0.78044303220787559 },
    [100] = { b = 0.99135440917116013, loss = 0.0063182348608233829, w1 = 0.24038193321608223, w2 = 0.92667619508476073 },
    predict4 = 8.544170120967518,
    grads = {
      { 1, 2, 2, 2, 2 },
      { 2, 4, 22.879999999999995, 11.439999999999998, 5.7199999999999989 },
      { 3, 6, 77.047200000000032, 25.682400000000012, 8.560800000000004 },
      { 1, 2, -1.1466080000000005, -1.1466080000000005, -1.1466080000000005 },
      { 2, 4, -15.53665152000001, -7.7683257600000051, -3.8841628800000025 },
      { 3, 6, -30.432220588800032, -10.144073529600011, -3.3813578432000035 },
    },
  },
  linear_sgd_sum = {
    [1] = { b = 0.17999999999999999, loss = 31.5, w = 0.91999999999999993 },
    [2] = { b = 0.29879999999999995, loss = 14.094000000000001, w = 1.2007999999999999 },
    [10] = { b = 0.50459723583795435, loss = 0.13701758813319337, w = 1.7518010304477969 },
    [100] = { b = 0.26808992624088512, loss = 0.031382564825554848, w = 1.8820667813127303 },
    [1000] = { b = 0.00039740085757655112, loss = 6.8958061449662525e-08, w = 1.9998251826806765 },
    predict4 = 7.9996981315802831,
  },
  linear_sgd_mean = {
    [1] = { b = 0.059999999999999998, loss = 10.5, w = 0.64000000000000001 },
    [2] = { b = 0.1132, loss = 8.3086666666666655, w = 0.76453333333333329 },
    [10] = { b = 0.36911676124560316, loss = 1.3015656162660212, w = 1.3747605445603681 },
    [100] = { b = 0.43459842461377196, loss = 0.027226693807425276, w = 1.8088076657959991 },
    [1000] = { b = 0.049813673518362342, loss = 0.00035769023992006556, w = 1.9780868795219901 },
    predict4 = 7.9621611916063229,
  },
  linear_momentum_sum = {
    [1] = { b = 0.17999999999999999, loss = 31.5, w = 0.91999999999999993 },
    [2] = { b = 0.46079999999999999, loss = 14.094000000000001, w = 1.5787999999999998 },
    [10] = { b = 0.064981520924959901, loss = 7.7801381869376476, w = 1.0678784567424473 },
    [100] = { b = 0.0061578851875772585, loss = 0.00094036856966997094, w = 2.0045549295381657 },
    [1000] = { b = 7.1880731319089794e-17, loss = 0, w = 2 },
    predict4 = 8,
  },
  linear_momentum_mean = {
    [1] = { b = 0.059999999999999998, loss = 10.5, w = 0.64000000000000001 },
    [2] = { b = 0.16719999999999999, loss = 8.3086666666666655, w = 0.8905333333333334 },
    [10] = { b = 0.81363736974678136, loss = 4.069886724885535, w = 2.4956985916412613 },
    [100] = { b = 0.030736379087667746, loss = 0.00023442186156579563, w = 1.9929005310472432 },
    [1000] = { b = 4.5301779991322719e-16, loss = 6.5738408768417647e-32, w = 1.9999999999999998 },
    predict4 = 8,
  },
  linear_adam_sum = {
    [1] = { b = 0.0099999999944444442, loss = 31.5, w = 0.50999999999761902 },
    [2] = { b = 0.019997254092938621, loss = 30.902900000198049, w = 0.51999739123105804 },
    [10] = { b = 0.09965032316279375, loss = 26.34847248952952, w = 0.59966831606734272 },
    [100] = { b = 0.77327890172614355, loss = 2.3385613556575406, w = 1.2894822732394224 },
    [1000] = { b = 0.2933557099146839, loss = 0.037664745812594186, w = 1.8676260891307319 },
    predict4 = 7.7638600664376112,
  },
  linear_adam_mean = {
    [1] = { b = 0.0099999999833333339, loss = 10.5, w = 0.50999999999285717 },
    [2] = { b = 0.019997254070665729, loss = 10.300966666864712, w = 0.51999739122151467 },
    [10] = { b = 0.099650323049785244, loss = 8.7828241642867582, w = 0.59966831601908388 },
    [100] = { b = 0.77327890087409712, loss = 0.77952045397532588, w = 1.2894822729729345 },
    [1000] = { b = 0.29335571150701323, loss = 0.012554915405555195, w = 1.8676260884322735 },
    predict4 = 7.7638600652361074,
  },
  linear_adam_mean_lr01_e200 = {
    [1] = { b = 0.099999999833333339, loss = 10.5, w = 0.59999999992857145 },
    [2] = { b = 0.19958777198820365, loss = 8.5966666684714266, w = 0.6996148896149551 },
    [10] = { b = 0.92349054048255086, loss = 0.48492124427343092, w = 1.4304129492338837 },
    [100] = { b = 0.34705205439636888, loss = 0.018220800145790677, w = 1.8421849933833836 },
    [200] = { b = 0.032153120312946426, loss = 0.00015896843351366141, w = 1.985555966767844 },
    predict4 = 7.9743769873843222,
  },
  logistic_sum = {
    [1] = { b = -0.011710923860255032, loss = 2.4887519496810819, w = 0.48462700082957205 },
    [2] = { b = -0.02318586200510965, loss = 2.4519216611353354, w = 0.46974995698426669 },
    [10] = { b = -0.10679250427793993, loss = 2.2241423675837493, w = 0.36815172306809096 },
    [100] = { b = -0.58691092422555102, loss = 1.8085052849030401, w = 0.21343774265052598 },
    [1000] = { b = -2.9860634962057842, loss = 1.0253648620742473, w = 1.2366467702329453 },
    p1 = 0.14812078103620246,
    p4 = 0.87658960514072748,
    p7 = 0.99656556976272925,
  },
  logistic_mean = {
    [1] = { b = -0.0039036412867516773, loss = 0.82958398322702731, w = 0.49487566694319068 },
    [2] = { b = -0.0077812552507136364, loss = 0.82545330945363382, w = 0.48980595093182833 },
    [10] = { b = -0.037873113842930309, loss = 0.79506302728076494, w = 0.45120633414246503 },
    [100] = { b = -0.28381050160328641, loss = 0.65303045156832074, w = 0.21638378196906694 },
    [1000] = { b = -1.3697497912679442, loss = 0.49865914181416993, w = 0.54644840142759832 },
    p1 = 0.30506331619305155,
    p4 = 0.693395906999275,
    p7 = 0.92095464723623532,
  },
}
end)()

local function run_example(name, ...)
  local dir = T.tmpdir()
  local args = { "--plot", "none", "--out", dir, "examples/" .. name .. ".lua", ... }
  local status, out, err = T.run(args)
  T.eq(status, 0, name .. " exit status (stderr: " .. tostring(err) .. ")")
  local cols, names = csv.read(dir .. "/" .. name .. ".csv")
  return cols, names, out, dir
end

-- The numbers of the first line of out that starts with prefix (tab-separated).
local function numbers_after(out, prefix)
  for _, line in ipairs(T.lines(out)) do
    if line:sub(1, #prefix) == prefix then
      local t = {}
      for word in line:sub(#prefix + 1):gmatch("[^\t]+") do t[#t + 1] = tonumber(word) end
      return t
    end
  end
  error(string.format("no line starting with %q in the output:\n%s", prefix, out), 2)
end

-- Rows 1, 2, 10, ... of the CSV columns against a REF entry.
local function check_rows(c, ref, nrows, what)
  T.eq(#c.epoch, nrows, what .. ": rows")
  for k, want in pairs(ref) do
    if math.type(k) == "integer" then
      T.eq(c.epoch[k], k - 1.0, what .. ": epochs count from 0")
      for col, v in pairs(want) do
        T.near(c[col][k], v, 1e-10, string.format("%s: %s in row %d", what, col, k))
      end
    end
  end
end

test("backprop: w and the loss per epoch, the printed gradients and predict(4)", function()
  local c, names, out = run_example("backprop")
  T.eq(table.concat(names, ","), "epoch,w,loss", "columns")
  check_rows(c, REF.backprop, 100, "backprop")
  local k = 0
  for _, line in ipairs(T.lines(out)) do
    if line:find("^\tgrad:") and k < #REF.backprop.grads then
      k = k + 1
      local got = numbers_after(line .. "\n", "\tgrad:\t")
      for j, v in ipairs(REF.backprop.grads[k]) do
        T.near(got[j], v, 1e-10, string.format("gradient line %d, value %d", k, j))
      end
    end
  end
  T.eq(k, #REF.backprop.grads, "gradient lines found")
  T.contains(out, "progress:\t0\t")
  T.eq(numbers_after(out, "predict (before training)\t")[2], 4.0, "predict(4) before")
  T.near(numbers_after(out, "predict (after training)\t")[2], REF.backprop.predict4, 1e-10,
    "predict(4) after")
end)

test("backprop: without verbose, no gradient lines; lr from the command line", function()
  local c, _, out = run_example("backprop", "verbose=false", "lr=0.02", "epochs=3")
  T.eq(#c.w, 3, "rows")
  T.truthy(not out:find("grad:", 1, true), "no gradient lines")
  -- one sample: (w - 2) <- (w - 2)(1 - 2 lr x^2), from w = 1
  T.near(c.w[1], 2 - (1 - 0.04) * (1 - 0.16) * (1 - 0.36), 1e-12, "w after epoch 0")
end)

test("quadratic: w1, w2, b and the loss per epoch, the printed gradients", function()
  local c, names, out = run_example("quadratic")
  T.eq(table.concat(names, ","), "epoch,w1,w2,b,loss", "columns")
  check_rows(c, REF.quadratic, 100, "quadratic")
  local g = numbers_after(out, "\tgrad:\t")
  for j, v in ipairs(REF.quadratic.grads[1]) do
    T.near(g[j], v, 1e-10, "first gradient line, value " .. j)
  end
  T.near(numbers_after(out, "predict (after training)\t")[2], REF.quadratic.predict4, 1e-10,
    "predict(4) after")
end)

for _, optimizer in ipairs({ "sgd", "momentum", "adam" }) do
  for _, reduction in ipairs({ "sum", "mean" }) do
    test(string.format("linear_regression optimizer=%s reduction=%s: 1000 epochs", optimizer,
      reduction), function()
      local ref = REF["linear_" .. optimizer .. "_" .. reduction]
      -- the lecture's momentum is torch.optim.SGD with momentum 0.9
      local args = optimizer == "momentum" and { "momentum=0.9", "reduction=" .. reduction }
                   or { "optimizer=" .. optimizer, "reduction=" .. reduction }
      if optimizer == "sgd" and reduction == "sum" then args = {} end  -- the defaults
      local c, names, out = run_example("linear_regression", table.unpack(args))
      T.eq(table.concat(names, ","), "epoch,w,b,loss", "columns")
      check_rows(c, ref, 1000, "linear_regression")
      T.near(numbers_after(out, "predict (after training)\t")[2], ref.predict4, 1e-10,
        "predict(4)")
    end)
  end
end

test("linear_regression: the issue's command line optimizer=adam lr=0.1 epochs=200 reduction=mean",
  function()
    local c = run_example("linear_regression", "optimizer=adam", "lr=0.1", "epochs=200",
      "reduction=mean")
    check_rows(c, REF.linear_adam_mean_lr01_e200, 200, "linear_regression adam lr 0.1")
  end)

test("linear_regression: an unknown optimizer, or momentum for adam, is a clear error", function()
  local status, _, err = T.run({ "--plot", "none", "--out", T.tmpdir(),
                                 "examples/linear_regression.lua", "optimizer=lbfgs" })
  T.eq(status, 1, "exit status")
  T.contains(err, "linear_regression: optimizer must be sgd or adam, got 'lbfgs'")
  status, _, err = T.run({ "--plot", "none", "--out", T.tmpdir(),
                           "examples/linear_regression.lua", "optimizer=adam", "momentum=0.9" })
  T.eq(status, 1, "exit status")
  T.contains(err, "linear_regression: momentum is sgd's option; adam has none")
end)

for _, reduction in ipairs({ "sum", "mean" }) do
  test("logistic_regression reduction=" .. reduction .. ": 1000 epochs, the probability curve",
    function()
      local ref = REF["logistic_" .. reduction]
      local c, names, out, dir = run_example("logistic_regression", "reduction=" .. reduction)
      T.eq(table.concat(names, ","), "epoch,w,b,loss", "columns")
      check_rows(c, ref, 1000, "logistic_regression")
      T.near(numbers_after(out, "predict 1 hour\t")[2], ref.p1, 1e-10, "p(1 hour)")
      T.near(numbers_after(out, "predict 7 hours\t")[2], ref.p7, 1e-10, "p(7 hours)")
      T.contains(out, "predict 1 hour\t1.0\t", "predict 7 hours\t7.0\t")
      local p, pnames = csv.read(dir .. "/logistic_regression_probability.csv")
      T.eq(table.concat(pnames, ","), "x,probability,half", "curve columns")
      T.eq(#p.x, 101, "x = 0, 0.1, ..., 10")
      T.eq(p.x[1], 0.0, "first x")
      T.eq(p.x[101], 10.0, "last x")
      local w, b = ref[1000].w, ref[1000].b
      for i = 1, 101, 10 do
        T.near(p.probability[i], 1 / (1 + math.exp(-(w * p.x[i] + b))), 1e-10,
          "probability at x = " .. p.x[i])
        T.eq(p.half[i], 0.5, "the 0.5 line")
      end
    end)
end

-- The final accuracies, in full from the line report{} prints.
local function final_accuracies(out)
  T.contains(out, "train accuracy ", "test accuracy ")
  local a = out:match("report:.* train_accuracy=([%d.e+-]+)")
  local b = out:match("report:.* test_accuracy=([%d.e+-]+)")
  T.truthy(a and b, "the report line has both accuracies")
  return tonumber(a), tonumber(b)
end

test("multi_input: 30-16-8-1 on breast cancer, 455 train / 114 test rows, accurate", function()
  local c, names, out = run_example("multi_input")
  T.eq(table.concat(names, ","), "epoch,loss,train_accuracy,test_accuracy", "columns")
  T.eq(#c.epoch, 1000, "rows")
  T.contains(out, "569 rows, 30 features: 455 for training, 114 for testing")
  T.truthy(c.loss[1000] < c.loss[1], "the loss went down")
  local train, test_acc = final_accuracies(out)
  T.truthy(train > 0.95, "train accuracy " .. train .. " > 0.95")
  T.truthy(test_acc > 0.9, "test accuracy " .. test_acc .. " > 0.9")
  -- accuracies are fractions of 455 and 114 rows
  T.near(c.test_accuracy[1000] * 114, math.floor(c.test_accuracy[1000] * 114 + 0.5), 1e-9,
    "test accuracy counts rows")
end)

test("multi_input: the same seed gives the same CSV, another seed another", function()
  local _, _, _, d1 = run_example("multi_input", "epochs=5")
  local _, _, _, d2 = run_example("multi_input", "epochs=5")
  T.eq(T.slurp(d1 .. "/multi_input.csv"), T.slurp(d2 .. "/multi_input.csv"), "same seed")
  local d3 = T.tmpdir()
  T.eq(T.run({ "--seed", "7", "--plot", "none", "--out", d3, "examples/multi_input.lua",
               "epochs=5" }), 0, "exit status with --seed 7")
  T.truthy(T.slurp(d1 .. "/multi_input.csv") ~= T.slurp(d3 .. "/multi_input.csv"), "another seed")
end)

test("minibatch: 15 shuffled batches of 32 per epoch, accurate", function()
  local c, names, out = run_example("minibatch")
  T.eq(table.concat(names, ","), "epoch,loss,train_accuracy,test_accuracy", "columns")
  T.eq(#c.epoch, 50, "rows")
  T.contains(out, "455 for training in 15 batches, 114 for testing")
  local train, test_acc = final_accuracies(out)
  T.truthy(train > 0.95, "train accuracy " .. train .. " > 0.95")
  T.truthy(test_acc > 0.9, "test accuracy " .. test_acc .. " > 0.9")
  T.near(c.test_accuracy[50], test_acc, 1e-12, "the last row is the final model")
end)

test("minibatch: batch_size and shuffle from the command line", function()
  local c, _, out = run_example("minibatch", "batch_size=8", "shuffle=false", "epochs=2")
  T.eq(#c.epoch, 2, "rows")
  T.contains(out, "455 for training in 57 batches")
end)

test("softmax: 64-32-10 on the digits, accuracy, a 10 x 10 confusion matrix", function()
  local c, names, out, dir = run_example("softmax")
  T.eq(table.concat(names, ","), "epoch,loss,train_accuracy,test_accuracy", "columns")
  T.eq(#c.epoch, 20, "rows")
  T.contains(out, "1797 pictures of 64 pixels: 1438 for training in 23 batches, 359 for testing")
  local train, test_acc = final_accuracies(out)
  T.truthy(train > 0.95, "train accuracy " .. train .. " > 0.95")
  T.truthy(test_acc > 0.9, "test accuracy " .. test_acc .. " > 0.9")

  local m, mnames = csv.read(dir .. "/softmax_confusion.csv")
  T.eq(table.concat(mnames, ","), "digit,predicted,count", "confusion columns")
  T.eq(#m.digit, 100, "10 x 10 cells")
  local rows, total, diagonal = {}, 0, 0
  for k = 1, 100 do
    local d, p = (k - 1) // 10, (k - 1) % 10
    T.eq(m.digit[k], d + 0.0, "digit of cell " .. k)
    T.eq(m.predicted[k], p + 0.0, "prediction of cell " .. k)
    T.truthy(m.count[k] >= 0 and m.count[k] == math.floor(m.count[k]), "a count in cell " .. k)
    rows[d] = (rows[d] or 0) + m.count[k]
    total = total + m.count[k]
    if d == p then diagonal = diagonal + m.count[k] end
  end
  T.eq(total, 359.0, "every test picture counted once")
  for d = 0, 9 do T.truthy(rows[d] >= 15, "digit " .. d .. " has test pictures: " .. rows[d]) end
  T.near(diagonal / 359, test_acc, 1e-12, "the diagonal is the test accuracy")
  T.near(c.test_accuracy[20], test_acc, 1e-12, "the last row is the final model")
end)

T.done()
