-- luarocks make: builds luagrad.so (the Lua module of luagrad: require
-- "luagrad" in a stock lua5.4) with the project's Makefile and installs it
-- into the tree's C module folder. Needs Lua 5.4's headers (liblua5.4-dev).
rockspec_format = "3.0"
package = "luagrad"
version = "scm-1"
source = { url = "git+file://." }
description = {
  summary = "Tensors, models, losses, gradients, optimizers, autograd, CSV and plots for Lua 5.4",
  detailed = [[
The primitives of the luagrad program (tensor, model, loss, grad, optim,
fit, scan, rng, csv, autograd, nn, data, plot) as one C module:
local lg = require "luagrad".]],
  license = "MIT",
}
dependencies = { "lua >= 5.4, < 5.5" }
build = {
  type = "make",
  build_target = "module",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LUA_INCDIR = "$(LUA_INCDIR)",
  },
  install_target = "install-module",
  install_variables = {
    INST_LIBDIR = "$(LIBDIR)",
  },
}
