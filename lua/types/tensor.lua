---@meta
-- Editor definitions of luagrad's module `tensor` and the class Tensor, for
-- the Lua language server. help() at the prompt and doc/reference.md (make
-- doc) are made from these comments: the first line of each is the one-line
-- description; Formula, Errors and Example lines go to the reference.

---Vectors and matrices of doubles, with autograd: `tensor{1, 2, 3}`, `tensor{{1, 2}, {3, 4}}`.
---@class tensorlib
---@overload fun(values: number[]|number[][]): Tensor
tensor = {}

---A vector or matrix of doubles; a view (offset, shape, strides) on a shared storage.
---@class Tensor
---@field requires_grad boolean whether operations on it are recorded for backward
---@field grad Tensor? the gradient after backward, or nil
---@field data Tensor the same values without the graph
---@field is_leaf boolean made by the user, not by an operation
---@field grad_fn string? the operation that made it ("MulBackward"), nil for a leaf
---@operator add(Tensor|number): Tensor
---@operator sub(Tensor|number): Tensor
---@operator mul(Tensor|number): Tensor
---@operator div(Tensor|number): Tensor
---@operator pow(number): Tensor
---@operator unm: Tensor
---@operator len: integer
local Tensor = {}

---A new tensor from a list of numbers (a vector) or a list of rows (a matrix).
---
---Errors: raises when an element is not a number or the rows differ in length.
---
---Example: `local x = tensor.new{{1, 2}, {3, 4}}  -- a 2x2 matrix`
---@param values number[]|number[][] the elements, row by row
---@return Tensor t the new tensor
function tensor.new(values) end

---A vector of n zeros, or an n x cols matrix of zeros.
---
---Errors: raises when n or cols is not an integer >= 0.
---
---Example: `local z = tensor.zeros(2, 3)  -- [2x3] of 0`
---@param n integer the elements (rows when cols is given)
---@param cols? integer the columns of a matrix
---@return Tensor t the zeros
function tensor.zeros(n, cols) end

---A vector of n ones, or an n x cols matrix of ones.
---
---Errors: raises when n or cols is not an integer >= 0.
---
---Example: `local o = tensor.ones(3)  -- {1, 1, 1}`
---@param n integer the elements (rows when cols is given)
---@param cols? integer the columns of a matrix
---@return Tensor t the ones
function tensor.ones(n, cols) end

---n equally spaced values from a to b, both included.
---
---Formula: `t[i] = a + (i - 1) * (b - a) / (n - 1)`
---
---Errors: raises when n is not an integer >= 1.
---
---Example: `tensor.linspace(0, 1, 5)  -- {0, 0.25, 0.5, 0.75, 1}`
---@param a number the first value
---@param b number the last value
---@param n integer how many values
---@return Tensor t the values
function tensor.linspace(a, b, n) end

---The values a, a + step, ..., up to b (included when it is reached), each computed as a + i*step.
---
---Formula: `t[i] = a + (i - 1) * step` for every i with `t[i] <= b` (a rounding margin keeps b)
---
---Errors: raises when step is 0 or points away from b.
---
---Example: `tensor.range(0, 4, 0.1)  -- 41 values, the last exactly 4.0`
---@param a number the first value
---@param b number the last value
---@param step number the distance between values
---@return Tensor t the values
function tensor.range(a, b, step) end

---A vector from text such as "1, 2, 3" (a key=value parameter).
---
---Errors: raises when a part of the text is not a number.
---
---Example: `tensor.parse("1, 2, 3")  -- {1, 2, 3}`
---@param text string numbers separated by commas or spaces
---@return Tensor t the vector
function tensor.parse(text) end

---Whether v is a tensor.
---
---Errors: none.
---
---Example: `tensor.is(tensor{1})  --> true`
---@param v any any value
---@return boolean yes true for a tensor
function tensor.is(v) end

