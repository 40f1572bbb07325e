-- luagrad.jsondecode: JSON text to a Lua value, json.decode of
-- lua/luagrad/json.lua (which says what is decoded to what), apart from it
-- so that writing run.json, which every run does, does not load it.
local json = require("luagrad.json")

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
    local t = json.array({})
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
    for word, v in pairs{ ["true"] = true, ["false"] = false, null = json.null } do
      if self.text:sub(self.pos, self.pos + #word - 1) == word then
        self.pos = self.pos + #word
        return v
      end
    end
    self:fail(c == "" and "unexpected end of the text" or "unexpected '" .. c .. "'")
  end
end

-- decode(text [, source]) -> value; text is a string (json.decode checked).
return function(text, source)
  local d = setmetatable({ text = text, pos = 1, source = source or "text" }, Decoder)
  local v = d:value(0)
  if d:peek() ~= "" then d:fail("unexpected text after the value") end
  return v
end
