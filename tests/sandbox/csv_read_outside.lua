-- Reads a CSV outside its folders.
local here = luagrad.script:match("^(.*)/") or "."
csv.read(here .. "/../secret.txt")
