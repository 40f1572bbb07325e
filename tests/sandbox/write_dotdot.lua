-- Writes beside its output folder through "..".
io.open(luagrad.out .. "/../planted.txt", "w")
