---@meta
-- Editor definitions of luagrad's module `nn` (layers, activations, losses) and its classes.

---Networks from layers, with PyTorch's names: Linear, Sequential, activations and losses.
---@class nnlib
nn = {}

---The base class of layers: call a module like a function to run forward.
---@class nn.Module
---@overload fun(...): any
nn.Module = {}

---A fully connected layer y = x W^T + b.
---
---Formula: `y = x W^T + b`, W and b drawn uniform in [-1/sqrt(nin), 1/sqrt(nin)]
---
---Errors: raises when nin or nout is not a whole number >= 1.
---
---Example: `local fc = nn.Linear(2, 1); local y = fc(tensor{{1, 2}})  -- [1x1]`
---@class nn.Linear: nn.Module
---@field weight Tensor nout x nin
---@field bias Tensor nout
---@overload fun(nin: integer, nout: integer): nn.Linear
nn.Linear = {}

---Layers applied one after the other.
---
---Errors: raises when an argument is not a module.
---
---Example: `local net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))`
---@class nn.Sequential: nn.Module
---@overload fun(...: nn.Module): nn.Sequential
nn.Sequential = {}

---The logistic sigmoid 1 / (1 + e^-x), element-wise.
---
---Formula: `y = 1 / (1 + e^-x)`
---
---Errors: raises when the input is not a tensor.
---
---Example: `nn.Sigmoid()(tensor{0})  -- {0.5}`
---@class nn.Sigmoid: nn.Module
---@overload fun(): nn.Sigmoid
nn.Sigmoid = {}

---The rectified linear unit max(0, x), element-wise.
---
---Formula: `y = max(0, x)`
---
---Errors: raises when the input is not a tensor.
---
---Example: `nn.ReLU()(tensor{-1, 2})  -- {0, 2}`
---@class nn.ReLU: nn.Module
---@overload fun(): nn.ReLU
nn.ReLU = {}

---The hyperbolic tangent, element-wise.
---
---Formula: `y = tanh(x)`
---
---Errors: raises when the input is not a tensor.
---
---Example: `nn.Tanh()(tensor{0})  -- {0}`
---@class nn.Tanh: nn.Module
---@overload fun(): nn.Tanh
nn.Tanh = {}

---Softmax along dim (the last one without dim).
---
---Formula: `y[i] = e^x[i] / sum_j e^x[j]`
---
---Errors: raises when dim is not 1 or 2.
---
---Example: `nn.Softmax(2)(tensor{{0, 0}})  -- {{0.5, 0.5}}`
---@class nn.Softmax: nn.Module
---@overload fun(dim: integer?): nn.Softmax
nn.Softmax = {}

---Log-softmax along dim (the last one without dim).
---
---Formula: `y[i] = x[i] - log(sum_j e^x[j])`
---
---Errors: raises when dim is not 1 or 2.
---
---Example: `nn.LogSoftmax(2)(logits)`
---@class nn.LogSoftmax: nn.Module
---@overload fun(dim: integer?): nn.LogSoftmax
nn.LogSoftmax = {}

---Mean squared error loss: mean (or sum) of (pred - target)^2.
---
---Formula: `l = (1/n) sum_i (p_i - t_i)^2`
---
---Errors: raises when reduction is not "mean" or "sum", an option is unknown, or the prediction is not a tensor.
---
---Example: `nn.MSELoss()(tensor{1, 2}, tensor{1, 4})  -- {2}`
---@class nn.MSELoss: nn.Module
---@overload fun(opts: {reduction: "mean"|"sum"}?): nn.MSELoss
nn.MSELoss = {}

---Binary cross-entropy loss: -(t log p + (1 - t) log(1 - p)), mean or sum.
---
---Formula: `l = -(1/n) sum_i (t_i log p_i + (1 - t_i) log(1 - p_i))`
---
---Errors: raises when reduction is not "mean" or "sum", an option is unknown, or the prediction is not a tensor.
---
---Example: `nn.BCELoss()(tensor{0.5}, tensor{1})  -- {0.6931471805599453}`
---@class nn.BCELoss: nn.Module
---@overload fun(opts: {reduction: "mean"|"sum"}?): nn.BCELoss
nn.BCELoss = {}

---Negative log-likelihood loss: -logp[i][class_i], mean or sum, over log-probabilities.
---
---Formula: `l = -(1/n) sum_i logp[i][c_i]`
---
---Errors: raises when reduction is not "mean" or "sum", an option is unknown, or a class is out of range.
---
---Example: `nn.NLLLoss()(logp, classes)`
---@class nn.NLLLoss: nn.Module
---@overload fun(opts: {reduction: "mean"|"sum"}?): nn.NLLLoss
nn.NLLLoss = {}

---Cross-entropy loss: log-softmax over each row, then NLL.
---
---Formula: `l = -(1/n) sum_i log softmax(x_i)[c_i]`
---
---Errors: raises when reduction is not "mean" or "sum", an option is unknown, or a class is out of range.
---
---Example: `nn.CrossEntropyLoss()(logits, classes)`
---@class nn.CrossEntropyLoss: nn.Module
---@overload fun(opts: {reduction: "mean"|"sum"}?): nn.CrossEntropyLoss
nn.CrossEntropyLoss = {}

---Whether v is an nn module (an instance or a class).
---
---Errors: none.
---
---Example: `nn.is_module(nn.ReLU())  --> true`
---@param v any any value
---@return boolean yes true for a module
function nn.is_module(v) end

---A new module class derived from this one; define init and forward on it.
---
---Errors: none.
---
---Example: `local Net = nn.Module:extend("Net")`
---@param name? string the class name shown by tostring
---@return table class the new class
function nn.Module:extend(name) end

---Sets up a new instance with the arguments given to the class call.
---
---Errors: whatever the class's init raises.
---
---Example: `function Net:init(n) self.fc = nn.Linear(n, 1) end`
---@param ... any the arguments of the call
function nn.Module:init(...) end

---Computes the module's output (what calling the module does).
---
---Errors: nn.Module's own forward raises "this module has no forward method".
---
---Example: `local y = net:forward(x)  -- the same as net(x)`
---@param ... any the inputs
---@return any y the output
function nn.Module:forward(...) end

---Every tensor that requires a gradient, found in the module and its submodules, in a stable order.
---
---Errors: none.
---
---Example: `local opt = optim.sgd(net:parameters(), { lr = 0.1 })`
---@return Tensor[] ps the parameters
function nn.Module:parameters() end

---Sets the gradient of every parameter to zero.
---
---Errors: none.
---
---Example: `net:zero_grad()`
function nn.Module:zero_grad() end
