-- Writes into its own folder (readable, not writable).
local here = luagrad.script:match("^(.*)/") or "."
io.open(here .. "/planted.txt", "a")
