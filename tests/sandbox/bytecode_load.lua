-- Loads bytecode made by string.dump (bytecode can break the VM).
local f = assert(load(string.dump(function() return 1 end)))
