-- Runs a program through luagrad's own process module.
require("luagrad.sys").run({"/usr/bin/touch", "planted.txt"})