---Matrix product of a and b (matrix x matrix, matrix x vector, vector x matrix, vector . vector).
---
---Formula: `c[i][j] = sum_k a[i][k] * b[k][j]`
---
---Errors: raises when the inner sizes differ, naming both shapes.
---
---Example: `tensor.matmul(tensor{{1, 2}, {3, 4}}, tensor{1, 1})  -- {3, 7}`
---@param a Tensor the left factor
---@param b Tensor the right factor
---@return Tensor c the product
function tensor.matmul(a, b) end

---Vectors stacked as the rows (dim 1) or the columns (dim 2) of a matrix.
---
---Errors: raises when the list is empty, holds a non-tensor, or the vectors differ in length.
---
---Example: `tensor.stack({tensor{1, 2}, tensor{3, 4}}, 2)  -- {{1, 3}, {2, 4}}`
---@param list Tensor[] the vectors
---@param dim? integer 1 (rows, the default) or 2 (columns)
---@return Tensor m the matrix
function tensor.stack(list, dim) end

---Tensors joined along dim (a vector counts as one row).
---
---Errors: raises when the list is empty or the other dimension differs.
---
---Example: `tensor.cat({tensor{1, 2}, tensor{3}})  -- {1, 2, 3}`
---@param list Tensor[] the tensors
---@param dim? integer 1 (the default) or 2
---@return Tensor t the joined tensor
function tensor.cat(list, dim) end

---The matrix's rows (a vector's elements) at the given 1-based indices, as a new tensor.
---
---Errors: raises when an index is out of range.
---
---Example: `tensor{10, 20, 30}:index{3, 1}  -- {30, 10}`
---@param rows integer[]|Tensor the indices
---@return Tensor t the rows
function Tensor:index(rows) end

---The transpose of a matrix, as a view sharing t's storage.
---
---Errors: raises when t is not a matrix.
---
---Example: `tensor{{1, 2}}:T()  -- [2x1]`
---@return Tensor t the transposed view
function Tensor:T() end

---Element-wise absolute value |t|.
---
---Formula: `r[i] = |t[i]|`
---
---Errors: raises when t is closed.
---
---Example: `tensor{-1, 2}:abs()  -- {1, 2}`
---@return Tensor r the result
function Tensor:abs() end

---Adds alpha * u to t in place; returns t.
---
---Formula: `t = t + alpha * u`
---
---Errors: raises when the shapes do not broadcast, or on a leaf that requires a gradient.
---
---Example: `w:add_(g, -0.1)  -- w = w - 0.1 g`
---@param u Tensor|number what to add
---@param alpha? number the factor (1)
---@return Tensor t t itself
function Tensor:add_(u, alpha) end

---Subtracts alpha * u from t in place; returns t.
---
---Formula: `t = t - alpha * u`
---
---Errors: raises when the shapes do not broadcast, or on a leaf that requires a gradient.
---
---Example: `w:sub_(g, 0.1)`
---@param u Tensor|number what to subtract
---@param alpha? number the factor (1)
---@return Tensor t t itself
function Tensor:sub_(u, alpha) end

---Multiplies t by a in place; returns t.
---
---Errors: raises on a leaf that requires a gradient.
---
---Example: `t:mul_(2)`
---@param a Tensor|number the factor
---@return Tensor t t itself
function Tensor:mul_(a) end

---Divides t by a in place; returns t.
---
---Errors: raises on a leaf that requires a gradient.
---
---Example: `t:div_(2)`
---@param a Tensor|number the divisor
---@return Tensor t t itself
function Tensor:div_(a) end

---Sets every element of t to 0 in place; returns t.
---
---Errors: raises on a leaf that requires a gradient.
---
---Example: `t:zero_()`
---@return Tensor t t itself
function Tensor:zero_() end

---Sets every element of t to v in place; returns t.
---
---Errors: raises when v is not a number.
---
---Example: `tensor.zeros(3):fill_(7)  -- {7, 7, 7}`
---@param v number the value
---@return Tensor t t itself
function Tensor:fill_(v) end

---Copies u's values into t in place (same number of elements); returns t.
---
---Errors: raises when the sizes differ.
---
---Example: `t:copy_(tensor{1, 2})`
---@param u Tensor the values
---@return Tensor t t itself
function Tensor:copy_(u) end

