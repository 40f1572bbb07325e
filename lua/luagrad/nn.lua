-- luagrad.nn: layers, losses and modules as PyTorch's torch.nn has them
-- (the global `nn`). The numerics are tensor operations that record
-- themselves for autograd; the losses are C (src/lib/nnlib.c).
--
--   local net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
--   local y = net(x)                  -- x: n x 2 (a batch), y: n x 1
--   net[1].weight, net[1].bias        -- 4 x 2 and 4, requiring gradients
--   net:parameters()                  -- { w1, b1, w2, b2 }, PyTorch's order
--   net:zero_grad()
--   local criterion = nn.BCELoss{ reduction = "mean" }
--   local loss = criterion(y, target) -- a one-element tensor
--
-- A module of one's own (PyTorch's `class M(torch.nn.Module)`):
--   local LinearModel = nn.Module:extend()
--   function LinearModel:init() self.linear = nn.Linear(1, 1) end
--   function LinearModel:forward(x) return self.linear(x) end
--   local model = LinearModel()       -- calls init with the arguments given
-- Its parameters are those of the fields that are modules or tensors
-- requiring gradients, in the order the fields were first assigned.
local nnc = require("luagrad.nnc")
local tensor = require("tensor")
local rng = require("rng")

local M = {}

-- Errors point at the script's line, not at luagrad's own files.
local fail = require("luagrad.fail")

-- ---- Module ------------------------------------------------------------------

local Module = { _name = "nn.Module" }
M.Module = Module

