---@meta
-- Editor definitions of luagrad's module `csv` and the class CsvWriter.

---CSV files in and out; writers land in the run's output folder and appear complete or not at all.
---@class csvlib
csv = {}

---A CSV file being written: rows go to a temporary file renamed at close.
---@class CsvWriter
---@field path string the final path
---@field rows integer the rows written so far
local CsvWriter = {}

---Opens a CSV file for writing under the output folder, with the given header.
---
---Errors: raises when the header is not a non-empty list of distinct names, or the file is already open or cannot be created.
---
---Example: `local w <close> = csv.writer("loss.csv", {"epoch", "loss"})`
---@param path string the file, relative to the output folder
---@param header string[] the column names
---@return CsvWriter w the writer
function csv.writer(path, header) end

---Reads a CSV file into columns: a table name -> list of values, and the list of names.
---
---Errors: raises when the file cannot be opened or a line has the wrong number of fields.
---
---Example: `local cols, names = csv.read("examples/data/iris.csv")`
---@param path string the file, relative to the current folder
---@param opts? {sep: string?, header: boolean?, comment: string?} the format
---@return table cols name -> values
---@return string[] names the column names
function csv.read(path, opts) end

---Reads the given numeric columns of a CSV file as an n x d matrix.
---
---Errors: raises when a column is missing or holds text.
---
---Example: `local X = csv.matrix("examples/data/iris.csv", { columns = {1, 2} })`
---@param path string the file
---@param opts {columns: (string|integer)[]} the columns to read
---@return Tensor X the matrix
---@return string[] names the column names
function csv.matrix(path, opts) end

---Reads a CSV file into a list of rows, each a table name -> value.
---
---Errors: raises when the file cannot be opened.
---
---Example: `for _, r in ipairs(csv.rows("runs.csv")) do print(r.lr) end`
---@param path string the file
---@param opts? {sep: string?, header: boolean?, comment: string?} the format
---@return table[] rows the rows
function csv.rows(path, opts) end

---Commits the open writer of path, if any, so the file can be read.
---
---Errors: raises when the file cannot be completed.
---
---Example: `csv.close("loss.csv")`
---@param path string the file
function csv.close(path) end

---Writes one row: numbers, strings or booleans, one per column.
---
---Errors: raises when the number of values differs from the header's, or the writer is closed.
---
---Example: `w:row(1, 0.25)`
---@param ... number|string|boolean the values
function CsvWriter:row(...) end

---Finishes the file: it appears under its name. Returns the path.
---
---Errors: raises when the file cannot be written.
---
---Example: `local path = w:close()`
---@return string path the file written
function CsvWriter:close() end
