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

local Decoder = {}
Decoder.__index = Decoder

function Decoder:fail(what, at)
  at = at or self.pos
  local line, col = 1, 1
  for i = 1, at - 1 do
    if self.text:byte(i) == 10 then line, col = line + 1, 1 else col = col + 1 end
  end
  error(string.format("json.decode: %s:%d:%d: %s", self.source, line, col, what), 0)
end

function Decoder:skip()
  self.pos = self.text:find("[^ \t\r\n]", self.pos) or #self.text + 1
end

function Decoder:peek()
  self:skip()
  return self.text:sub(self.pos, self.pos)
end

function Decoder:expect(c, what)
  if self:peek() ~= c then
    local got = self.text:sub(self.pos, self.pos)
    self:fail(string.format("expected %s, got %s", what,
      got == "" and "the end of the text" or "'" .. got .. "'"))
  end
  self.pos = self.pos + 1
end

function Decoder:string()
  local start = self.pos
  self.pos = self.pos + 1 -- the opening quote
  local parts = {}
  while true do
    local i = self.text:find('["\\%c]', self.pos)
    if not i then self:fail("unfinished string", start) end
    parts[#parts + 1] = self.text:sub(self.pos, i - 1)
    local c = self.text:sub(i, i)
    if c == '"' then
      self.pos = i + 1
      return table.concat(parts)
    elseif c == "\\" then
      local e = self.text:sub(i + 1, i + 1)
      local simple = ({ ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f",
                        n = "\n", r = "\r", t = "\t" })[e]
      if simple then
        parts[#parts + 1] = simple
        self.pos = i + 2
      elseif e == "u" then
        local hex = self.text:match("^%x%x%x%x", i + 2)
        if not hex then self:fail("bad \\u escape (expected 4 hex digits)", i) end
        local code = tonumber(hex, 16)
        self.pos = i + 6
        if code >= 0xD800 and code <= 0xDBFF then -- a surrogate pair
          local low = self.text:match("^\\u(%x%x%x%x)", self.pos)
          low = low and tonumber(low, 16)
          if not low or low < 0xDC00 or low > 0xDFFF then
            self:fail("a high surrogate \\u" .. hex .. " without its low half", i)
          end
          code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
          self.pos = self.pos + 6
        elseif code >= 0xDC00 and code <= 0xDFFF then
          self:fail("a low surrogate \\u" .. hex .. " alone", i)
        end
        parts[#parts + 1] = utf8.char(code)
      else
        self:fail("bad escape '\\" .. e .. "' in a string", i)
      end
    else
      self:fail("a control character in a string (it must be escaped)", i)
    end
  end
end

-- JSON's grammar exactly: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [-+]? [0-9]+)?
function Decoder:number()
  local int = self.text:match("^-?0", self.pos) or self.text:match("^-?[1-9]%d*", self.pos)
  if not int then self:fail("bad number") end
  local rest = self.text:sub(self.pos + #int)
  local frac = rest:match("^%.%d+") or ""
  if rest:sub(1, 1) == "." and frac == "" then self:fail("bad number (no digit after '.')") end
  rest = rest:sub(#frac + 1)
  local exp = rest:match("^[eE][-+]?%d+") or ""
  if rest:match("^[eE]") and exp == "" then self:fail("bad number (no digit in the exponent)") end
  local text = int .. frac .. exp
  self.pos = self.pos + #text
  if frac == "" and exp == "" then
    local n = math.tointeger(tonumber(text))
    if n and tostring(n) == text:gsub("^%-0$", "0") then return n end
    return tonumber(text .. ".0") -- too big for an integer
  end
  return tonumber(text)
end

function Decoder:value(depth)
  if depth > 200 then self:fail("nested too deeply") end
  local c = self:peek()
  if c == "{" then
    local t = {}
    self.pos = self.pos + 1
    if self:peek() == "}" then
      self.pos = self.pos + 1
      return t
    end
    while true do
      if self:peek() ~= '"' then self:expect('"', "a key in quotes") end
      local k = self:string()
      self:expect(":", "':' after a key")
      t[k] = self:value(depth + 1)
      if self:peek() == "}" then
        self.pos = self.pos + 1
        return t
      end
      self:expect(",", "',' or '}'")
    end
  elseif c == "[" then
    local t = M.array({})
    self.pos = self.pos + 1
    if self:peek() == "]" then
      self.pos = self.pos + 1
      return t
    end
    while true do
      t[#t + 1] = self:value(depth + 1)
      if self:peek() == "]" then
        self.pos = self.pos + 1
        return t
      end
      self:expect(",", "',' or ']'")
    end
  elseif c == '"' then
    return self:string()
  elseif c == "-" or c:match("%d") then
    return self:number()
  else
    for word, v in pairs{ ["true"] = true, ["false"] = false, null = M.null } do
      if self.text:sub(self.pos, self.pos + #word - 1) == word then
        self.pos = self.pos + #word
        return v
      end
    end
    self:fail(c == "" and "unexpected end of the text" or "unexpected '" .. c .. "'")
  end
end

function M.decode(text, source)
  if type(text) ~= "string" then
    error("json.decode: expected a string, got " .. type(text), 2)
  end
  local d = setmetatable({ text = text, pos = 1, source = source or "text" }, Decoder)
  local v = d:value(0)
  if d:peek() ~= "" then d:fail("unexpected text after the value") end
  return v
end

return M
