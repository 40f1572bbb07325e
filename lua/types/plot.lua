---@meta
-- Editor definitions of luagrad's module `plot`.

---Pictures of CSV files drawn by gnuplot (CSV and a .gp script always; the PNG when gnuplot is there).
---@class plotlib
plot = {}

---A line plot of columns of a CSV file (y may be a list of columns).
---
---Errors: raises when csv is missing, a column is not in the file, or an option is unknown.
---
---Example: `plot.line{ csv = "w_scan.csv", x = "w", y = "mse" }`
---@param o {csv: string, x: string, y: string|string[], title: string?, xlabel: string?, ylabel: string?, name: string?, size: string?, logx: boolean?, logy: boolean?} the options
---@return string? png the picture's path, nil when none was drawn
---@return string gp the gnuplot script's path
function plot.line(o) end

---A 3-d surface of z over a grid of (x, y) from a CSV file.
---
---Errors: raises when a column is missing or the points are not a full grid.
---
---Example: `plot.surface{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse" }`
---@param o {csv: string, x: string, y: string, z: string, title: string?, xlabel: string?, ylabel: string?, zlabel: string?, name: string?, size: string?} the options
---@return string? png the picture's path
---@return string gp the gnuplot script's path
function plot.surface(o) end

---A heat map (with contour lines) of z over a grid of (x, y); cells = true draws one labelled square per point.
---
---Errors: raises when a column is missing or the points are not a full grid.
---
---Example: `plot.heatmap{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse" }`
---@param o {csv: string, x: string, y: string, z: string, cells: boolean?, title: string?, xlabel: string?, ylabel: string?, zlabel: string?, name: string?, size: string?} the options
---@return string? png the picture's path
---@return string gp the gnuplot script's path
function plot.heatmap(o) end

---The computational graph behind the tensor l: NAME.dot, and NAME.png with Graphviz's dot.
---
---Errors: raises when l is not a tensor.
---
---Example: `plot.graph(loss, "graph")`
---@param l Tensor the result
---@param name? string the file name without extension ("graph")
---@return string? png the picture's path
---@return string dot the dot file's path
function plot.graph(l, name) end
