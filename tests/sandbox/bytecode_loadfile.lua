-- Loads a file of bytecode from its own folder.
local here = luagrad.script:match("^(.*)/") or "."
assert(loadfile(here .. "/chunk.luac"))
