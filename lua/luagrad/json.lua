-- luagrad.json: JSON text to and from Lua values, for run.json.
--
--   json.encode(value [, indent]) -> text    (indent: spaces per level, default 2;
--                                             0 writes one line)
--   json.decode(text [, source])  -> value   raises "json.decode: <source>:<line>:<col>: ..."
--   json.array(t) -> t     marks a table as a JSON array (so {} encodes as [])
--   json.null              what null decodes to (a table is never nil)
--
-- Numbers keep their Lua type through a round trip: a float is written with a
-- '.' or an exponent (1.0, not 1) in the shortest form that reads back to the
-- same double, and a number without '.' or exponent reads back as an integer.
-- JSON has no inf or nan: they are written as the strings "inf", "-inf" and
-- "nan" (the way luagrad writes them in CSV files). Object keys are written
-- sorted, so the same table always gives the same text. Strings are bytes:
-- control characters, '"' and '\' are escaped, other bytes are copied.
local M = {}

local ARRAY = {}                     -- metatable marking arrays
M.null = setmetatable({}, { __tostring = function() return "null" end })

function M.array(t)
  return setmetatable(t or {}, ARRAY)
end

-- ---- encode -------------------------------------------------------------

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESCAPES[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local numstr = require("luagrad.sys").numstr

-- Numbers with every digit (the shortest text that reads back exactly);
-- JSON has no inf or nan, so those are strings.
local function encode_number(v)
  if math.type(v) == "integer" then return tostring(v) end
  if v ~= v then return '"nan"' end
  if v == math.huge then return '"inf"' end
  if v == -math.huge then return '"-inf"' end
  return numstr(v)
end

-- Is t a list 1..n (or marked as an array)?
local function is_array(t)
  if getmetatable(t) == ARRAY then return true end
  local n = #t
  if n == 0 then return false end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local encode_value

local function encode_table(t, indent, depth, seen, path)
  if seen[t] then error("json.encode: " .. path .. " refers to itself (a cycle)", 0) end
  seen[t] = true
  local pad, inner, sep, colon = "", "", ",", ":"
  if indent > 0 then
    pad = "\n" .. string.rep(" ", indent * depth)
    inner = "\n" .. string.rep(" ", indent * (depth + 1))
    colon = ": "
  end
  local parts = {}
  local open, close
  if is_array(t) then
    open, close = "[", "]"
    for i = 1, #t do
      parts[i] = inner .. encode_value(t[i], indent, depth + 1, seen, path .. "[" .. i .. "]")
    end
  else
    open, close = "{", "}"
    local keys = {}
    for k in pairs(t) do
      if type(k) ~= "string" then
        error(string.format("json.encode: %s has a key of type %s; object keys must be strings",
          path, math.type(k) or type(k)), 0)
      end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    for i, k in ipairs(keys) do
      parts[i] = inner .. encode_string(k) .. colon ..
        encode_value(t[k], indent, depth + 1, seen, path .. "." .. k)
    end
  end
  seen[t] = nil
  if #parts == 0 then return open .. close end
  return open .. table.concat(parts, sep) .. pad .. close
end

function encode_value(v, indent, depth, seen, path)
  local t = type(v)
  if v == M.null or v == nil then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then return encode_number(v) end
  if t == "string" then return encode_string(v) end
  if t == "table" then return encode_table(v, indent, depth, seen, path) end
  error(string.format("json.encode: %s is a %s, which JSON cannot hold", path, t), 0)
end

function M.encode(value, indent)
  indent = indent or 2
  return encode_value(value, indent, 0, {}, "value")
end

-- ---- decode -------------------------------------------------------------

-- The decoder is lua/luagrad/jsondecode.lua, loaded on the first decode:
-- every run writes run.json, few read JSON (sweep, collect).
function M.decode(text, source)
  if type(text) ~= "string" then
    error("json.decode: expected a string, got " .. type(text), 2)
  end
  return require("luagrad.jsondecode")(text, source)
end

return M
