-- test_csv_roundtrip.lua: what csv.writer writes, csv.read and csv.rows give
-- back: values and types. A column's type is decided by all its values
-- (text if any value is not a number), or by the caller (text = {...}).
local T = dofile("tests/check.lua")

local n = 0
local function roundtrip(header, rows, opts)
  n = n + 1
  local w = csv.writer("rt" .. n .. ".csv", header)
  for _, r in ipairs(rows) do w:row(table.unpack(r, 1, #header)) end
  local path = w:close()
  return csv.read(path, opts), csv.rows(path, opts), path
end

T.test("a one-column value of only spaces comes back (not a blank line)", function()
  local cols, rows, path = roundtrip({ "s" }, { { "a" }, { "   " }, { "\t" }, { "b" } })
  T.eq(T.slurp(path), 's\na\n"   "\n"\t"\nb\n', "quoted")
  T.eq(#cols.s, 4, "four values")
  T.eq(cols.s[2], "   ", "spaces")
  T.eq(cols.s[3], "\t", "a tab")
  T.eq(rows[2].s, "   ", "csv.rows too")
end)

T.test("spaces in a column of several: kept as written", function()
  local cols = roundtrip({ "s", "x" }, { { "  ", 1 }, { "a", 2 } })
  T.eq(cols.s[1], "  ", "not turned into an empty value")
end)

T.test("a text column whose first value looks like a number reads back as text", function()
  local cols, rows = roundtrip({ "tag", "x" }, { { "1", 0.5 }, { "abc", 1.5 }, { "2.50", 2 } })
  T.eq(type(cols.tag), "table", "a list of strings")
  T.eq(cols.tag[1], "1", "first")
  T.eq(cols.tag[2], "abc", "second")
  T.eq(cols.tag[3], "2.50", "as written, not reformatted")
  T.eq(cols.x[2], 1.5, "the numeric column stays a tensor")
  T.eq(rows[3].tag, "2.50", "csv.rows")
end)

T.test("the caller can say a column is text: text = {...}", function()
  local cols = roundtrip({ "id", "x" }, { { "007", 1 }, { "8", 2 } }, { text = { "id" } })
  T.eq(cols.id[1], "007", "leading zeros kept")
  T.eq(cols.id[2], "8", "a string")
  T.raises(function() csv.read("rt1.csv", { text = "id" }) end,
    "csv.read: text must be a list of column names (like text = {\"tag\"}), got string")
  T.raises(function() csv.read("rt1.csv", { text = { 1 } }) end,
    "csv.read: text[1] must be a column name, got number")
end)

T.test("integers beyond 2^53 come back exactly, as integers", function()
  local big = { 9007199254740993, -9007199254740995, math.maxinteger, math.mininteger, 5 }
  local rows = {}
  for i, v in ipairs(big) do rows[i] = { v, i } end
  local cols, recs = roundtrip({ "id", "i" }, rows)
  for i, v in ipairs(big) do
    T.eq(math.type(cols.id[i]), "integer", "an integer at " .. i)
    T.eq(cols.id[i], v, "the same integer at " .. i)
    T.eq(recs[i].id, v, "csv.rows at " .. i)
  end
  T.eq(cols.i[2], 2, "small integers stay a tensor")
  -- csv.matrix takes them as doubles, the nearest ones
  local X = csv.matrix(cols and luagrad.out .. "/rt" .. n .. ".csv", { columns = { "id" } })
  T.eq(X:get(1, 1), 9007199254740992.0, "to the nearest double")
end)

T.test("the runs.csv of a sweep over a string parameter reads back", function()
  local d = T.folder{ ["s.lua"] = 'local P = params{ tag = "x" }\nreport{ v = #P.tag }\n' }
  local st, _, err = T.run_in(d, "sweep -q s.lua tag=1,abc")
  T.eq(st, 0, "sweep " .. err)
  local cols = csv.read(d .. "/out/s/runs.csv")
  T.eq(cols.tag[1], "1", "tag 1")
  T.eq(cols.tag[2], "abc", "tag abc")
end)

T.test("an embedded NUL is an error, not a cut", function()
  T.raises(function() csv.writer("a\0b.csv", { "x" }) end,
    "csv.writer: the path holds a NUL byte (byte 2 of 7)")
  T.raises(function() csv.read("a\0b.csv") end, "csv.read: the path holds a NUL byte (byte 2 of 7)")
  T.raises(function() tensor.parse("1\0 2") end, "tensor.parse: the text holds a NUL byte (byte 2 of 4)")
end)

T.test("params: a number that wraps or underflows is refused", function()
  local d = T.folder{ ["p.lua"] = 'local P = params{ epochs = 1, lr = 0.1 }\nprint(P.epochs, P.lr)\n' }
  local st, _, err = T.run_in(d, "p.lua epochs=0xffffffffffffffff")
  T.eq(st, 2, "status")
  T.contains(err, "parameter 'epochs': '0xffffffffffffffff' is not an integer")
  st, _, err = T.run_in(d, "p.lua lr=1e-400")
  T.eq(st, 2, "status")
  T.contains(err, "parameter 'lr': '1e-400' is not a number")
  local out
  st, out = T.run_in(d, "p.lua epochs=0x10 lr=1e-300")
  T.eq(st, 0, "status")
  T.contains(out, "16\t1e-300\n")
end)

T.test("a string holding a NUL byte is refused by the writer, as the reader refuses the file", function()
  local w = csv.writer("nul.csv", { "a" })
  T.raises(function() w:row("x\0y") end, "writer:row: value 1 (column 'a') holds a NUL byte")
  w:close()
end)

T.done()
