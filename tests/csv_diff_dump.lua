-- tests/csv_diff_dump.lua: the reading half of tests/csv_diff.py, which names
-- the list of files to read in $CSV_DIFF_LIST.
-- LIST has one line per file: path, separator (hex byte), header (1 or 0),
-- tab-separated. For each file this prints "F" and then either "E <message>"
-- or one line per column, "C <name> N <value>,..." (numbers as the hex of
-- their 8 bytes, little-endian), "C <name> T <value>,..." (texts) or
-- "C <name> W <value>,..." (a column holding integers a double cannot hold:
-- "i" and the integer, or "f" and the 8 bytes of a float), every
-- field in hex, so no byte of a value can confuse the reader of this.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function unhex(s) return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)) end

local out = {}
for line in io.lines(os.getenv("CSV_DIFF_LIST")) do
  local path, sep, header = line:match("^(.-)\t(%x%x)\t([01])$")
  local ok, cols, names = pcall(csv.read, path, { sep = unhex(sep), header = header == "1" })
  out[#out + 1] = "F"
  if not ok then
    out[#out + 1] = "E " .. hex(tostring(cols))
  else
    for _, name in ipairs(names) do
      local c, vals = cols[name], {}
      if type(c) == "table" and type(c[1]) == "number" then
        -- integers a double cannot hold: a list of Lua numbers, integers exact
        for i, v in ipairs(c) do
          vals[i] = math.type(v) == "integer" and hex("i" .. v) or hex("f" .. string.pack("<d", v))
        end
        out[#out + 1] = "C " .. hex(name) .. " W " .. table.concat(vals, ",")
      elseif type(c) == "table" then
        for i, v in ipairs(c) do vals[i] = hex(v) end
        out[#out + 1] = "C " .. hex(name) .. " T " .. table.concat(vals, ",")
      else
        for i = 1, #c do vals[i] = hex(string.pack("<d", c[i])) end
        out[#out + 1] = "C " .. hex(name) .. " N " .. table.concat(vals, ",")
      end
    end
  end
end
io.stdout:write(table.concat(out, "\n"), "\n")
