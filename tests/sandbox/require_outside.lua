-- Points package.path outside its folders and requires from there.
local here = luagrad.script:match("^(.*)/") or "."
package.path = here .. "/../?.lua"
require("evil")
