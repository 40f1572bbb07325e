-- Writes a file anywhere through luagrad's own atomic writer.
require("luagrad.sys").write_atomic("../planted.txt", "x")