---The index of the largest element (of each row or column with dim).
---
---Errors: raises when t is empty or dim is not 1 or 2.
---
---Example: `tensor{3, 9, 4}:argmax()  --> 2`
---@param dim? integer reduce along this dimension
---@return integer|Tensor i the 1-based index, or a tensor of them
function Tensor:argmax(dim) end

---The index of the smallest element (of each row or column with dim).
---
---Errors: raises when t is empty or dim is not 1 or 2.
---
---Example: `tensor{3, 9, 4}:argmin()  --> 1`
---@param dim? integer reduce along this dimension
---@return integer|Tensor i the 1-based index, or a tensor of them
function Tensor:argmin(dim) end

---Calls backward on a one-element tensor: fills .grad of every leaf that requires a gradient.
---
---Formula: `leaf.grad += d(t)/d(leaf)`, by the chain rule in reverse order of the graph
---
---Errors: raises when t has more than one element or does not require a gradient.
---
---Example: `local w = tensor{2}:requires_grad_(); (w * w):sum():backward()  -- w.grad = {4}`
---@param opts? {retain_graph: boolean} keep the graph for another backward
function Tensor:backward(opts) end

---Each element clamped to [lo, hi].
---
---Formula: `r[i] = min(max(t[i], lo), hi)`
---
---Errors: raises when lo > hi.
---
---Example: `tensor{-1, 5}:clamp(0, 1)  -- {0, 1}`
---@param lo number the lower bound
---@param hi number the upper bound
---@return Tensor r the result
function Tensor:clamp(lo, hi) end

---A copy of t with its own storage.
---
---Errors: raises when t is closed.
---
---Example: `local u = t:clone()`
---@return Tensor u the copy
function Tensor:clone() end

---Column j of a matrix, as a view sharing its storage.
---
---Errors: raises when j is out of range or t is not a matrix.
---
---Example: `tensor{{1, 2}, {3, 4}}:col(2)  -- {2, 4}`
---@param j integer the column, 1-based
---@return Tensor v the column
function Tensor:col(j) end

---t itself when its elements are contiguous in row order, else a contiguous copy.
---
---Errors: raises when t is closed.
---
---Example: `m:T():contiguous()`
---@return Tensor u contiguous tensor
function Tensor:contiguous() end

---A copy of t with its own storage (the same as clone).
---
---Errors: raises when t is closed.
---
---Example: `local u = t:copy()`
---@return Tensor u the copy
function Tensor:copy() end

---The tensor's values without the graph: a view that requires no gradient.
---
---Errors: raises when t is closed.
---
---Example: `local v = y:detach()`
---@return Tensor v the view
function Tensor:detach() end

---The dot product of two vectors.
---
---Formula: `sum_i t[i] * u[i]`
---
---Errors: raises when the lengths differ.
---
---Example: `tensor{1, 2}:dot(tensor{3, 4})  --> 11`
---@param u Tensor the other vector
---@return number|Tensor d the dot product (a one-element tensor when t or u requires a gradient)
function Tensor:dot(u) end

---Element-wise t == u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:eq(2)  -- {0, 1}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:eq(u) end

---Element-wise t ~= u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:ne(2)  -- {1, 0}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:ne(u) end

---Element-wise t > u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:gt(1)  -- {0, 1}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:gt(u) end

---Element-wise t >= u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:ge(2)  -- {0, 1}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:ge(u) end

---Element-wise t < u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:lt(2)  -- {1, 0}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:lt(u) end

---Element-wise t <= u as 0/1.
---
---Errors: raises when the shapes do not broadcast.
---
---Example: `tensor{1, 2}:le(1)  -- {1, 0}`
---@param u Tensor|number what to compare with
---@return Tensor r 1 where true, 0 where false
function Tensor:le(u) end

---Element-wise exponential.
---
---Formula: `r[i] = e^t[i]`
---
---Errors: raises when t is closed.
---
---Example: `tensor{0, 1}:exp()  -- {1, 2.718281828459045}`
---@return Tensor r the result
function Tensor:exp() end

