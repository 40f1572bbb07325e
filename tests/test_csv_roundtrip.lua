-- tests/test_csv_roundtrip.lua: what csv.writer writes, csv.read gives back.
--
-- Random tables (seeded: the same every run) with columns of every type the
-- writer takes: floats (random bit patterns and the extremes: +-0, the
-- smallest subnormal, the largest double, inf, -inf, nan), integers (the
-- 64-bit limits, 2^53 + 1), strings (quotes, commas, CR, LF, tabs, spaces,
-- '#', UTF-8, NUL, texts that look like numbers) and booleans; each table
-- is written, read back, and compared value by value (numbers bit for bit).
--
-- KNOWN DEFECTS (issue 12, "luagrad's own CSV does not always read back";
-- fixed on another branch): a mismatch of one of these kinds is counted and
-- reported, not failed, so this test passes today; once the fix is in,
-- delete its entry in KNOWN and the test holds the reader to it.
--   spaces:   a one-column value of only spaces (or tabs) is written
--             unquoted and read back as a blank line, so the row is lost;
--   numeric_first: a text column whose first non-empty value looks like a
--             number cannot be read ("'abc' is not a number, but column ...
--             is numeric"), or, when every value looks like a number, comes
--             back as numbers; a text column of only empty strings comes back
--             as a numeric column of nan;
--   big_integers: integers above 2^53 in magnitude come back rounded to a
--             double;
--   leading_blank: (found by this test) in a text column, a value of only
--             spaces before the column's first other non-empty value comes
--             back as "" (it counts as empty while the type is undecided).
-- A table without rows comes back with columns of either type (nothing
-- tells them apart).
-- Booleans are written as the words true and false and come back as those
-- strings (a column of words); a boolean back is accepted too.
local T = dofile("tests/check.lua")

local KNOWN = { spaces = true, numeric_first = true, big_integers = true, leading_blank = true }
local known_seen = { spaces = 0, numeric_first = 0, big_integers = 0, leading_blank = 0 }

local TABLES = 1000
math.randomseed(20240612)
local R = math.random

local function bits(v) return string.pack("<d", v) end

local SPECIAL = { 0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
  -1.7976931348623157e308, math.huge, -math.huge, 0 / 0, 0.1, 1 / 3, 1e15, 1e16, 2 ^ 53 + 2,
  123456789.125, 0x1p149, 0.30000000000000004 }
local function random_float()
  local r = R(4)
  if r == 1 then return SPECIAL[R(#SPECIAL)] end
  if r == 2 then return (R() - 0.5) * 10 ^ R(-30, 30) end
  while true do  -- any bit pattern (nan included)
    local v = string.unpack("<d", string.pack("<I4I4", R(0, 0xffffffff), R(0, 0xffffffff)))
    return v
  end
end

local INTS = { 0, 1, -1, math.maxinteger, math.mininteger, (1 << 53) + 1, -(1 << 53) - 1,
  1 << 53, 999999999999999, 1000000000000000 }
local function random_integer()
  if R(3) == 1 then return INTS[R(#INTS)] end
  return R(-1000000, 1000000)
end

local PIECES = { "a", "b", "Z", " ", "  ", "\t", ",", ";", '"', '""', "\n", "\r", "\r\n", "#", "é",
  "∑", "\0", "1", "2.5", "-", "e", "x", "inf", "nan", "'", "\\" }
local NUMBERISH = { "1", " 2 ", "-3.5", "1e5", "inf", "NaN", ".5", "007", "" }
local function random_string()
  local r = R(6)
  if r == 1 then return NUMBERISH[R(#NUMBERISH)] end
  if r == 2 then return string.rep(" ", R(1, 3)) end
  local parts = {}
  for i = 1, R(0, 6) do parts[i] = PIECES[R(#PIECES)] end
  return table.concat(parts)
end

local GEN = { float = random_float, integer = random_integer, string = random_string,
  boolean = function() return R(2) == 1 end }
local KINDS = { "float", "integer", "string", "boolean" }

local function is_number_text(s)
  -- the reader's rule (csv.h): a decimal or inf/infinity/nan, spaces around
  local t = s:match("^[ \t]*(.-)[ \t]*$")
  if t:lower():match("^[+-]?inf$") or t:lower():match("^[+-]?infinity$") or
     t:lower():match("^[+-]?nan$") then return true end
  return t:match("^[+-]?%d+%.?%d*[eE][+-]?%d+$") or t:match("^[+-]?%.%d+[eE][+-]?%d+$") or
         t:match("^[+-]?%d+%.?%d*$") or t:match("^[+-]?%.%d+$")
end

-- The known defect a mismatch of column c belongs to, or nil.
local function known_cause(kind, values, ncols)
  if kind == "string" then
    local first
    for _, v in ipairs(values) do if v ~= "" then first = v break end end
    local first_text
    for _, v in ipairs(values) do if not v:match("^[ \t]*$") then first_text = v break end end
    if first_text == nil or is_number_text(first_text) then return "numeric_first" end
    if ncols == 1 then
      for _, v in ipairs(values) do if v ~= "" and v:match("^[ \t]+$") then return "spaces" end end
    end
    if first ~= first_text then return "leading_blank" end
  elseif kind == "integer" then
    for _, v in ipairs(values) do if v > (1 << 53) or v < -(1 << 53) then return "big_integers" end end
  end
  return nil
end

local compared = 0

-- Compares column j (written as kind, values) with what was read; returns
-- nil or what differs.
local function differs(kind, values, got)
  if got == nil then return "the column is missing" end
  if kind == "float" or kind == "integer" then
    if type(got) ~= "userdata" then return "came back as " .. type(got) end
    if #got ~= #values then return string.format("%d values back of %d", #got, #values) end
    for i, v in ipairs(values) do
      local g = got[i]
      local same
      if math.type(v) == "integer" then same = math.tointeger(g) == v  -- exactly that integer
      else same = (v ~= v and g ~= g) or bits(v) == bits(g) end
      if not same then return string.format("row %d: wrote %s, read %s", i, T.show(v), T.show(g)) end
    end
  else
    if type(got) ~= "table" then return "came back as " .. type(got) end
    if #got ~= #values then return string.format("%d values back of %d", #got, #values) end
    for i, v in ipairs(values) do
      local want = kind == "boolean" and tostring(v) or v
      if got[i] ~= want and got[i] ~= v then
        return string.format("row %d: wrote %s, read %s", i, T.show(v), T.show(got[i]))
      end
    end
  end
  return nil
end

T.test("csv.writer -> csv.read gives back every value of every type (" .. TABLES .. " tables)", function()
  local failures = {}
  for n = 1, TABLES do
    local ncols, nrows = R(1, 4), R(0, 12)
    local kinds, header, cols = {}, {}, {}
    for j = 1, ncols do
      kinds[j], header[j], cols[j] = KINDS[R(#KINDS)], "c" .. j, {}
      for i = 1, nrows do cols[j][i] = GEN[kinds[j]]() end
    end
    local path = string.format("rt%d.csv", n)
    local w = csv.writer(path, header)
    for i = 1, nrows do
      local row = {}
      for j = 1, ncols do row[j] = cols[j][i] end
      w:row(table.unpack(row, 1, ncols))
    end
    local full = w:close()
    local ok, got = pcall(csv.read, full)
    compared = compared + nrows * ncols
    if not ok then  -- the whole file failed: known only as numeric_first
      local cause
      for j = 1, ncols do
        if known_cause(kinds[j], cols[j], ncols) == "numeric_first" then cause = "numeric_first" end
      end
      if cause and KNOWN[cause] then
        known_seen[cause] = known_seen[cause] + 1
      else
        failures[#failures + 1] = path .. ": " .. tostring(got)
      end
    end
    for j = 1, ok and ncols or 0 do
      local why = nrows > 0 and differs(kinds[j], cols[j], got[header[j]])
      if why then
        local cause = known_cause(kinds[j], cols[j], ncols)
        if cause and KNOWN[cause] then
          known_seen[cause] = known_seen[cause] + 1
        else
          failures[#failures + 1] = string.format("%s column %s (%s): %s", path, header[j], kinds[j], why)
        end
      end
    end
    os.remove(full)
  end
  io.stdout:write(string.format("# round trip: %d values in %d tables; known defects hit: " ..
    "spaces %d, numeric_first %d, big_integers %d, leading_blank %d\n", compared, TABLES,
    known_seen.spaces, known_seen.numeric_first, known_seen.big_integers, known_seen.leading_blank))
  if #failures > 0 then error(table.concat(failures, "\n", 1, math.min(#failures, 20)), 0) end
end)

T.done()
