---@meta
-- Editor definitions of luagrad's module `autograd`.

---Automatic differentiation controls, with PyTorch's names (the rest is on Tensor).
---@class autogradlib
autograd = {}

---Runs fn with recording off (restored even when fn raises); returns fn's results.
---
---Errors: raises what fn raises.
---
---Example: `autograd.no_grad(function() w:sub_(w.grad, 0.1) end)`
---@param fn function the function
---@param ... any its arguments
---@return any ... fn's results
function autograd.no_grad(fn, ...) end

---Whether operations are being recorded.
---
---Errors: none.
---
---Example: `autograd.is_enabled()  --> true`
---@return boolean on recording or not
function autograd.is_enabled() end

---The graph behind l as a table {nodes = {...}, edges = {...}} (for plot.graph).
---
---Errors: raises when l is not a tensor.
---
---Example: `#autograd.graph(loss).nodes`
---@param l Tensor the result
---@return {nodes: table[], edges: integer[][]} g the graph
function autograd.graph(l) end
