-- Loads a Lua file outside its folders.
local here = luagrad.script:match("^(.*)/") or "."
loadfile(here .. "/../evil.lua")
