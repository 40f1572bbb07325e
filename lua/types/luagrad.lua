---@meta luagrad
-- Editor definitions of the global `luagrad` (the run) and of the Lua module
-- that require "luagrad" returns in a stock lua5.4 (luagrad.so).

---The run's description, set by the program from its command line.
---@class luagrad.Run
---@field version string luagrad's version
---@field script string the script's path
---@field out string the output folder
---@field seed integer the seed of the random number generators
---@field quiet boolean -q was given
---@field plot_mode string "png", "term" or "none"
---@field overrides table<string, string> the key=value words
luagrad = {}

---The Lua module luagrad.so: every primitive of the program in one table, for a stock lua5.4.
---@class luagrad.Module
---@field tensor tensorlib
---@field model modellib
---@field loss losslib
---@field grad gradlib
---@field optim optimlib
---@field fit fun(m: Model, xs: Tensor, ys: Tensor, opts: table): table
---@field scan scanlib
---@field rng rnglib
---@field csv csvlib
---@field autograd autogradlib
---@field plot plotlib
---@field data datalib
---@field nn nnlib
---@field params fun(defaults: table): table
---@field report fun(figures: table)
---@field help fun(v: any)
---@field version string luagrad's version
local lg = {}

---The folder where relative output paths go (the current one at first); with dir, sets it first.
---
---In the program, the folder is --out's (out/SCRIPT by default).
---
---Errors: raises when dir is not a non-empty string.
---
---Example: `lg.outdir("results")`
---@param dir? string the new folder
---@return string dir the folder
function lg.outdir(dir) end

---Makes every module a global, as the program does, so a script written for the program runs unchanged.
---
---Errors: none.
---
---Example: `lua5.4 -e 'require("luagrad").globals()' examples/w_scan.lua`
---@return luagrad.Module lg the module
function lg.globals() end

return lg
