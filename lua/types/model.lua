---@meta
-- Editor definitions of luagrad's module `model` and the class Model.

---The course's fixed models: linear (w*x), affine (w*x + b) and multi-input (x.W + b).
---@class modellib
model = {}

---A model: forward, its parameters (m.w, m.b) and its gradient (m.grad).
---@class Model
---@field w number|Tensor the weight (a live view for multi)
---@field b number the bias (affine and multi)
---@field grad table the last gradient, m.grad.w and m.grad.b
---@field kind string "linear", "affine" or "multi"
---@field inputs integer the number of inputs
local Model = {}

---The linear model yhat = w*x.
---
---Formula: `yhat = w x`
---
---Errors: raises when w is not a number or an option is unknown.
---
---Example: `local m = model.linear{ w = 2 }; m:forward(3)  --> 6`
---@param opts? {w: number} the starting weight (1)
---@return Model m the model
function model.linear(opts) end

---The affine model yhat = w*x + b.
---
---Formula: `yhat = w x + b`
---
---Errors: raises when w or b is not a number or an option is unknown.
---
---Example: `model.affine{ w = 2, b = 1 }:forward(3)  --> 7`
---@param opts? {w: number, b: number} the starting parameters (0, 0)
---@return Model m the model
function model.affine(opts) end

---The multi-input model yhat = x.w + b with d inputs.
---
---Formula: `yhat = sum_j x[j] w[j] + b`
---
---Errors: raises when inputs is missing or not an integer >= 1, or w does not have one number per input.
---
---Example: `model.multi{ inputs = 2, w = {1, 2}, b = 0 }:forward(tensor{3, 4})  --> 11`
---@param opts {inputs: integer, w: number[]?, b: number?} the inputs and starting parameters
---@return Model m the model
function model.multi(opts) end

---The prediction for x (a number) or for each sample of a tensor.
---
---Formula: `yhat = w x (+ b)`
---
---Errors: raises when x has the wrong number of inputs.
---
---Example: `model.linear{ w = 2 }:forward(tensor{1, 2})  -- {2, 4}`
---@param x number|Tensor one sample, or samples
---@return number|Tensor yhat the prediction(s)
function Model:forward(x) end

---A copy of the model with its own parameters.
---
---Errors: raises when the model is closed.
---
---Example: `local best = m:copy()`
---@return Model m2 the copy
function Model:copy() end

---The parameters as a table {w = ..., b = ...} (a copy).
---
---Errors: raises when the model is closed.
---
---Example: `model.affine{ w = 1, b = 2 }:params()  -- {w = 1, b = 2}`
---@return table p the parameters
function Model:params() end

---One vector of all the parameters (a live view whose .grad is the model's gradient), in a list.
---
---Errors: raises when the model is closed.
---
---Example: `local opt = optim.sgd(m:parameters(), { lr = 0.1 })`
---@return Tensor[] ps the list holding the vector
function Model:parameters() end

---Sets the model's gradient (m.grad) to zero.
---
---Errors: raises when the model is closed.
---
---Example: `m:zero_grad()`
function Model:zero_grad() end
