-- Changes string functions so that luagrad's plot writes a command into
-- its gnuplot script, then plots.
local w = csv.writer("l.csv", {"x", "y"})
w:row(1, 2) w:row(2, 3) w:close()
string.gsub = function() return "'\nsystem(\"touch planted.txt\")\n" end
string.format = string.gsub
table.concat = function() return "system(\"touch planted.txt\")" end
plot.line{ csv = "l.csv", x = "x", y = "y", title = "`touch planted.txt`", name = "l" }
print("plotted")
