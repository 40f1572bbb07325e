-- luagrad.help: help(v) at the prompt (and in scripts): the signature and
-- one-line description of a function, or the functions of a module or
-- class, from the editor definitions (lua/types/, read by luagrad.defs).
--
--   help(loss.mse)      loss.mse(yhat, y, ys?) -> number  and what it does
--   help(optim)         every function of optim, one line each
--   help("Tensor:sum")  by name; help(t) for a tensor lists Tensor's methods
-- the definitions are read at help's first use, not at every start
local function defs() return require("luagrad.defs") end

local M = {}

-- The method table of each class whose objects are userdata: made from a
-- throwaway object, since the methods live in the metatable. Shared with
-- the test that checks the definitions against the program.
function M.methods(class)
  local ok, mt = pcall(function()
    if class == "Tensor" then return getmetatable(require("tensor").zeros(1)) end
    local model = require("model")
    if class == "Model" then return getmetatable(model.linear{}) end
    if class == "Optimizer" then return getmetatable(require("optim").gd(model.linear{}, { lr = 1 })) end
    if class == "Loader" then
      local tensor = require("tensor")
      local ds = { X = tensor.zeros(1, 1), y = tensor.zeros(1), names = { "x" }, target = "y", n = 1 }
      return { methods = getmetatable(require("luagrad.data").loader(ds)).__index }
    end
  end)
  if ok and mt then return mt.methods end
  if class == "nn.Module" then return require("luagrad.nn").Module end
  return nil
end

-- The value a definition names, or nil: "tensor.zeros" in the global (or
-- luagrad module) table, "Tensor:sum" in Tensor's methods, "lg.outdir" in
-- require "luagrad".
function M.resolve(name, root)
  root = root or _G
  local class, method = name:match("^(.*):([%w_]+)$")
  if class then
    local t = M.methods(class)
    return t and rawget(t, method)
  end
  local v
  for part in name:gmatch("[^.]+") do
    if v == nil then
      if part == "lg" then v = require("luagrad")
      else v = root[part]; if v == nil then v = package.loaded[part] end end
    elseif type(v) == "table" then v = v[part]
    else return nil end
  end
  return v
end

local function out(...) io.stdout:write(...) end

local function show_function(e)
  out(defs().signature(e), "\n  ", e.brief or "", "\n")
  for _, p in ipairs(e.params) do
    out(string.format("  %-10s %s\n", p.name .. (p.optional and "?" or ""), p.desc))
  end
end

-- The functions whose name starts with prefix ("loss." or "Tensor:").
local function show_members(title, prefix, list)
  out(title, "\n")
  for _, e in ipairs(list) do
    if e.kind == "function" and e.name:sub(1, #prefix) == prefix then
      out(string.format("  %-34s %s\n", defs().signature(e):gsub(" %->.*", ""), e.brief or ""))
    end
  end
end

local function show_class(e, list)
  local title = (e.global or e.name) .. ": " .. (e.brief or "")
  if e.global then
    show_members(title, e.global .. ".", list)
    if e.global == "tensor" then out("  (and every method of Tensor: help(\"Tensor\"))\n") end
    -- the module's classes (nn.Linear, ...), each with help of its own
    for _, c in ipairs(list) do
      if c.kind == "class" and c.name:sub(1, #e.global + 1) == e.global .. "." then
        out(string.format("  %-34s %s\n", c.name, c.brief or ""))
      end
    end
  else
    show_members(title, e.name .. ":", list)
  end
  for _, f in ipairs(e.fields) do out(string.format("  .%-33s %s\n", f.name, f.desc)) end
end

-- help() alone: every module, one line each.
local function overview(list)
  out("luagrad's modules (help(module) lists a module's functions, help(f) tells one):\n")
  for _, e in ipairs(list) do
    if e.kind == "class" and e.global and not e.global:find("%.") then
      out(string.format("  %-10s %s\n", e.global, e.brief or ""))
    end
  end
  local globals = {}
  for _, e in ipairs(list) do
    if e.kind == "function" and not e.name:find("[.:]") then globals[#globals + 1] = e.name end
  end
  out("  and the functions ", table.concat(globals, ", "), "\n")
  out("Tensor methods: help(\"Tensor\"); a layer or loss: help(nn.Linear)\n")
end

function M.help(v, root)
  local list = defs().builtin()
  if v == nil then return overview(list) end
  local t = type(v)
  if t == "userdata" and getmetatable(v) then v = getmetatable(v).__name; t = "string" end
  for _, e in ipairs(list) do
    if t == "string" and (e.name == v or e.global == v) or
       t ~= "string" and v ~= nil and (e.kind == "function" or e.global) and
         rawequal(M.resolve(e.global or e.name, root), v) then
      if e.kind == "function" then show_function(e) else show_class(e, list) end
      return
    end
  end
  -- tensor.abs(t) is t:abs(): the module holds the methods too.
  if t == "function" then
    local methods = M.methods("Tensor")
    for name, f in pairs(methods or {}) do
      if rawequal(f, v) then return M.help("Tensor:" .. name) end
    end
  end
  out("help: no definition for ", t == "string" and string.format("%q", v) or t,
    "; try help(tensor), help(loss), help(nn) or help(\"Tensor\")\n")
end

return M
