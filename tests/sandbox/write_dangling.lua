-- Writes through a link to a file that does not exist yet, outside.
io.open(luagrad.out .. "/dangling", "w")