---Element-wise natural logarithm.
---
---Formula: `r[i] = ln t[i]`
---
---Errors: raises when t is closed.
---
---Example: `tensor{1}:log()  -- {0}`
---@return Tensor r the result
function Tensor:log() end

---Element-wise square root.
---
---Formula: `r[i] = sqrt(t[i])`
---
---Errors: raises when t is closed.
---
---Example: `tensor{4, 9}:sqrt()  -- {2, 3}`
---@return Tensor r the result
function Tensor:sqrt() end

---Element-wise hyperbolic tangent.
---
---Formula: `r[i] = tanh(t[i])`
---
---Errors: raises when t is closed.
---
---Example: `tensor{0}:tanh()  -- {0}`
---@return Tensor r the result
function Tensor:tanh() end

---Element-wise logistic sigmoid.
---
---Formula: `r[i] = 1 / (1 + e^-t[i])`
---
---Errors: raises when t is closed.
---
---Example: `tensor{0}:sigmoid()  -- {0.5}`
---@return Tensor r the result
function Tensor:sigmoid() end

---Element-wise rectified linear unit.
---
---Formula: `r[i] = max(0, t[i])`
---
---Errors: raises when t is closed.
---
---Example: `tensor{-1, 2}:relu()  -- {0, 2}`
---@return Tensor r the result
function Tensor:relu() end

---Softmax along dim (each row of a matrix with dim = 2).
---
---Formula: `r[i] = e^t[i] / sum_j e^t[j]` (shifted by the maximum, for overflow)
---
---Errors: raises when dim is not 1 or 2.
---
---Example: `tensor{0, 0}:softmax(1)  -- {0.5, 0.5}`
---@param dim? integer the dimension the probabilities sum over
---@return Tensor r the probabilities
function Tensor:softmax(dim) end

---Logarithm of the softmax along dim, computed without overflow.
---
---Formula: `r[i] = t[i] - log(sum_j e^t[j])`
---
---Errors: raises when dim is not 1 or 2.
---
---Example: `tensor{0, 0}:log_softmax(1)  -- {-0.6931471805599453, -0.6931471805599453}`
---@param dim? integer the dimension the probabilities sum over
---@return Tensor r the log-probabilities
function Tensor:log_softmax(dim) end

---Element (i, j) of a matrix, or element i of a vector.
---
---Errors: raises when an index is out of range.
---
---Example: `tensor{{1, 2}, {3, 4}}:get(2, 1)  --> 3`
---@param i integer the row (or element), 1-based
---@param j? integer the column
---@return number v the element
function Tensor:get(i, j) end

---Sets element (i, j) of a matrix (or element i of a vector) to v.
---
---Errors: raises when an index is out of range or v is not a number.
---
---Example: `m:set(1, 2, 0.5)`
---@param i integer the row (or element), 1-based
---@param j integer|number the column, or the value for a vector
---@param v? number the value
function Tensor:set(i, j, v) end

---The value of a one-element tensor, as a number.
---
---Errors: raises when t has more than one element.
---
---Example: `tensor{3}:item()  --> 3`
---@return number v the value
function Tensor:item() end

---Matrix product t x u (see tensor.matmul).
---
---Formula: `c[i][j] = sum_k t[i][k] * u[k][j]`
---
---Errors: raises when the inner sizes differ.
---
---Example: `x:matmul(w)`
---@param u Tensor the right factor
---@return Tensor c the product
function Tensor:matmul(u) end

---The largest element, or the maximum of each row or column with dim.
---
---Errors: raises when t is empty or dim is not 1 or 2.
---
---Example: `tensor{3, 9, 4}:max()  --> 9`
---@param dim? integer reduce along this dimension
---@return number|Tensor m the maximum (without dim: a one-element tensor when t requires a gradient)
---@return Tensor? i with dim: the 1-based positions of the maxima
function Tensor:max(dim) end

