---@meta
-- Editor definitions of luagrad's module `data`.

---Data sets from CSV files: read, split, standardize, and batches for training.
---@class datalib
data = {}

---A data set: X (n x d), y (n), names, target, n; a split's parts also carry rows.
---@class Dataset
---@field X Tensor n x d features
---@field y Tensor n targets
---@field names string[] the feature names
---@field target string the target's name
---@field n integer the number of samples

---Batches of a data set, in order or shuffled each pass.
---@class Loader
---@operator len: integer
local Loader = {}

---Reads a data set from a CSV file: every numeric column but the target is a feature.
---
---Errors: raises when the file cannot be read, the target is not a column, or an option is unknown.
---
---Example: `local ds = data.csv("examples/data/iris.csv", { target = "species" })`
---@param path string the file
---@param opts {target: string, features: string[]?, header: boolean?} the target column, optionally the features
---@return Dataset ds the data set
function data.csv(path, opts) end

---Splits a data set at random into a training and a test part.
---
---Errors: raises when test is not a fraction in (0, 1) or an option is unknown.
---
---Example: `local train, test = data.split(ds, { test = 0.2 })`
---@param ds Dataset the data set
---@param opts? {test: number?} the test fraction (0.2)
---@return Dataset train the training part
---@return Dataset test the test part
function data.split(ds, opts) end

---Standardizes the features with the training part's mean and std (test too, when given), in place.
---
---Formula: `x = (x - mean) / std`, std of 0 left as 1
---
---Errors: raises when a part is not a data set.
---
---Example: `local mean, std = data.standardize(train, test)`
---@param train Dataset the training part
---@param test? Dataset the test part
---@return Tensor mean the feature means
---@return Tensor std the feature standard deviations
function data.standardize(train, test) end

---A loader of batches of batch_size samples, shuffled every pass when asked.
---
---Errors: raises when batch_size is not an integer >= 1 or an option is unknown.
---
---Example: `local loader = data.loader(train, { batch_size = 32, shuffle = true })`
---@param ds Dataset the data set
---@param opts? {batch_size: integer?, shuffle: boolean?} the options (64, false)
---@return Loader l the loader
function data.loader(ds, opts) end

---An iterator over the batches: i, X batch, y batch.
---
---Errors: none.
---
---Example: `for i, xb, yb in loader:batches() do end`
---@return fun(): integer, Tensor, Tensor iter the iterator
function Loader:batches() end
