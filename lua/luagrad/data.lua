-- luagrad.data: data sets from CSV files, for the networks of lectures 7-9
-- (the global `data`).
--
--   local ds = data.csv("examples/data/breast_cancer.csv", { target = "target" })
--   local train, test = data.split(ds, { test = 0.2 })
--   local mean, std = data.standardize(train, test)
--   local loader = data.loader(train, { batch_size = 32, shuffle = true })
--   for i, xb, yb in loader:batches() do ... end
--
-- A data set is a table { X = n x d matrix, y = vector of n, names = the d
-- feature names, target = the target's name, n = n }; a split's parts also
-- carry rows, the row numbers (1-based) they took from the whole set. The
-- random parts (the split, the shuffle) draw from the run's seeded generator
-- (rng), so a run is repeatable with the same --seed.
--
-- Uses of the tensor module: tensor.stack(list, 2), t:index(rows),
-- t:mean(1), t:sqrt(), t:eq(0), broadcasting of a vector over a matrix's rows.
local csv = require("csv")
local rng = require("rng")
local tensor = require("tensor")

local M = {}

-- Errors point at the script's line, not at luagrad's own files.
local fail = require("luagrad.fail")

local function check_options(fname, o, known)
  if o == nil then return {} end
  if type(o) ~= "table" then
    fail(fname, "options must be a table, got %s", type(o))
  end
  local set = {}
  for _, k in ipairs(known) do set[k] = true end
  for k in pairs(o) do
    if not set[k] then
      fail(fname, "unknown option '%s' (the options are %s)", tostring(k), table.concat(known, ", "))
    end
  end
  return o
end

local function check_dataset(fname, ds, what)
  if type(ds) ~= "table" or not tensor.is(ds.X) or not tensor.is(ds.y) then
    fail(fname, "%s must be a data set (a table with X and y, from data.csv), got %s", what,
      type(ds) == "table" and "a table without tensors X and y" or type(ds))
  end
end

-- ---- data.csv --------------------------------------------------------------

function M.csv(path, opts)
  local fname = "data.csv"
  if type(path) ~= "string" then fail(fname, "path must be a string, got %s", type(path)) end
  local o = check_options(fname, opts, { "features", "header", "target" })
  if o.header ~= nil and type(o.header) ~= "boolean" then
    fail(fname, "header must be true or false, got %s", type(o.header))
  end
  local ok, cols, names = pcall(csv.read, path, { header = o.header ~= false })
  if not ok then fail(fname, "%s", (tostring(cols):gsub("^csv%.read: ", ""))) end

  local target = o.target or #names
  if math.type(target) == "integer" then
    if target < 1 or target > #names then
      fail(fname, "target column %d is out of range: %s has %d columns", target, path, #names)
    end
    target = names[target]
  elseif type(target) ~= "string" then
    fail(fname, "target must be a column name or number, got %s", type(target))
  elseif cols[target] == nil then
    fail(fname, "%s has no column '%s' (its columns: %s)", path, target, table.concat(names, ", "))
  end

  local features = {}
  if o.features ~= nil then
    if type(o.features) ~= "table" or #o.features == 0 then
      fail(fname, "features must be a non-empty list of column names, got %s", type(o.features))
    end
    for i, name in ipairs(o.features) do
      if cols[name] == nil then
        fail(fname, "%s has no column '%s' (feature %d; its columns: %s)", path, tostring(name),
          i, table.concat(names, ", "))
      end
      features[i] = name
    end
  else
    for _, name in ipairs(names) do
      if name ~= target then features[#features + 1] = name end
    end
    if #features == 0 then fail(fname, "%s has no column besides the target '%s'", path, target) end
  end

  for _, name in ipairs({ target, table.unpack(features) }) do
    if not tensor.is(cols[name]) then
      fail(fname, "column '%s' of %s holds text, not numbers", name, path)
    end
  end
  local y = cols[target]
  if #y == 0 then fail(fname, "%s has no rows", path) end
  local list = {}
  for i, name in ipairs(features) do list[i] = cols[name] end
  return { X = tensor.stack(list, 2), y = y, names = features, target = target, n = #y }
end

-- ---- data.split ------------------------------------------------------------

-- The rows `rows` (a list of 1-based row numbers) of ds, as a data set.
local function subset(ds, rows)
  return { X = ds.X:index(rows), y = ds.y:index(rows), names = ds.names, target = ds.target,
           n = #rows, rows = rows }
end

function M.split(ds, opts)
  local fname = "data.split"
  check_dataset(fname, ds, "the data set")
  local o = check_options(fname, opts, { "test" })
  local test = o.test == nil and 0.2 or o.test
  if type(test) ~= "number" or not (test > 0 and test < 1) then
    fail(fname, "test must be the fraction of rows for testing, between 0 and 1 (like 0.2), got %s",
      tostring(test))
  end
  local n = #ds.y
  local ntrain = math.floor(n * (1 - test) + 0.5)
  if ntrain < 1 or ntrain > n - 1 then
    fail(fname, "test = %s of %d rows leaves %d for training and %d for testing; each needs "
      .. "at least one", tostring(test), n, ntrain, n - ntrain)
  end
  local perm = rng.permutation(n)
  return subset(ds, table.move(perm, 1, ntrain, 1, {})),
         subset(ds, table.move(perm, ntrain + 1, n, 1, {}))
end

-- ---- data.standardize ------------------------------------------------------

-- Each feature becomes (x - mean) / std with the training split's mean and
-- population standard deviation, so nothing of the test split leaks into
-- the training. A constant column (std 0) is divided by 1 instead, as
-- scikit-learn's StandardScaler does: it becomes 0, not NaN.
function M.standardize(train, test)
  local fname = "data.standardize"
  check_dataset(fname, train, "train")
  if test ~= nil then check_dataset(fname, test, "test") end
  local mean = train.X:mean(1)
  local centred = train.X - mean
  local std = (centred * centred):mean(1):sqrt()
  std = std + std:eq(0)
  train.X = centred / std
  if test ~= nil then test.X = (test.X - mean) / std end
  return mean, std
end

-- ---- data.loader -----------------------------------------------------------

local Loader = {}
Loader.__index = Loader

-- The number of batches (the last one may be smaller).
function Loader.__len(self)
  return (self.dataset.n + self.batch_size - 1) // self.batch_size
end

-- An iterator over one epoch: i (counting from 1), the batch's X rows and
-- y values. With shuffle, each call draws a new order from rng.
function Loader:batches()
  local ds, bs = self.dataset, self.batch_size
  local n = ds.n
  local order = self.in_order
  if self.shuffle then order = rng.permutation(n) end
  local i = 0
  return function()
    local first = i * bs + 1
    if first > n then return nil end
    i = i + 1
    local rows = table.move(order, first, math.min(first + bs - 1, n), 1, {})
    return i, ds.X:index(rows), ds.y:index(rows)
  end
end

function M.loader(ds, opts)
  local fname = "data.loader"
  check_dataset(fname, ds, "the data set")
  local o = check_options(fname, opts, { "batch_size", "shuffle" })
  local bs = o.batch_size == nil and 64 or o.batch_size
  if math.type(bs) ~= "integer" or bs < 1 then
    fail(fname, "batch_size must be a whole number >= 1, got %s", tostring(bs))
  end
  local shuffle = o.shuffle
  if shuffle == nil then shuffle = true end
  if type(shuffle) ~= "boolean" then fail(fname, "shuffle must be true or false, got %s", type(shuffle)) end
  local n = #ds.y
  local in_order = {}
  for i = 1, n do in_order[i] = i end
  local view = { X = ds.X, y = ds.y, n = n }
  return setmetatable({ dataset = view, batch_size = bs, shuffle = shuffle, in_order = in_order },
    Loader)
end

return M
