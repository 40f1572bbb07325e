-- Runs a Lua file outside its folders.
local here = luagrad.script:match("^(.*)/") or "."
dofile(here .. "/../evil.lua")
