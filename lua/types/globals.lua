---@meta
-- Editor definitions of luagrad's global functions params, report and help.

---Declares the script's parameters with their defaults; key=value words on the command line override them.
---
---In the Lua module (lua5.4 with require "luagrad") there is no command line: the defaults are returned.
---
---Errors: raises when a key=value names an undeclared parameter or its value does not convert to the default's type, and when the script reads a key it did not declare.
---
---Example: `local P = params{ lr = 0.01, epochs = 100 }`
---@param defaults table name -> default value (number, string or boolean)
---@return table P the values, read-only for unknown keys
function params(defaults) end

---Records the run's final figures: printed, and in run.json and a sweep's runs.csv.
---
---In the Lua module there is no run.json: the figures are only printed.
---
---Errors: raises when a name is not an identifier or a value is not a number, string or boolean.
---
---Example: `report{ loss = 0.01, w = 2.0 }`
---@param figures table name -> number, string or boolean
function report(figures) end

---Prints the signature and one-line description of a function, or the functions of a module.
---
---Errors: none; an unknown value prints what help can show.
---
---Example: `help(loss.mse)`, `help(optim)`, `help("Tensor:sum")`
---@param v any a function, a module table or a name
function help(v) end

---Shows how far a loop of the script has come: on a terminal one updating line on stderr (bar, percent, elapsed and remaining time, the latest figures), elsewhere a plain line every few seconds; nothing with -q.
---
---Errors: raises when i or n is not a number, or info is neither a number nor a table.
---
---Example: `for i = 1, n do ...; progress(i, n, { loss = l }) end`
---@param i number the step just done (1 .. n)
---@param n number the number of steps
---@param info? number|table the latest loss, or a table of figures (and label = "...")
function progress(i, n, info) end
