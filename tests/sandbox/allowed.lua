-- What a sandboxed script may do: read its folder and --data, write its
-- output folder, require a module beside it, plot.
local here = luagrad.script:match("^(.*)/") or "."
local f = assert(io.open(here .. "/mine.txt")) print(f:read("l")) f:close()
local cols = csv.read(here .. "/../data/d.csv") print(#cols.x)
print(require("helper").answer)
local w = csv.writer("l.csv", {"x", "y"})
w:row(1, 2) w:row(2, 3) w:close()
local g = assert(io.open(luagrad.out .. "/notes.txt", "w")) g:write("ok") g:close()
os.rename(luagrad.out .. "/notes.txt", luagrad.out .. "/notes2.txt")
print(os.getenv("LANG") ~= false, type(os.getenv("TERM")))
print(load("return 1 + 1")(), string.format("%d", 3), ("abc"):upper())
plot.line{ csv = "l.csv", x = "x", y = "y" }
print("done")
