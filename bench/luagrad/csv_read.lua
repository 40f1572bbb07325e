-- csv_read.lua: the CSV workload with luagrad: read a file of n rows x 2
-- numeric columns (x,y) into two tensors with csv.read.
--   luagrad bench/luagrad/csv_read.lua file=PATH
-- Timed: the read. Printed: the row count and the sums of the columns.
local P = params{ file = "" }
local sys = require("luagrad.sys")

local t0 = sys.clock()
local cols = csv.read(P.file)
local t1 = sys.clock()

print(string.format("seconds=%.9f", t1 - t0))
print(string.format("rows=%d\nsum_x=%.17g\nsum_y=%.17g", #cols.x, cols.x:sum(), cols.y:sum()))
