-- test_data.lua: the data module (lua/luagrad/data.lua) on the shipped data
-- sets and on small files whose every number is known. Expected values come
-- from the files themselves (the first and last rows as text) and from plain
-- Lua sums over the raw values, not from the tensor operations data uses.
local T = dofile("tests/check.lua")

local test = T.test

local BC = "examples/data/breast_cancer.csv"

-- A CSV of n rows: a = 10 * id, b = id^2, id (the target), for following rows.
local function ids_csv(n)
  local lines = { "a,b,id" }
  for i = 1, n do lines[#lines + 1] = string.format("%d,%d,%d", 10 * i, i * i, i) end
  local dir = T.tmpdir()
  T.write(dir .. "/ids.csv", table.concat(lines, "\n") .. "\n")
  return dir .. "/ids.csv"
end

local function sorted(t)
  local c = { table.unpack(t) }
  table.sort(c)
  return c
end

test("data.csv: breast cancer, 569 x 30, named columns, the target last", function()
  local ds = data.csv(BC)
  T.eq(ds.n, 569, "rows")
  T.eq(select(1, ds.X:shape()), 569, "X rows")
  T.eq(select(2, ds.X:shape()), 30, "X columns")
  T.eq(#ds.names, 30, "names")
  T.eq(ds.names[1], "mean_radius", "first name")
  T.eq(ds.names[30], "worst_fractal_dimension", "last name")
  T.eq(ds.target, "target", "the target is the last column")
  T.eq(ds.y:sum(), 357.0, "357 benign")
  -- the first and the last line of the file
  T.eq(ds.X:get(1, 1), 17.99, "X[1][1]")
  T.eq(ds.X:get(1, 30), 0.1189, "X[1][30]")
  T.eq(ds.X:get(569, 1), 7.76, "X[569][1]")
  T.eq(ds.y[1], 0.0, "y[1]")
end)

test("data.csv: the digits, 1797 x 64; target and features by name or number", function()
  local ds = data.csv("examples/data/digits.csv", { target = "digit" })
  T.eq(ds.n, 1797, "rows")
  T.eq(select(2, ds.X:shape()), 64, "pixels")
  local path = ids_csv(4)
  local d2 = data.csv(path, { target = 1, features = { "id", "b" } })
  T.eq(d2.target, "a", "target by number")
  T.eq(table.concat(d2.names, ","), "id,b", "features in the given order")
  T.eq(d2.X:get(3, 1), 3.0, "X[3][1] = id")
  T.eq(d2.X:get(3, 2), 9.0, "X[3][2] = b")
  T.eq(d2.y[4], 40.0, "y = a")
end)

test("data.split: 455 + 114 rows, every row once, rows kept whole, repeatable", function()
  local ds = data.csv(BC)
  rng.seed(3)
  local train, test_set = data.split(ds)
  T.eq(train.n, 455, "round(569 * 0.8) rows to train")
  T.eq(test_set.n, 114, "the rest to test")
  T.eq(select(1, train.X:shape()), 455, "train X rows")
  T.eq(#test_set.y, 114, "test y")
  local all = {}
  for _, r in ipairs(train.rows) do all[#all + 1] = r end
  for _, r in ipairs(test_set.rows) do all[#all + 1] = r end
  all = sorted(all)
  for i = 1, 569 do T.eq(all[i], i, "row " .. i .. " in exactly one part") end
  for i = 1, 455, 50 do
    local r = train.rows[i]
    T.eq(train.y[i], ds.y[r], "y of train row " .. i)
    for j = 1, 30, 7 do T.eq(train.X:get(i, j), ds.X:get(r, j), "X of train row " .. i) end
  end
  rng.seed(3)
  local again = data.split(ds)
  T.eq(table.concat(again.rows, ","), table.concat(train.rows, ","), "same seed, same split")
  local a, b = data.split(ds, { test = 0.5 })
  T.eq(a.n, 285, "round(284.5) = 285")
  T.eq(b.n, 284, "the rest")
end)

test("data.standardize: train columns mean 0 and std 1, test with the train's figures", function()
  local ds = data.csv(BC)
  local train, test_set = data.split(ds)
  local raw_train, raw_test = train.X:totable(), test_set.X:totable()
  local mean, std = data.standardize(train, test_set)
  local X, Xt = train.X:totable(), test_set.X:totable()
  for j = 1, 30 do
    -- the raw column's mean and population deviation, in plain Lua
    local s = 0
    for i = 1, 455 do s = s + raw_train[i][j] end
    local m = s / 455
    local v = 0
    for i = 1, 455 do v = v + (raw_train[i][j] - m) ^ 2 end
    local sd = math.sqrt(v / 455)
    T.near(mean[j], m, 1e-12, "mean of column " .. j)
    T.near(std[j], sd, 1e-12, "std of column " .. j)
    local zs, zv = 0, 0
    for i = 1, 455 do zs = zs + X[i][j] end
    for i = 1, 455 do zv = zv + (X[i][j] - zs / 455) ^ 2 end
    T.near(zs / 455, 0, 1e-12, "standardised mean of column " .. j)
    T.near(math.sqrt(zv / 455), 1, 1e-12, "standardised std of column " .. j)
    for i = 1, 114, 37 do
      T.near(Xt[i][j], (raw_test[i][j] - m) / sd, 1e-12, "test row " .. i .. " column " .. j)
    end
  end
end)

test("data.standardize: a constant column becomes 0, not NaN; test is optional", function()
  local dir = T.tmpdir()
  T.write(dir .. "/c.csv", "k,x,y\n5,1,0\n5,2,1\n5,3,0\n5,6,1\n")
  local ds = data.csv(dir .. "/c.csv")
  local mean, std = data.standardize(ds)
  T.eq(mean[1], 5.0, "mean of the constant column")
  T.eq(std[1], 1.0, "its deviation is taken as 1")
  for i = 1, 4 do T.eq(ds.X:get(i, 1), 0.0, "constant column row " .. i) end
  T.near(ds.X:get(1, 2), (1 - 3) / math.sqrt(3.5), 1e-15, "x of row 1: mean 3, variance 3.5")
end)

test("data.loader: batch sizes, every row once per epoch, X and y aligned", function()
  local ds = data.csv(ids_csv(10))
  for _, shuffle in ipairs({ false, true }) do
    local loader = data.loader(ds, { batch_size = 3, shuffle = shuffle })
    T.eq(#loader, 4, "ceil(10 / 3) batches")
    local orders = {}
    for epoch = 1, 2 do
      local seen, sizes, count = {}, {}, 0
      for i, xb, yb in loader:batches() do
        count = count + 1
        T.eq(i, count, "batches count from 1")
        sizes[#sizes + 1] = #yb
        T.eq(select(1, xb:shape()), #yb, "X and y of a batch have the same rows")
        for k = 1, #yb do
          local id = yb[k]
          T.eq(xb:get(k, 1), 10 * id, "a = 10 id in the same row")
          T.eq(xb:get(k, 2), id * id, "b = id^2 in the same row")
          seen[#seen + 1] = math.tointeger(id)
        end
      end
      T.eq(table.concat(sizes, ","), "3,3,3,1", "batch sizes")
      T.eq(table.concat(sorted(seen), ","), "1,2,3,4,5,6,7,8,9,10", "every row once")
      orders[epoch] = table.concat(seen, ",")
      if not shuffle then T.eq(orders[epoch], "1,2,3,4,5,6,7,8,9,10", "in order") end
    end
    if shuffle then
      T.truthy(orders[1] ~= orders[2], "a new order each epoch: " .. orders[1])
    end
  end
  local whole = data.loader(ds, { batch_size = 64 })
  T.eq(#whole, 1, "one batch when batch_size >= n")
end)

T.done()
