-- luagrad.defs: reads the editor definitions of lua/types/*.lua (---@meta
-- files for the Lua language server), for help() at the prompt and for the
-- reference that tools/gendoc.lua writes (doc/reference.md). One reader for
-- both, so the editor, the prompt and the reference say the same thing.
--
-- A definition is a block of `---` lines followed by
--   function tensor.zeros(n, cols) end      a function  (name "tensor.zeros")
--   function Tensor:sum(dim) end            a method    (name "Tensor:sum")
--   tensor = {}  or  local Tensor = {}      a module or class (its @class)
-- The block's first text line is the one-line description; the other text
-- lines (Formula, Errors, Example) are markdown for the reference; @param,
-- @return, @field and @class are read as the language server reads them.
-- In lua/types/luagrad.lua, `lg` names the table require "luagrad" returns.
local M = {}

-- Splits "{a: number, b: string} the options" into the type and the rest:
-- the type ends at the first space outside brackets.
local function split_type(s)
  local depth = 0
  for i = 1, #s do
    local c = s:sub(i, i)
    if c == "{" or c == "(" or c == "<" or c == "[" then depth = depth + 1
    elseif c == "}" or c == ")" or c == ">" or c == "]" then depth = depth - 1
    elseif c == " " and depth == 0 then return s:sub(1, i - 1), s:sub(i + 1) end
  end
  return s, ""
end

local function new_entry(kind, name, block, file)
  local e = { kind = kind, name = name, file = file, text = {}, params = {}, returns = {}, fields = {} }
  for _, line in ipairs(block) do
    local tag, rest = line:match("^@(%w+)%s*(.*)$")
    if tag == "param" then
      local pname, after = rest:match("^(%S+)%s+(.*)$")
      local ptype, desc = split_type(after or "")
      local optional = pname and pname:sub(-1) == "?"
      e.params[#e.params + 1] = { name = pname and pname:gsub("%?$", "") or rest,
        type = ptype, desc = desc, optional = optional }
    elseif tag == "return" then
      local rtype, after = split_type(rest)
      local rname, desc = after:match("^(%S+)%s*(.*)$")
      e.returns[#e.returns + 1] = { type = rtype, name = rname or "", desc = desc or "" }
    elseif tag == "field" then
      local fname, after = rest:match("^(%S+)%s+(.*)$")
      local ftype, desc = split_type(after or "")
      e.fields[#e.fields + 1] = { name = fname or rest, type = ftype, desc = desc }
    elseif tag == "class" then
      e.class = rest:match("^([%w_.]+)")
    elseif not tag then
      e.text[#e.text + 1] = line
    end
  end
  for _, line in ipairs(e.text) do
    if line:find("%S") then e.brief = line break end
  end
  return e
end

-- Appends the definitions of one file's text to list.
function M.parse(text, file, list)
  local block = {}
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    local doc = line:match("^%-%-%-(.*)$")
    if doc and not doc:find("^@meta") then
      block[#block + 1] = doc
    elseif not doc then
      local fname, args = line:match("^function%s+([%w_.:]+)%s*%((.-)%)")
      local global = line:match("^local%s+([%w_]+)%s*=%s*{}") or line:match("^([%w_.]+)%s*=%s*{}")
      if fname and #block > 0 then
        local e = new_entry("function", fname, block, file)
        e.args = {}
        for a in args:gmatch("[^,%s]+") do e.args[#e.args + 1] = a end
        list[#list + 1] = e
      elseif #block > 0 then
        local e = new_entry("class", nil, block, file)
        if e.class then
          e.name = e.class
          if global and not line:find("^local") then e.global = global end
          list[#list + 1] = e
        end
      end
      block = {}
    end
  end
  return list
end

-- Every definition, from the texts of files (file name -> text), the files
-- in name order.
function M.read(files)
  local names, list = {}, {}
  for name in pairs(files) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do M.parse(files[name], name, list) end
  return list
end

-- The definitions built into luagrad (lua/types/*.lua when it was built).
local cached
function M.builtin()
  cached = cached or M.read(require("luagrad.types"))
  return cached
end

-- "loss.mse(yhat, y, ys?) -> number"
function M.signature(e)
  local optional = {}
  for _, p in ipairs(e.params) do optional[p.name] = p.optional end
  local args = {}
  for i, a in ipairs(e.args or {}) do args[i] = a .. (optional[a] and "?" or "") end
  local s = e.name .. "(" .. table.concat(args, ", ") .. ")"
  if #e.returns > 0 then
    local types = {}
    for i, r in ipairs(e.returns) do types[i] = r.type end
    s = s .. " -> " .. table.concat(types, ", ")
  end
  return s
end

return M
