-- Moves a file from outside into its output folder.
local here = luagrad.script:match("^(.*)/") or "."
os.rename(here .. "/../secret.txt", luagrad.out .. "/stolen.txt")
