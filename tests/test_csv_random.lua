-- tests/test_csv_random.lua: what csv.writer writes, csv.read gives back, on random tables.
--
-- Random tables (seeded: the same every run) with columns of every type the
-- writer takes: floats (random bit patterns and the extremes: +-0, the
-- smallest subnormal, the largest double, inf, -inf, nan), integers (the
-- 64-bit limits, 2^53 + 1), strings (quotes, commas, CR, LF, tabs, spaces,
-- '#', UTF-8, NUL, texts that look like numbers) and booleans; each table
-- is written, read back, and compared value by value (numbers bit for bit).
--
-- Columns of strings are read with csv.read's text option, as a caller
-- does whose text may look like numbers; a column of integers that no
-- double holds comes back as a list of numbers (README, "Reading").
-- A table without rows comes back with columns of either type (nothing
-- tells them apart).
-- Booleans are written as the words true and false and come back as those
-- strings (a column of words); a boolean back is accepted too.
local T = dofile("tests/check.lua")


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
  "∑", "1", "2.5", "-", "e", "x", "inf", "nan", "'", "\\" }
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

local compared = 0

-- Compares column j (written as kind, values) with what was read; returns
-- nil or what differs.
local function differs(kind, values, got)
  if got == nil then return "the column is missing" end
  if kind == "float" or kind == "integer" then
    -- a tensor; or, holding integers no double holds, a list of numbers
    if type(got) ~= "userdata" and not (kind == "integer" and type(got) == "table") then
      return "came back as " .. type(got)
    end
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
    -- the string columns are named as text, as a caller does whose text
    -- may look like numbers (README, csv.read's text option)
    local text = {}
    for j = 1, ncols do if kinds[j] == "string" then text[#text + 1] = header[j] end end
    local ok, got = pcall(csv.read, full, { text = text })
    compared = compared + nrows * ncols
    if not ok then failures[#failures + 1] = path .. ": " .. tostring(got) end
    for j = 1, ok and ncols or 0 do
      local why = nrows > 0 and differs(kinds[j], cols[j], got[header[j]])
      if why then
        failures[#failures + 1] = string.format("%s column %s (%s): %s", path, header[j], kinds[j], why)
      end
    end
    os.remove(full)
  end
  io.stdout:write(string.format("# round trip: %d values in %d tables\n", compared, TABLES))
  if #failures > 0 then error(table.concat(failures, "\n", 1, math.min(#failures, 20)), 0) end
end)

T.done()
