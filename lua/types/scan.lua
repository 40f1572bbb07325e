---@meta
-- Editor definitions of luagrad's module `scan`.

---The MSE over a grid of parameter values: the course's loss curve and loss surface.
---@class scanlib
scan = {}

---The MSE of the linear model at every w (a vector), or of the affine model at every (w, b) (a matrix).
---
---Formula: `mse[i][j] = (1/n) sum_k (w_i x_k + b_j - y_k)^2`
---
---Errors: raises when x and y differ in size, w is missing, or method is not "auto", "direct" or "closed".
---
---Example: `local mse = scan.mse{ x = tensor{1, 2, 3}, y = tensor{2, 4, 6}, w = tensor.range(0, 4, 0.1) }`
---@param opts {x: Tensor, y: Tensor, w: Tensor|number[], b: Tensor|number[]|nil, method: string?} the data and the grid
---@return Tensor mse one MSE per grid point
---@return string how "direct" or "closed"
function scan.mse(opts) end
