---@meta
-- Editor definitions of luagrad's module `grad`.

---Gradients of the squared-error losses, analytic and by finite differences.
---@class gradlib
grad = {}

---d(loss)/d(params) for one sample; also left in m.grad for the optimizers.
---
---Formula: `dw = 2 x (yhat - y)`, `db = 2 (yhat - y)`
---
---Errors: raises when x does not have one number per input of the model.
---
---Example: `grad.se(model.linear{ w = 1 }, 2, 4).w  --> -8.0`
---@param m Model the model
---@param x number|Tensor one sample's input(s)
---@param y number the target
---@return table g {w = ..., b = ...}
function grad.se(m, x, y) end

---d(cost)/d(params) of the mean squared error over the data, in one fused pass; also left in m.grad.
---
---Formula: `dw = (2/n) sum_i x_i (yhat_i - y_i)`, `db = (2/n) sum_i (yhat_i - y_i)`
---
---Errors: raises when the sizes of xs and ys differ.
---
---Example: `grad.mse(model.linear{ w = 1 }, tensor{1, 2}, tensor{2, 4}).w  --> -5.0`
---@param m Model the model
---@param xs Tensor the inputs
---@param ys Tensor the targets
---@return table g {w = ..., b = ...}
function grad.mse(m, xs, ys) end

---The gradient by central differences: of the MSE of model m on (xs, ys), or of a Lua function f at p.
---
---Formula: `(f(p + h) - f(p - h)) / (2 h)`
---
---Errors: raises when the first argument is neither a model nor a function, f does not return a number, or step is not in (0, 1).
---
---Example: `grad.numeric(function(w) return w * w end, 3)  -- about 6`
---@param m Model|fun(p: number|Tensor): number the model, or the function
---@param xs number|Tensor the inputs, or the point p
---@param ys? Tensor|number the targets (for a model), or the step
---@param step? number the relative step h
---@return table|number|Tensor g the gradient
function grad.numeric(m, xs, ys, step) end

---The largest relative difference between grad.mse and grad.numeric, then both gradients.
---
---Formula: `max |a - n| / max(1, |a|, |n|)`
---
---Errors: raises like grad.mse.
---
---Example: `local diff = grad.check(m, xs, ys)  -- about 1e-10`
---@param m Model the model
---@param xs Tensor the inputs
---@param ys Tensor the targets
---@return number diff the largest relative difference
---@return table analytic the analytic gradient
---@return table numeric the numeric gradient
function grad.check(m, xs, ys) end
