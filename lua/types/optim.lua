---@meta
-- Editor definitions of luagrad's module `optim` and the class Optimizer.

---Optimizers over a model's parameters or a list of tensors: gd, sgd (momentum, Nesterov) and adam.
---@class optimlib
optim = {}

---An optimizer: step() applies one update from the gradient.
---@class Optimizer
---@field lr number the learning rate (settable, for schedules)
---@field steps integer the updates done
local Optimizer = {}

---Plain gradient descent: sgd without momentum.
---
---Formula: `w = w - lr * dw`
---
---Errors: raises when lr is missing or not a number > 0, or an option is unknown.
---
---Example: `local opt = optim.gd(m, { lr = 0.01 })`
---@param m Model|Tensor[] the parameters
---@param opts {lr: number} the learning rate
---@return Optimizer opt the optimizer
function optim.gd(m, opts) end

---Stochastic gradient descent with PyTorch's options (momentum, dampening, nesterov, weight_decay, maximize).
---
---Formula: `v = momentum v + (1 - dampening) (dw + weight_decay w)`; `w = w - lr v`
---
---Errors: raises when lr is missing, an option has the wrong type, or an option is unknown.
---
---Example: `local opt = optim.sgd(m, { lr = 0.01, momentum = 0.9 })`
---@param m Model|Tensor[] the parameters
---@param opts {lr: number, momentum: number?, dampening: number?, nesterov: boolean?, weight_decay: number?, maximize: boolean?} the options
---@return Optimizer opt the optimizer
function optim.sgd(m, opts) end

---Adam with PyTorch's options (betas, eps, weight_decay, amsgrad, maximize).
---
---Formula: `m = b1 m + (1 - b1) g`; `v = b2 v + (1 - b2) g^2`; `w = w - lr mhat / (sqrt(vhat) + eps)`
---
---Errors: raises when betas is not two numbers, or an option has the wrong type or is unknown.
---
---Example: `local opt = optim.adam(m, { lr = 0.001 })`
---@param m Model|Tensor[] the parameters
---@param opts? {lr: number?, betas: number[]?, eps: number?, weight_decay: number?, amsgrad: boolean?, maximize: boolean?} the options
---@return Optimizer opt the optimizer
function optim.adam(m, opts) end

---One update of the parameters from their gradient (m.grad or each tensor's .grad).
---
---Errors: raises when a parameter stops being finite (training diverged) or the model was closed.
---
---Example: `grad.mse(m, xs, ys); opt:step()`
function Optimizer:step() end

---Sets the gradient of the parameters to zero.
---
---Errors: raises when the model was closed.
---
---Example: `opt:zero_grad()`
function Optimizer:zero_grad() end

---Back to step 0 with the state (momentum, averages) zeroed.
---
---Errors: none.
---
---Example: `opt:reset()`
function Optimizer:reset() end
