-- luagrad.params: a script's parameters.
--
--   local P = params{ lr = 0.01, epochs = 100, shuffle = false, name = "run" }
--
-- declares the parameters with their defaults; key=value words on the command
-- line override them, converted to the type of the default. The result is a
-- table that raises an error when the script reads a key it did not declare,
-- so a typo (P.lrr) is caught instead of silently reading nil.
local run = require("luagrad.sys").info()  -- the run (the global luagrad is a copy)
local M = {}

local declared -- the resolved table, once params{} has been called

-- An error object the host turns into an exit status without a traceback.
local function stop(code, message)
  error({ exit = code, message = message }, 0)
end

-- A refused key=value stops the run before its experiment started: no
-- run.json is written for it (lua/luagrad/provenance.lua).
local function refuse(message)
  M.refused = true
  stop(2, message)
end

-- "integer", "float", "boolean" or "string"; nil for anything else.
local function kind(v)
  local t = type(v)
  if t == "number" then return math.type(v) end
  if t == "boolean" or t == "string" then return t end
  return nil
end
M.kind = kind

-- The shortest text that reads back as the same number; floats keep a
-- decimal point so that 1.0 is not mistaken for an integer.
local numstr = require("luagrad.sys").numstr

local function show(v)
  if math.type(v) == "float" then
    return numstr(v)
  elseif type(v) == "string" then
    -- %q writes a newline as backslash + newline; keep it on one line.
    return (string.format("%q", v):gsub("\\\n", "\\n"))
  end
  return tostring(v)
end
M.show = show

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local function known_list(defaults)
  local parts = {}
  for _, k in ipairs(sorted_keys(defaults)) do
    parts[#parts + 1] = string.format("%s=%s (%s)", k, show(defaults[k]), kind(defaults[k]))
  end
  return table.concat(parts, ", ")
end

local truth = { ["true"] = true, yes = true, on = true, ["1"] = true,
                ["false"] = false, no = false, off = false, ["0"] = false }

-- Converts the text of key=text to the type of the default, or returns nil
-- and what was expected.
local function convert(text, default)
  local k = kind(default)
  if k == "string" then return text end
  if k == "boolean" then
    local b = truth[text:lower()]
    if b == nil then return nil, "a boolean (true/false, yes/no, on/off, 1/0)" end
    return b
  end
  local n = tonumber(text)
  if n and (n ~= n or math.abs(n) == math.huge) then n = nil end  -- 1e400 overflows: refused
  -- 1e-400 underflows to 0: refused, not read as 0
  if n == 0 and (text:match("^%s*[-+]?([%d.]*)[eE]") or ""):find("[1-9]") then n = nil end
  -- a hexadecimal integer of 16 digits or more wraps around (0xff..ff is -1)
  local hex = text:match("^%s*[-+]?0[xX]0*(%x*)%s*$")
  if hex and #hex > 15 then n = nil end
  if k == "integer" then
    n = n and math.tointeger(n)
    if not n then return nil, "an integer" end
    return n
  end
  if not n then return nil, "a number" end
  return n + 0.0
end
M.convert = convert

function M.declare(defaults)
  if declared then
    error("params: called twice; declare every parameter in one params{...} call", 2)
  end
  if type(defaults) ~= "table" then
    error(string.format("params: expected a table of defaults like params{ lr = 0.01 }, got %s",
      type(defaults)), 2)
  end
  for k, v in pairs(defaults) do
    if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then
      error(string.format("params: parameter names must be identifiers, got %s", show(k)), 2)
    end
    if not kind(v) then
      error(string.format("params: default of '%s' must be a number, boolean or string, got %s",
        k, type(v)), 2)
    end
  end

  local resolved = {}
  for k, v in pairs(defaults) do resolved[k] = v end
  for _, key in ipairs(sorted_keys(run.overrides)) do
    local text = run.overrides[key]
    if defaults[key] == nil then
      refuse(string.format("unknown parameter '%s' (in %s=%s); %s declares: %s",
        key, key, text, run.script, known_list(defaults)))
    end
    local value, expected = convert(text, defaults[key])
    if value == nil then
      refuse(string.format("parameter '%s': '%s' is not %s (default %s)",
        key, text, expected, show(defaults[key])))
    end
    resolved[key] = value
  end

  if run.list_params and run.list_params_json then
    M.list_json(defaults)
    M.listed = true
    stop(0, "")
  elseif run.list_params then
    local out = { "parameters of " .. run.script .. ":" }
    for _, k in ipairs(sorted_keys(defaults)) do
      out[#out + 1] = string.format("  %-16s %-24s %s", k, show(defaults[k]), kind(defaults[k]))
    end
    io.stdout:write(table.concat(out, "\n"), "\n")
    M.listed = true
    stop(0, "")
  end

  local parts = {}
  for _, k in ipairs(sorted_keys(resolved)) do
    parts[#parts + 1] = k .. "=" .. show(resolved[k])
  end
  M.text = table.concat(parts, " ")
  print("params: " .. M.text)

  declared = resolved
  M.values = resolved
  return setmetatable({}, {
    __index = function(_, k)
      local v = resolved[k]
      if v == nil then
        error(string.format("params: no parameter '%s'; declared: %s", tostring(k),
          known_list(defaults)), 2)
      end
      return v
    end,
    __newindex = function(_, k)
      error(string.format("params: parameters are read-only (tried to set '%s')", tostring(k)), 2)
    end,
    __pairs = function() return next, resolved, nil end,
  })
end

-- --params-json (for the sweep): {"declared": true, "params": [{"name":
-- "lr", "kind": "float", "default": 0.01}, ...]} sorted by name; a script
-- that never calls params{} gives {"declared": false, "params": []}.
function M.list_json(defaults)
  local json = require("luagrad.json")
  local list = json.array({})
  for _, k in ipairs(sorted_keys(defaults or {})) do
    list[#list + 1] = { name = k, kind = kind(defaults[k]), default = defaults[k] }
  end
  io.stdout:write(json.encode({ declared = defaults ~= nil, params = list }), "\n")
end

-- Called by the host after the script returned: no key=value may be lost.
function M.check_all_used()
  if not declared and run.list_params and not M.listed then
    if run.list_params_json then M.list_json(nil)
    else io.stdout:write(run.script, " declares no parameters\n") end
  end
  if not declared and next(run.overrides) then
    local k = sorted_keys(run.overrides)[1]
    stop(2, string.format("%s never called params{...}, so '%s=%s' was not used",
      run.script, k, run.overrides[k]))
  end
end

return M
