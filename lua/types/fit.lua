---@meta
-- Editor definitions of luagrad's global function `fit`.

---The fast training loop, all in C: epochs of gradient steps on the MSE of model m over (xs, ys).
---
---Formula: each step `w = w - lr * dMSE/dw` over a batch (the whole set, or k samples)
---
---Errors: raises when epochs is missing or not an integer >= 1, an option has the wrong type or is unknown, or training diverges.
---
---Example: `local r = fit(m, xs, ys, { epochs = 100, lr = 0.01 })  -- r.epochs, r.loss`
---@param m Model the model
---@param xs Tensor the inputs
---@param ys Tensor the targets
---@param opts {epochs: integer, lr: number?, optimizer: Optimizer?, batch: integer|"full"|nil, shuffle: boolean?, on_epoch: fun(epoch: integer, loss: number, m: Model): boolean?} the options
---@return {epochs: integer, loss: number} r the epochs done and the last loss
function fit(m, xs, ys, opts) end
