---@meta
-- Editor definitions of luagrad's module `loss`.

---The squared-error losses of the course: of one sample (se) and the mean over a data set (mse).
---@class losslib
loss = {}

---The squared error of one sample, (yhat - y)^2; or loss.se(m, x, y) for model m at input x.
---
---Formula: `se = (yhat - y)^2`, element-wise for tensors
---
---Errors: raises when the arguments are not two numbers, two tensors of the same size, or a model and a sample.
---
---Example: `loss.se(model.linear{ w = 2 }, 3, 5)  --> 1.0`
---@param yhat number|Tensor|Model the prediction, or the model
---@param y number|Tensor the target, or the input when yhat is a model
---@param y2? number the target when the first argument is a model
---@return number|Tensor se the squared error
function loss.se(yhat, y, y2) end

---The mean squared error over tensors; or loss.mse(m, xs, ys) for model m on a data set, in one pass.
---
---Formula: `mse = (1/n) sum_i (yhat_i - y_i)^2`
---
---Errors: raises when the sizes differ (`loss.mse: y has 4 elements, expected 3 (like yhat)`) or the data is empty.
---
---Example: `loss.mse(model.linear{ w = 2 }, tensor{1, 2, 3}, tensor{2, 4, 6})  --> 0.0`
---@param yhat Tensor|Model the predictions, or the model
---@param y Tensor the targets, or the inputs when yhat is a model
---@param ys? Tensor the targets when the first argument is a model
---@return number mse the mean squared error
function loss.mse(yhat, y, ys) end