-- Fields are recorded in the order of their first assignment, which is the
-- order of parameters().
local function newindex(self, k, v)
  local order = rawget(self, "_order")
  order[#order + 1] = k
  rawset(self, k, v)
end

local function call(self, ...) return self:forward(...) end

local function tostr(self)
  local children = {}
  for _, k in ipairs(rawget(self, "_order")) do
    local v = rawget(self, k)
    if M.is_module(v) then children[#children + 1] = "  (" .. tostring(k) .. "): " .. tostring(v):gsub("\n", "\n  ") end
  end
  if #children == 0 then return self:_describe() end
  return self._name .. "(\n" .. table.concat(children, "\n") .. "\n)"
end

-- A subclass: its instances are made by calling it, Class(...), which runs
-- Class.init(self, ...) when there is one.
function Module:extend(name)
  local class = { _name = name or "Module" }
  class.__index = class
  class.__newindex = newindex
  class.__call = call
  class.__tostring = tostr
  return setmetatable(class, {
    __index = self,
    __call = function(cls, ...)
      local obj = setmetatable({ _order = {} }, cls)
      if obj.init then obj:init(...) end
      return obj
    end,
  })
end

function Module:init() end

function Module:forward()
  fail(self._name, "this module has no forward method (define function M:forward(x) ... end)")
end

function Module:_describe() return self._name .. "()" end

function M.is_module(v)
  return type(v) == "table" and type(v._order) == "table" and v.forward ~= nil
end

function Module:parameters()
  local list, seen = {}, {}
  local function add(t)
    if not seen[t] then
      seen[t] = true
      list[#list + 1] = t
    end
  end
  for _, k in ipairs(rawget(self, "_order")) do
    local v = rawget(self, k)
    if M.is_module(v) then
      for _, p in ipairs(v:parameters()) do add(p) end
    elseif tensor.is(v) and v.requires_grad then
      add(v)
    end
  end
  return list
end

function Module:zero_grad() nnc.zero_grad(self:parameters()) end

-- ---- layers --------------------------------------------------------------------

local Linear = Module:extend("nn.Linear")
M.Linear = Linear

local function check_size(fname, what, v)
  if type(v) ~= "number" or v ~= math.floor(v) or v < 1 then
    fail(fname, "%s must be a whole number >= 1, got %s", what, tostring(v))
  end
  return math.tointeger(v)
end

-- PyTorch's initialisation: weight and bias uniform in +-1/sqrt(in), from
-- the run's seeded generator, the weight row by row first.
function Linear:init(nin, nout)
  nin = check_size("nn.Linear", "in_features", nin)
  nout = check_size("nn.Linear", "out_features", nout)
  local k = 1 / math.sqrt(nin)
  rawset(self, "in_features", nin)
  rawset(self, "out_features", nout)
  self.weight = rng.uniform(nout * nin, -k, k):reshape(nout, nin):requires_grad_()
  self.bias = rng.uniform(nout, -k, k):requires_grad_()
end

function Linear:forward(x)
  if not tensor.is(x) then fail("nn.Linear", "the input must be a tensor, got %s", type(x)) end
  local cols = select(2, x:shape()) or #x
  if cols ~= self.in_features then
    local r, c = x:shape()
    fail("nn.Linear", "the input has shape [%s] but this layer takes %d features (an n x %d batch)",
      c and (r .. "x" .. c) or tostring(r), self.in_features, self.in_features)
  end
  return x:matmul(self.weight:T()) + self.bias
end

function Linear:_describe()
  return string.format("nn.Linear(%d, %d)", self.in_features, self.out_features)
end

local Sequential = Module:extend("nn.Sequential")
M.Sequential = Sequential

function Sequential:init(...)
  for i = 1, select("#", ...) do
    local m = select(i, ...)
    if not M.is_module(m) then
      fail("nn.Sequential", "argument %d must be a module, got %s", i, type(m))
    end
    self[i] = m
  end
end

function Sequential:forward(x)
  for i = 1, #self do x = self[i](x) end
  return x
end

-- Activations: one tensor method each.
local function activation(name, method, takes_dim)
  local class = Module:extend("nn." .. name)
  if takes_dim then
    function class:init(dim)
      if dim ~= nil and dim ~= 1 and dim ~= 2 then
        fail("nn." .. name, "dim must be 1 or 2 (dimensions count from 1), got %s", tostring(dim))
      end
      rawset(self, "dim", dim)
    end
    function class:forward(x)
      -- without dim: the last dimension, as PyTorch's implicit choice for 1-d and 2-d
      local dim = self.dim or (select(2, x:shape()) and 2 or 1)
      return x[method](x, dim)
    end
    function class:_describe() return string.format("nn.%s(dim=%s)", name, tostring(self.dim)) end
  else
    function class:forward(x) return x[method](x) end
  end
  M[name] = class
end
activation("Sigmoid", "sigmoid")
activation("ReLU", "relu")
activation("Tanh", "tanh")
activation("Softmax", "softmax", true)
activation("LogSoftmax", "log_softmax", true)

-- ---- losses ------------------------------------------------------------------

local function loss(name, fn)
  local class = Module:extend("nn." .. name)
  local fname = "nn." .. name
  function class:init(o)
    o = o or {}
    if type(o) ~= "table" then fail(fname, "expected a table of options like { reduction = \"mean\" }, got %s", type(o)) end
    for k in pairs(o) do
      if k ~= "reduction" then fail(fname, "unknown option '%s' (the option is reduction)", tostring(k)) end
    end
    local r = o.reduction or "mean"
    if r ~= "mean" and r ~= "sum" then
      fail(fname, "reduction must be \"mean\" or \"sum\", got %s", tostring(r))
    end
    rawset(self, "reduction", r)
  end
  function class:forward(pred, target)
    if not tensor.is(pred) then fail(fname, "the prediction must be a tensor, got %s", type(pred)) end
    -- the C half's errors point at the script's line (lib_error_at_script)
    return fn(pred, target, self.reduction, fname)
  end
  function class:_describe() return string.format("%s{reduction = %q}", fname, self.reduction) end
  M[name] = class
end

loss("MSELoss", nnc.mse)
loss("BCELoss", nnc.bce)
loss("NLLLoss", nnc.nll)
-- log-softmax over the classes (each row of an n x C batch), then NLL
loss("CrossEntropyLoss", function(logits, target, reduction, fname)
  local dim = select(2, logits:shape()) and 2 or 1
  return nnc.nll(logits:log_softmax(dim), target, reduction, fname)
end)

return M
