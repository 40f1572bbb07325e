-- Makes a tensor pass for a model with debug.setmetatable.
debug.setmetatable(tensor{1}, getmetatable(model.linear{}))
