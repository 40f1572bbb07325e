-- Reads through a symbolic link in its own folder that points outside.
local here = luagrad.script:match("^(.*)/") or "."
for line in io.lines(here .. "/link/secret.txt") do print(line) end
