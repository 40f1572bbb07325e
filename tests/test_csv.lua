-- test_csv.lua: the csv module (src/lib/csvlib.c, src/core/csv*.c): the
-- writer's files and errors, the reader's rules and errors. Expected texts
-- follow RFC 4180 and the rules in README (worked out by hand here).
local T = dofile("tests/check.lua")
local exists = T.exists

local out = luagrad.out
local function bits(v) return string.pack("<d", v) end

-- Runs a script through the binary with its own output folder; returns
-- status, stdout, stderr, the folder.
local function run_script(code, args, dir)
  dir = dir or T.tmpdir()
  local script = dir .. "/s.lua"
  T.write(script, code)
  local argv = { "--out", dir .. "/out" }
  for _, a in ipairs(args or {}) do argv[#argv + 1] = a end
  argv[#argv + 1] = script
  local st, so, se = T.run(argv)
  return st, so, se, dir .. "/out"
end

-- ---- writer: the text --------------------------------------------------------

T.test("numbers: shortest round-trip text, integers without a point", function()
  local w = csv.writer("nums.csv", { "v" })
  for _, v in ipairs({ 0.1, 0.1 + 0.2, 1e-300, -0.0, 5e-324, 1.7976931348623157e308,
    math.huge, -math.huge, 0 / 0, 3, -7, 3.0, math.maxinteger, math.mininteger }) do
    w:row(v)
  end
  w:close()
  -- by hand: the shortest text that reads back (the smallest subnormal,
  -- 4.94065645841246544e-324, reads back from "5e-324"), integers in %d
  T.eq(T.slurp(out .. "/nums.csv"), "v\n0.1\n0.30000000000000004\n1e-300\n-0\n5e-324\n"
    .. "1.7976931348623157e+308\ninf\n-inf\nnan\n3\n-7\n3\n9223372036854775807\n"
    .. "-9223372036854775808\n", "the file")
end)

T.test("round trip is bit-identical, inf and nan included", function()
  local values = { 0.1, 1e-300, -0.0, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308,
    2.2250738585072014e-308, 1 / 3, 2 / 3, 0.1 + 0.2, 123456789.123456789, -1e22, 1e23,
    9007199254740993.0, math.pi, math.huge, -math.huge }
  local w = csv.writer("round.csv", { "i", "v" })
  for i, v in ipairs(values) do w:row(i, v) end
  w:row(#values + 1, 0 / 0)
  w:close()
  local cols, names = csv.read(out .. "/round.csv")
  T.eq(names[1], "i", "names[1]")
  T.eq(names[2], "v", "names[2]")
  T.eq(#cols.v, #values + 1, "rows")
  for i, v in ipairs(values) do
    T.eq(bits(cols.v[i]), bits(v), "bits of value " .. i .. " (" .. T.show(v) .. ")")
  end
  local n = cols.v[#values + 1]
  T.truthy(n ~= n, "nan reads back as nan")
  T.eq(cols.i[3], 3.0, "integers read as numbers")
end)

T.test("strings are quoted only when they need it; booleans are true/false", function()
  local w = csv.writer("text.csv", { "name", "note,with comma" })
  w:row("plain", "a,b")
  w:row('say "hi"', "two\nlines")
  w:row(" spaced ", "cr\r")
  w:row(true, false)
  w:row("", "")
  w:close()
  T.eq(T.slurp(out .. "/text.csv"), 'name,"note,with comma"\nplain,"a,b"\n"say ""hi""","two\nlines"\n'
    .. ' spaced ,"cr\r"\ntrue,false\n,\n', "the file")
  local cols = csv.read(out .. "/text.csv")
  T.eq(cols.name[2], 'say "hi"', "quotes")
  T.eq(cols["note,with comma"][2], "two\nlines", "newline")
  T.eq(cols["note,with comma"][3], "cr\r", "CR inside quotes")
  T.eq(cols.name[3], " spaced ", "spaces kept")
  T.eq(cols.name[4], "true", "booleans read back as text")
  T.eq(cols.name[5], "", "empty")
end)

T.test("a one-column row of an empty string is written \"\" (not a blank line)", function()
  local w = csv.writer("one.csv", { "s" })
  w:row("")
  w:row("x")
  w:close()
  T.eq(T.slurp(out .. "/one.csv"), 's\n""\nx\n', "the file")
  local cols = csv.read(out .. "/one.csv")
  T.eq(#cols.s, 2, "two rows")
  T.eq(cols.s[1], "", "the empty value")
end)

T.test("many columns (more than fit the writer's small array)", function()
  local names, row = {}, {}
  for j = 1, 40 do names[j], row[j] = "c" .. j, j * 0.5 end
  local w = csv.writer("wide.csv", names)
  w:row(table.unpack(row))
  w:close()
  local cols = csv.read(out .. "/wide.csv")
  T.eq(cols.c40[1], 20.0, "c40")
  T.eq(cols.c1[1], 0.5, "c1")
end)

-- ---- writer: paths, closing --------------------------------------------------

T.test("w.path: relative paths land in the output folder, absolute ones stay", function()
  local w = csv.writer("sub/dir/a.csv", { "x" })
  T.eq(w.path, out .. "/sub/dir/a.csv", "relative")
  w:close()
  T.truthy(exists(out .. "/sub/dir/a.csv"), "written, folders made")
  local d = T.tmpdir()
  local v = csv.writer(d .. "/new/b.csv", { "x" })
  T.eq(v.path, d .. "/new/b.csv", "absolute")
  T.eq(v:close(), d .. "/new/b.csv", "close returns the path")
  T.truthy(exists(d .. "/new/b.csv"), "written")
end)

T.test("the file appears under its name only at close; no temporary file is left", function()
  local d = T.tmpdir()
  local w = csv.writer(d .. "/late.csv", { "x" })
  w:row(1)
  T.truthy(not exists(d .. "/late.csv"), "not there while open")
  local _, so = T.sh("ls " .. T.quote(d))
  T.contains(so, "late.csv.", ".tmp")
  T.eq(w.rows, 1, "w.rows")
  T.contains(tostring(w), "late.csv", "open", "1 rows")
  w:close()
  T.truthy(exists(d .. "/late.csv"), "there after close")
  _, so = T.sh("ls " .. T.quote(d))
  T.eq(so, "late.csv\n", "only the file is left")
  T.contains(tostring(w), "closed")
end)

T.test("row after close is an error; a second close does nothing", function()
  local w = csv.writer("closed.csv", { "x" })
  w:close()
  T.raises(function() w:row(1) end, "writer:row: the writer of '" .. out .. "/closed.csv' is closed")
  T.eq(w:close(), out .. "/closed.csv", "second close")
end)

T.test("<close>: committed at the end of the scope, NAME.incomplete on an error", function()
  do
    local w <close> = csv.writer("tbc.csv", { "x" })
    w:row(1)
  end
  T.eq(T.slurp(out .. "/tbc.csv"), "x\n1\n", "committed")
  local ok = pcall(function()
    local w <close> = csv.writer("tbc_err.csv", { "x" })
    w:row(1)
    error("stop")
  end)
  T.eq(ok, false, "the error went through")
  T.truthy(not exists(out .. "/tbc_err.csv"), "no complete file")
  T.eq(T.slurp(out .. "/tbc_err.csv.incomplete"), "x\n1\n", "rows kept as incomplete")
end)

T.test("a written file's path works in either form: relative, or w.path with the folder", function()
  -- w.path already includes the output folder; given back to csv.close,
  -- csv.writer or plot it names the same file, not OUT/OUT/x.csv
  local st, so, se, dir = run_script([[
local w = csv.writer("h.csv", { "x", "y" })
w:row(1, 2)
w:row(2, 3)
print(w.path == luagrad.out .. "/h.csv", csv.close(w.path))
local again <close> = csv.writer(luagrad.out .. "/g.csv", { "a" })
again:row(1)
print(again.path)
plot.line{ csv = w.path, x = "x", y = "y" }
]], { "--plot", "none" })
  T.eq(st, 0, "status " .. se)
  T.eq(so, "true\ttrue\n" .. dir .. "/g.csv\n", "stdout")
  T.eq(T.slurp(dir .. "/h.csv"), "x,y\n1,2\n2,3\n", "h.csv")
  T.eq(T.slurp(dir .. "/g.csv"), "a\n1\n", "g.csv")
  T.truthy(exists(dir .. "/h.gp"), "the plot's script beside the CSV")
end)

T.test("csv.close(path) commits the open writer of that path", function()
  local w = csv.writer("by_path.csv", { "x" })
  w:row(5)
  T.eq(csv.close("by_path.csv"), true, "closed one")
  T.eq(T.slurp(out .. "/by_path.csv"), "x\n5\n", "committed")
  T.eq(csv.close("by_path.csv"), false, "nothing open any more")
  T.eq(csv.close("never.csv"), false, "never opened")
  T.eq(csv.close("no/such/folder/x.csv"), false, "in a folder that does not exist")
  T.truthy(not exists(out .. "/no"), "csv.close made no folder")
  T.raises(function() w:row(1) end, "is closed")
  -- the same file named another way
  local v = csv.writer("sub/../by_path2.csv", { "x" })
  T.eq(csv.close("./by_path2.csv"), true, "same folder, other spelling")
  T.truthy(exists(out .. "/by_path2.csv"), "committed")
  T.truthy(v.path)
end)

T.test("the same file cannot be open twice", function()
  local w = csv.writer("twice.csv", { "x" })
  T.raises(function() csv.writer("twice.csv", { "y" }) end,
    "csv.writer: '" .. out .. "/twice.csv' is already open for writing in this run")
  w:close()
  csv.writer("twice.csv", { "y" }):close()  -- fine once closed
end)

-- ---- writer: errors -----------------------------------------------------------

T.test("header: a non-empty list of distinct strings", function()
  T.raises(function() csv.writer("h.csv") end, "csv.writer: header must be a list of column names, got no value")
  T.raises(function() csv.writer("h.csv", {}) end, "csv.writer: header must be a non-empty list")
  T.raises(function() csv.writer("h.csv", { "a", 2 }) end, "csv.writer: header[2] is number, expected a string")
  T.raises(function() csv.writer("h.csv", { "a", "b", "a" }) end,
    "csv.writer: header has 'a' twice (columns 1 and 3)")
  T.raises(function() csv.writer(nil, { "a" }) end, "bad argument #1 to 'writer'")
  T.truthy(not exists(out .. "/h.csv") and not exists(out .. "/h.csv.incomplete"), "no file made")
end)

T.test("row: the count must match the header; values are numbers, strings, booleans", function()
  local w = csv.writer("count.csv", { "epoch", "w", "loss" })
  T.raises(function() w:row(1, 2) end,
    "writer:row: got 2 values, but '" .. out .. "/count.csv' has 3 columns")
  T.raises(function() w:row(1, 2, 3, 4) end, "got 4 values", "has 3 columns")
  T.raises(function() w:row() end, "got 0 values")
  T.raises(function() w:row(1, {}, 3) end,
    "writer:row: value 2 (column 'w') is table, expected a number, a string or a boolean")
  T.raises(function() w:row(1, 2, nil) end, "value 3 (column 'loss') is nil")
  w:row(1, 2, 3)  -- the writer still works after refused rows
  w:close()
  T.eq(T.slurp(out .. "/count.csv"), "epoch,w,loss\n1,2,3\n", "only the good row")
end)

T.test("/dev/full: the error names the function, the path and the reason", function()
  T.raises(function() csv.writer("/dev/full", { "a", "b" }) end,
    "csv.writer: cannot write '/dev/full': No space left on device")
end)

T.test("a folder that cannot be made (a path under a regular file)", function()
  local d = T.tmpdir()
  T.write(d .. "/file", "x")
  T.raises(function() csv.writer(d .. "/file/sub/a.csv", { "a" }) end,
    "csv.writer: cannot create folder '" .. d .. "/file/sub': Not a directory")
  T.raises(function() csv.writer(d .. "/file/a.csv", { "a" }) end,
    "csv.writer: cannot create folder '" .. d .. "/file': Not a directory")
end)

T.test("a target that is a folder: a clear error", function()
  local d = T.tmpdir()
  os.execute("mkdir " .. T.quote(d .. "/x.csv"))
  T.raises(function() csv.writer(d .. "/x.csv", { "a" }) end,
    "csv.writer: cannot open '" .. d .. "/x.csv' for writing: Is a directory")
end)

-- ---- writer: runs that fail ---------------------------------------------------

local ROWS_THEN = [[
local w = csv.writer("w_scan.csv", {"w", "mse"})
for i = 1, 3 do w:row(i, i * i) end
%s
]]

T.test("a run that fails midway leaves NAME.incomplete and no NAME", function()
  local st, _, se, o = run_script(ROWS_THEN:format('error("boom")'))
  T.eq(st, 1, "exit status")
  T.contains(se, "boom")
  T.truthy(not exists(o .. "/w_scan.csv"), "no complete-looking file")
  T.eq(T.slurp(o .. "/w_scan.csv.incomplete"), "w,mse\n1,1\n2,4\n3,9\n", "the rows written so far")
  local _, ls = T.sh("ls " .. T.quote(o))
  T.eq(ls:gsub("run.json\n", ""), "w_scan.csv.incomplete\n", "no temporary file left")
end)

T.test("a writer that cannot be completed at the end of the run fails the run", function()
  -- The file size limit (ulimit -f 4: 2 KiB, with SIGXFSZ ignored so the
  -- write fails with EFBIG) lets the rows sit in the writer's buffer, and
  -- makes the final write, when luagrad closes the writer left open, fail.
  local d = T.tmpdir()
  T.write(d .. "/big.lua", [[
    local w = csv.writer("big.csv", { "a", "b" })
    for i = 1, 300 do w:row(i, i * 0.1) end
  ]])
  local st, _, se = T.sh(string.format("trap '' XFSZ; ulimit -f 4; %s --out %s %s",
    T.quote(T.luagrad), T.quote(d .. "/out"), T.quote(d .. "/big.lua")))
  T.eq(st, 1, "exit status")
  T.contains(se, "big.csv", "File too large")
  T.truthy(not exists(d .. "/out/big.csv"), "no complete-looking file")
  T.truthy(exists(d .. "/out/big.csv.incomplete"), "what was written is kept aside")
  T.contains(T.slurp(d .. "/out/run.json"), '"status": 1')
end)

T.test("an earlier complete NAME survives a failed rerun; a good run removes NAME.incomplete", function()
  local d = T.tmpdir()
  local st, _, _, o = run_script(ROWS_THEN:format('w:row(4, 16)'), nil, d)
  T.eq(st, 0, "first run")
  local good = "w,mse\n1,1\n2,4\n3,9\n4,16\n"
  T.eq(T.slurp(o .. "/w_scan.csv"), good, "the writer left open is committed at the end")
  st = run_script(ROWS_THEN:format('error("boom")'), nil, d)
  T.eq(st, 1, "second run fails")
  T.eq(T.slurp(o .. "/w_scan.csv"), good, "the complete file is untouched")
  T.truthy(exists(o .. "/w_scan.csv.incomplete"), "the failed run's rows are kept aside")
  st = run_script(ROWS_THEN:format(''), nil, d)
  T.eq(st, 0, "third run")
  T.eq(T.slurp(o .. "/w_scan.csv"), "w,mse\n1,1\n2,4\n3,9\n", "replaced by the new complete file")
  T.truthy(not exists(o .. "/w_scan.csv.incomplete"), "the stale incomplete file is gone")
end)

T.test("os.exit(0) commits <close> writers; os.exit(1) keeps them incomplete", function()
  local code = [[
local w <close> = csv.writer("e.csv", {"x"})
w:row(1)
os.exit(%s)
]]
  local st, _, _, o = run_script(code:format("0"))
  T.eq(st, 0, "status 0")
  T.eq(T.slurp(o .. "/e.csv"), "x\n1\n", "committed")
  st, _, _, o = run_script(code:format("1"))
  T.eq(st, 1, "status 1")
  T.truthy(not exists(o .. "/e.csv"), "not committed")
  T.truthy(exists(o .. "/e.csv.incomplete"), "kept as incomplete")
end)

T.test("Ctrl-C while writing: NAME.incomplete, exit status 130", function()
  local dir = T.tmpdir()
  -- The script says on stderr when rows are being written; only then does
  -- the Ctrl-C (SIGINT) come, however slowly a busy machine starts it.
  T.write(dir .. "/s.lua", [[
local w = csv.writer("loop.csv", {"i"})
local i = 0
while true do
  i = i + 1; w:row(i)
  if i == 1000 then io.stderr:write("writing\n") end
end
]])
  local st = T.sh("(" .. T.quote(T.luagrad) .. " --out " .. T.quote(dir .. "/out") .. " "
    .. T.quote(dir .. "/s.lua") .. " 2>" .. T.quote(dir .. "/err") .. " & pid=$!; n=0; "
    .. "until grep -q writing " .. T.quote(dir .. "/err") .. " 2>/dev/null || [ $n -ge 600 ]; do "
    .. "sleep 0.05; n=$((n+1)); done; kill -INT $pid; wait $pid)")
  T.eq(st, 130, "exit status")
  T.truthy(not exists(dir .. "/out/loop.csv"), "no complete-looking file")
  local kept = T.slurp(dir .. "/out/loop.csv.incomplete")
  T.truthy(kept and kept:sub(1, 4) == "i\n1\n", "rows kept")
end)

T.test("a symbolic link to a regular file: the file is replaced whole, or kept aside", function()
  local d = T.tmpdir()
  T.write(d .. "/real.csv", "old,data\n")
  os.execute("mkdir -p " .. T.quote(d .. "/o") .. " && ln -s ../real.csv " .. T.quote(d .. "/o/a.csv"))
  T.write(d .. "/f.lua", 'local w = csv.writer("a.csv", { "x" })\nw:row(1)\nerror("boom")\n')
  local st = T.sh(T.quote(T.luagrad) .. " --out " .. T.quote(d .. "/o") .. " " .. T.quote(d .. "/f.lua"))
  T.eq(st, 1, "the failing run")
  T.eq(T.slurp(d .. "/real.csv"), "old,data\n", "the file the link points to is untouched")
  T.eq(T.slurp(d .. "/real.csv.incomplete"), "x\n1\n", "the rows kept aside, beside it")
  T.write(d .. "/g.lua", 'local w = csv.writer("a.csv", { "x" })\nw:row(2)\n')
  st = T.sh(T.quote(T.luagrad) .. " --out " .. T.quote(d .. "/o") .. " " .. T.quote(d .. "/g.lua"))
  T.eq(st, 0, "the good run")
  T.eq(T.slurp(d .. "/o/a.csv"), "x\n2\n", "read through the link: the new file")
  T.eq(T.slurp(d .. "/real.csv"), "x\n2\n", "the target replaced")
end)

T.test("/dev/stdout: written in place, in order with print", function()
  local st, so = run_script([[
print("before")
local w = csv.writer("/dev/stdout", {"a", "b"})
w:row(1, "x,y")
print("between")
w:row(2, 3)
w:close()
print("after")
]])
  T.eq(st, 0, "status")
  T.eq(so, 'before\na,b\n1,"x,y"\nbetween\n2,3\nafter\n', "stdout")
end)

-- ---- reader -------------------------------------------------------------------

local function file(text)
  local p = T.tmpdir() .. "/t.csv"
  T.write(p, text)
  return p
end

T.test("read: columns, names in order, numeric columns as tensors, text as lists", function()
  local p = file("epoch,name,loss\n1,a,0.5\n2,b,0.25\n")
  local cols, names = csv.read(p)
  T.eq(table.concat(names, "|"), "epoch|name|loss", "names")
  T.truthy(tensor.is(cols.epoch) and tensor.is(cols.loss), "tensors")
  T.eq(tostring(cols.loss), "tensor{0.5, 0.25}", "loss")
  T.eq(type(cols.name), "table", "text column")
  T.eq(#cols.name, 2, "#name")
  T.eq(cols.name[2], "b", "name[2]")
end)

T.test("read: quoting, embedded commas and newlines, CRLF, BOM, blank trailing lines", function()
  local p = file('\239\187\191x,label\r\n1,"a, b"\r\n2,"say ""hi""\r\nnext line"\r\n3,plain\r\n\r\n\r\n')
  local cols, names = csv.read(p)
  T.eq(names[1], "x", "the BOM is not part of the first name")
  T.eq(tostring(cols.x), "tensor{1, 2, 3}", "x")
  T.eq(cols.label[1], "a, b", "comma")
  T.eq(cols.label[2], 'say "hi"\r\nnext line', "quote and line break kept as written")
  T.eq(cols.label[3], "plain", "CRLF stripped")
end)

T.test("read: the last line without a newline; lone CR line ends", function()
  local cols = csv.read(file("a,b\n1,2"))
  T.eq(cols.b[1], 2.0, "no final newline")
  cols = csv.read(file("a,b\r1,2\r3,4\r"))
  T.eq(tostring(cols.a), "tensor{1, 3}", "CR line ends")
end)

T.test("read: comment lines, header = false, sep", function()
  local p = file("# written by hand\nw,loss\n# a note\n1,2\n3,4\n")
  local cols, names = csv.read(p, { comment = "#" })
  T.eq(#names, 2, "names")
  T.eq(tostring(cols.loss), "tensor{2, 4}", "comments skipped")
  -- without the option, "# written by hand" is a header of one column; the
  -- message says how to skip it
  T.raises(function() csv.read(p) end, p .. ":2:3: expected 1 fields, found 2 (the first line "
    .. "starts with '#': read with comment = \"#\" to skip comment lines)")
  -- no such hint when the first line is an ordinary header
  local plain = T.raises(function() csv.read(file("a\n1,2\n")) end, "expected 1 fields, found 2")
  T.truthy(not plain:find("comment", 1, true), "no hint: " .. plain)
  cols, names = csv.read(file("1,2\n3,4\n"), { header = false })
  T.eq(table.concat(names, ","), "1,2", "columns named 1, 2")
  T.eq(tostring(cols["2"]), "tensor{2, 4}", "column 2")
  cols = csv.read(file("a;b\n1,5;x\n"), { sep = ";" })
  T.eq(cols.a[1], "1,5", "with sep ';' a comma is text")
  T.eq(cols.b[1], "x")
  cols = csv.read(file("a\tb\n1\t2\n"), { sep = "\t" })
  T.eq(cols.b[1], 2.0, "tab-separated")
end)

T.test("read: the first non-empty value decides; empty numbers are nan", function()
  local cols = csv.read(file("a,b,c,d\n,x,,1\n2,,,\n3,y,,\n"))
  T.truthy(tensor.is(cols.a), "a is numeric")
  T.truthy(cols.a[1] ~= cols.a[1], "a[1] (empty) is nan")
  T.eq(cols.a[3], 3.0, "a[3]")
  T.eq(type(cols.b), "table", "b is text")
  T.eq(cols.b[2], "", "empty text stays empty")
  T.truthy(tensor.is(cols.c) and #cols.c == 3 and cols.c[1] ~= cols.c[1], "all-empty: nan numbers")
  T.eq(cols.d[1], 1.0, "d[1]")
  T.truthy(cols.d[2] ~= cols.d[2], "d[2] nan")
  cols = csv.read(file("x,y\n inf , -inf\nNaN,1e3\n"))
  T.eq(cols.x[1], math.huge, "inf with spaces")
  T.eq(cols.y[1], -math.huge, "-inf")
  T.truthy(cols.x[2] ~= cols.x[2], "NaN")
  T.eq(cols.y[2], 1000.0, "1e3")
  cols = csv.read(file("id\n0x10\n"))
  T.eq(cols.id[1], "0x10", "hex is text, not a number")
  cols = csv.read(file('q,t\n"1.5",x\n2,1\n'))
  T.eq(tostring(cols.q), "tensor{1.5, 2}", "a quoted field counts by its content")
  T.eq(cols.t[1], "x", "t is text: its first value decided")
  T.eq(cols.t[2], "1", "so a number in a text column stays text")
end)

T.test("read: a header and no rows gives empty tensors", function()
  local cols, names = csv.read(file("a,b\n"))
  T.eq(#names, 2, "names")
  T.truthy(tensor.is(cols.a) and #cols.a == 0, "empty tensor")
end)

T.test("rows: one table per row, numbers for numeric columns", function()
  local rows = csv.rows(file("epoch,name,loss\n1,a,0.5\n2,\"b,c\",0.25\n"))
  T.eq(#rows, 2, "#rows")
  T.eq(rows[2].epoch, 2.0, "epoch")
  T.eq(math.type(rows[2].epoch), "float", "numbers are floats, as in a tensor")
  T.eq(rows[2].name, "b,c", "name")
  T.eq(rows[1].loss, 0.5, "loss")
  rows = csv.rows(file("1,x\n"), { header = false })
  T.eq(rows[1]["1"], 1.0, "header = false")
  T.eq(rows[1]["2"], "x")
end)

T.test("a 100,000-row file reads back whole", function()
  local w = csv.writer("big.csv", { "i", "half", "tag" })
  for i = 1, 100000 do w:row(i, i * 0.5, i % 2 == 0 and "even" or "odd") end
  w:close()
  local cols = csv.read(out .. "/big.csv")
  T.eq(#cols.i, 100000, "rows")
  -- 1 + 2 + ... + n = n(n+1)/2 = 5000050000, exact in doubles
  T.eq(cols.i:sum(), 5000050000.0, "sum of i")
  T.eq(cols.half:sum(), 2500025000.0, "sum of i/2")
  T.eq(cols.tag[99999], "odd", "tag")
  T.eq(cols.half[100000], 50000.0, "last")
end)

-- ---- reader: errors -------------------------------------------------------------

T.test("read errors name path:line:column and what was wrong", function()
  local p = file("a,b,c\n1,2,3\n4,5\n")
  T.raises(function() csv.read(p) end, "csv.read: " .. p .. ":3:4: expected 3 fields, found 2")
  p = file("a,b\n1,2\n3,4,5\n")
  T.raises(function() csv.read(p) end, p .. ":3:5: expected 2 fields, found 3")
  p = file('a,b\n1,2\n3,"open\n4,5\n')
  T.raises(function() csv.read(p) end,
    p .. ":3:3: unterminated quoted field: the quote opened here is never closed")
  p = file('a,b\n1,"x"y\n')
  T.raises(function() csv.read(p) end, p .. ":2:6: unexpected 'y' after the closing quote")
  -- text after numbers: the column is text (test_csv_roundtrip.lua); through
  -- a pipe, which cannot be read twice, an error says how to read it
  p = file("w,loss\n1,0.5\n2,0.25\n3,lots\n")
  local reader = T.folder{ ["r.lua"] = 'csv.read("/dev/stdin")\n' }
  local _, _, err = T.sh("cat " .. T.quote(p) .. " | " .. T.quote(T.exe) .. " --out "
    .. T.quote(reader .. "/o") .. " " .. T.quote(reader .. "/r.lua"))
  T.contains(err, "csv.read: /dev/stdin:4:3: 'lots' is not a number, but column 'loss' is numeric "
    .. "(its first value, on line 2, is a number) and the file cannot be read twice (read it "
    .. "with text = {\"loss\"})")
  p = file("")
  T.raises(function() csv.read(p) end, "csv.read: " .. p .. ":1:1: the file is empty (expected a header line)")
  p = file("# only\n\n")
  T.raises(function() csv.read(p, { comment = "#" }) end,
    p .. ":3:1: no header line: the file holds only blank lines and comments")
  p = file("a,b,a\n")
  T.raises(function() csv.read(p) end, p .. ":1:5: column name 'a' appears twice (columns 1 and 3)")
  local rows = csv.rows(file("a\n1\nx\n"))
  T.eq(rows[1].a, "1", "a column with text is text")
  -- not CSV at all: NUL bytes (/dev/zero would grow without end)
  T.raises(function() csv.read("/dev/zero") end, "csv.read: /dev/zero: holds a NUL byte, so it is not a CSV text file")
  T.raises(function() csv.read(file("a\n1\0002\n")) end, "holds a NUL byte")
end)

T.test("read: a missing file, a folder", function()
  T.raises(function() csv.read("x.csv") end, "csv.read: cannot open 'x.csv': No such file or directory")
  local d = T.tmpdir()
  T.raises(function() csv.read(d) end, "csv.read: cannot read '" .. d .. "': Is a directory")
end)

T.test("read: paths are relative to the current folder, not the output folder", function()
  csv.writer("here.csv", { "x" }):close()
  T.raises(function() csv.read("here.csv") end, "cannot open 'here.csv'")
  T.eq(#csv.read(out .. "/here.csv").x, 0, "found with the output folder in the path")
end)

T.test("read options are checked", function()
  local p = file("a\n1\n")
  T.raises(function() csv.read(p, 5) end, "csv.read: options must be a table, got number")
  T.raises(function() csv.read(p, { commnet = "#" }) end,
    "csv.read: unknown option 'commnet' (the options are comment, header, sep, text)")
  T.raises(function() csv.read(p, { comment = "" }) end, "csv.read: comment must be a non-empty string")
  T.raises(function() csv.read(p, { header = "no" }) end, "csv.read: header must be true or false, got string")
  T.raises(function() csv.read(p, { sep = ";;" }) end, "csv.read: sep must be one character", "got ';;'")
  T.raises(function() csv.read(p, { sep = '"' }) end, "sep must be one character other than a quote")
  T.raises(function() csv.rows(p, { bad = 1 }) end, "csv.rows: unknown option 'bad'")
end)

T.done()
