-- Asks for a C module through package.cpath.
package.cpath = "/usr/lib/x86_64-linux-gnu/lua/5.4/?.so"
require("lpeg")
