-- Reads ../secret.txt, beside the script's folder, through "..".
local here = luagrad.script:match("^(.*)/") or "."
io.open(here .. "/../secret.txt")
