-- test_badinput_data.lua: bad input to the data module; each error names
-- the function and says what was expected and what was given.
local T = dofile("tests/check.lua")

local dir = T.tmpdir()
T.write(dir .. "/text.csv", "x,label\n1,a\n2,b\n")
T.write(dir .. "/one.csv", "y\n1\n2\n")
local BC = "examples/data/breast_cancer.csv"
-- a data set made by hand (data.split and data.loader check it before use)
local small = { X = tensor.zeros(3, 2), y = tensor{ 1, 2, 3 }, n = 3 }

T.test("data.csv: the path and the options", function()
  T.raises(function() data.csv(42) end, "data.csv: path must be a string, got number")
  T.raises(function() data.csv(dir .. "/none.csv") end, "data.csv: cannot open",
    "none.csv")
  T.raises(function() data.csv(BC, { targt = "target" }) end,
    "data.csv: unknown option 'targt' (the options are features, header, target)")
  T.raises(function() data.csv(BC, "target") end, "data.csv: options must be a table, got string")
  T.raises(function() data.csv(BC, { header = "yes" }) end,
    "data.csv: header must be true or false, got string")
end)

T.test("data.csv: the target and the features must be columns of numbers", function()
  T.raises(function() data.csv(BC, { target = "diagnosis" }) end,
    "data.csv: " .. BC .. " has no column 'diagnosis' (its columns: mean_radius,")
  T.raises(function() data.csv(BC, { target = 32 }) end,
    "data.csv: target column 32 is out of range: " .. BC .. " has 31 columns")
  T.raises(function() data.csv(BC, { target = true }) end,
    "data.csv: target must be a column name or number, got boolean")
  T.raises(function() data.csv(BC, { features = {} }) end,
    "data.csv: features must be a non-empty list of column names, got table")
  T.raises(function() data.csv(BC, { features = { "mean_radius", "radius" } }) end,
    "data.csv: " .. BC .. " has no column 'radius' (feature 2; its columns:")
  T.raises(function() data.csv(dir .. "/text.csv") end,
    "data.csv: column 'label' of " .. dir .. "/text.csv holds text, not numbers")
  T.raises(function() data.csv(dir .. "/one.csv") end,
    "data.csv: " .. dir .. "/one.csv has no column besides the target 'y'")
end)

T.test("data.csv: the error points at the caller's line", function()
  local err = T.raises(function() data.csv(42) end, "data.csv:")
  T.contains(err, "test_badinput_data.lua:")
end)

T.test("data.split: a data set and a fraction between 0 and 1", function()
  T.raises(function() data.split({}) end,
    "data.split: the data set must be a data set (a table with X and y, from data.csv), "
      .. "got a table without tensors X and y")
  T.raises(function() data.split(nil) end, "data.split: the data set must be a data set", "got nil")
  T.raises(function() data.split(small, { test = 1.5 }) end,
    "data.split: test must be the fraction of rows for testing, between 0 and 1 (like 0.2), got 1.5")
  T.raises(function() data.split(small, { test = "half" }) end, "got half")
  T.raises(function() data.split(small, { test = 0.9 }) end,
    "data.split: test = 0.9 of 3 rows leaves 0 for training and 3 for testing; each needs at least one")
  T.raises(function() data.split(small, { train = 0.8 }) end,
    "data.split: unknown option 'train' (the options are test)")
end)

T.test("data.standardize and data.loader: their arguments", function()
  T.raises(function() data.standardize(nil) end, "data.standardize: train must be a data set")
  T.raises(function() data.standardize(small, 5) end,
    "data.standardize: test must be a data set", "got number")
  T.raises(function() data.loader(small, { batch_size = 0 }) end,
    "data.loader: batch_size must be a whole number >= 1, got 0")
  T.raises(function() data.loader(small, { batch_size = 2.5 }) end, "got 2.5")
  T.raises(function() data.loader(small, { shuffle = "yes" }) end,
    "data.loader: shuffle must be true or false, got string")
  T.raises(function() data.loader(small, { batch = 4 }) end,
    "data.loader: unknown option 'batch' (the options are batch_size, shuffle)")
  T.raises(function() data.loader("train") end, "data.loader: the data set must be a data set",
    "got string")
end)

T.test("data.loader: without tensor indexing it still counts its batches", function()
  local loader = data.loader(small, { batch_size = 2, shuffle = false })
  T.eq(#loader, 2, "ceil(3 / 2)")
  T.eq(loader.batch_size, 2, "batch_size")
end)

T.done()
