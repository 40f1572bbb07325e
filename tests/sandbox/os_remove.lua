-- Removes a file outside its output folder.
local here = luagrad.script:match("^(.*)/") or "."
os.remove(here .. "/../secret.txt")
