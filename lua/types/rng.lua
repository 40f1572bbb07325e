---@meta
-- Editor definitions of luagrad's module `rng`.

---luagrad's seeded random numbers (seeded from --seed), so a run is repeatable.
---@class rnglib
rng = {}

---Starts the sequence again from seed n.
---
---Errors: raises when n is not an integer >= 0.
---
---Example: `rng.seed(1)`
---@param n integer the seed
function rng.seed(n) end

---A number uniform in [0, 1), or a tensor of n numbers uniform in [a, b).
---
---Formula: `a + (b - a) u`, u uniform in [0, 1)
---
---Errors: raises when n is negative.
---
---Example: `local w = rng.uniform(3, -1, 1)`
---@param n? integer how many
---@param a? number the lower bound (0)
---@param b? number the upper bound (1)
---@return number|Tensor u the number(s)
function rng.uniform(n, a, b) end

---A standard normal number, or a tensor of n normal numbers with the given mean and std.
---
---Formula: `mean + std z`, z standard normal
---
---Errors: raises when n is negative.
---
---Example: `local noise = rng.normal(100, 0, 0.1)`
---@param n? integer how many
---@param mean? number the mean (0)
---@param std? number the standard deviation (1)
---@return number|Tensor z the number(s)
function rng.normal(n, mean, std) end

---An integer from a to b, each equally likely.
---
---Errors: raises when a > b.
---
---Example: `rng.int(1, 6)`
---@param a integer the smallest
---@param b integer the largest
---@return integer k the integer
function rng.int(a, b) end

---A table holding 1..n in random order.
---
---Errors: raises when n is negative.
---
---Example: `local order = rng.permutation(10)`
---@param n integer how many
---@return integer[] p the permutation
function rng.permutation(n) end