---The smallest element, or the minimum of each row or column with dim.
---
---Errors: raises when t is empty or dim is not 1 or 2.
---
---Example: `tensor{3, 9, 4}:min()  --> 3`
---@param dim? integer reduce along this dimension
---@return number|Tensor m the minimum (without dim: a one-element tensor when t requires a gradient)
---@return Tensor? i with dim: the 1-based positions of the minima
function Tensor:min(dim) end

---The sum of the elements, or of each column (dim 1) or row (dim 2).
---
---Formula: `sum_i t[i]`, in the fixed order of the one summation kernel
---
---Errors: raises when dim is not 1 or 2.
---
---Example: `tensor{1, 2, 3}:sum()  --> 6`
---@param dim? integer reduce along this dimension
---@return number|Tensor s the sum
function Tensor:sum(dim) end

---The mean of the elements, or of each column (dim 1) or row (dim 2).
---
---Formula: `(1/n) sum_i t[i]`
---
---Errors: raises when t is empty or dim is not 1 or 2.
---
---Example: `tensor{1, 2, 3}:mean()  --> 2`
---@param dim? integer reduce along this dimension
---@return number|Tensor m the mean
function Tensor:mean(dim) end

---The variance of the elements (unbiased: divided by n - 1), or of each column or row with dim.
---
---Formula: `(1/(n - 1)) sum_i (t[i] - mean)^2`; with `{unbiased = false}`, `(1/n) ...`
---
---Errors: raises when t is empty, dim is not 1 or 2, or an option is unknown.
---
---Example: `tensor{1, 3}:var()  --> 2`
---@param dim? integer|table reduce along this dimension; or the options
---@param opts? table `{unbiased = false}` divides by n
---@return number|Tensor v the variance (a one-element tensor when t requires a gradient)
function Tensor:var(dim, opts) end

---A view of n rows (dim 1) or columns (dim 2) from index i, sharing t's storage.
---
---Errors: raises when the range leaves the tensor.
---
---Example: `tensor{1, 2, 3, 4}:narrow(1, 2, 2)  -- {2, 3}`
---@param dim integer 1 or 2
---@param i integer the first index, 1-based
---@param n integer how many
---@return Tensor v the view
function Tensor:narrow(dim, i, n) end

---The number of elements.
---
---Errors: raises when t is closed.
---
---Example: `tensor.zeros(2, 3):numel()  --> 6`
---@return integer n the number of elements
function Tensor:numel() end

---Sets requires_grad (true without an argument); returns t.
---
---Errors: raises on a tensor that is not a leaf.
---
---Example: `local w = tensor{0.5}:requires_grad_()`
---@param on? boolean record operations (true)
---@return Tensor t t itself
function Tensor:requires_grad_(on) end

---The same elements in a new shape (a vector of rows, or rows x cols).
---
---Errors: raises when the number of elements differs.
---
---Example: `tensor{1, 2, 3, 4}:reshape(2, 2)`
---@param rows integer the rows (or elements)
---@param cols? integer the columns
---@return Tensor r the reshaped tensor
function Tensor:reshape(rows, cols) end

---Row i of a matrix, as a view sharing its storage.
---
---Errors: raises when i is out of range or t is not a matrix.
---
---Example: `tensor{{1, 2}, {3, 4}}:row(1)  -- {1, 2}`
---@param i integer the row, 1-based
---@return Tensor v the row
function Tensor:row(i) end

---The sizes: n for a vector, rows and cols for a matrix.
---
---Errors: raises when t is closed.
---
---Example: `local r, c = x:shape()`
---@return integer rows the first size
---@return integer? cols the second size, for a matrix
function Tensor:shape() end

---The size along dim.
---
---Errors: raises when dim is out of range.
---
---Example: `tensor.zeros(2, 3):size(2)  --> 3`
---@param dim integer 1 or 2
---@return integer n the size
function Tensor:size(dim) end

---The values as a Lua table (a list, or a list of rows).
---
---Errors: raises when t is closed.
---
---Example: `tensor{1, 2}:totable()  -- {1, 2}`
---@return number[]|number[][] values the elements
function Tensor:totable() end
