-- test_plot.lua: plot.line, plot.surface, plot.heatmap (lua/luagrad/plot.lua)
-- with gnuplot (gnuplot-nox), without it, and with a gnuplot that fails.
-- Without gnuplot on PATH, the tests that draw check the documented
-- behaviour instead (the CSV and .gp written, no picture), and the ones that
-- need gnuplot itself are skipped.
local T = dofile("tests/check.lua")
local exists = T.exists
local sys = require("luagrad.sys")

local out = luagrad.out
local no_gnuplot = T.missing{ "gnuplot" }

-- The width and height a PNG file says it has, or nil and why not. A PNG
-- starts with the 8-byte signature, then the IHDR chunk: length (4 bytes),
-- "IHDR", width and height as 4-byte big-endian numbers.
local function png_size(path)
  local s = T.slurp(path)
  if not s then return nil, "no file" end
  if s:sub(1, 8) ~= "\137PNG\r\n\26\n" then return nil, "no PNG signature" end
  if s:sub(13, 16) ~= "IHDR" then return nil, "no IHDR chunk first" end
  return string.unpack(">I4", s, 17), string.unpack(">I4", s, 21)
end

local function check_png(path, w, h)
  local pw, ph = png_size(path)
  T.eq(pw, w, path .. " width")
  T.eq(ph, h, path .. " height")
end

-- What a plot call returned as its picture: with gnuplot, the PNG at path of
-- w x h pixels; without, nil and no PNG file.
local function check_picture(png, path, w, h)
  if no_gnuplot then
    T.eq(png, nil, "the picture without gnuplot")
    T.truthy(not exists(path), "no " .. path .. " without gnuplot")
  else
    T.eq(png, path, "picture path")
    check_png(path, w, h)
  end
end

-- MSE of y = w*x + b on x = {1, 2, 3}, y = {2, 4, 6}.
local function mse(w, b)
  local s = 0
  for x = 1, 3 do s = s + (w * x + b - 2 * x) ^ 2 end
  return s / 3
end

local function write_grid(name, nw, nb, skip)
  local w = csv.writer(name, { "w", "b", "mse" })
  -- rows in a scrambled order: b downwards, w upwards
  for j = nb, 1, -1 do
    for i = 1, nw do
      if not (skip and skip(i, j)) then
        local wv, bv = -1 + (i - 1) * 0.25, -3 + (j - 1) * 0.5
        w:row(wv, bv, mse(wv, bv))
      end
    end
  end
  w:close()
end

local function run_script(code, args, env)
  local dir = T.tmpdir()
  T.write(dir .. "/s.lua", code)
  local words = { env or "", T.quote(T.luagrad) }
  for _, a in ipairs(args or {}) do words[#words + 1] = T.quote(a) end
  words[#words + 1] = "--out " .. T.quote(dir .. "/out") .. " " .. T.quote(dir .. "/s.lua")
  local st, so, se = T.sh(table.concat(words, " "))
  return st, so, se, dir .. "/out"
end

if no_gnuplot then
  T.skip("the PNG checks of the plot tests below (they check that no PNG is drawn instead)",
    no_gnuplot)
end

T.test("line: NAME.gp beside the CSV and a PNG of the default size", function()
  local w = csv.writer("w_scan.csv", { "w", "mse" })
  for i = 0, 40 do
    local wv = -1 + i * 0.125
    w:row(wv, mse(wv, 0))
  end
  w:close()
  local png, gp = plot.line{ csv = "w_scan.csv", x = "w", y = "mse" }
  T.eq(gp, out .. "/w_scan.gp", "script path")
  local script = T.slurp(gp)
  T.contains(script, "set title 'mse against w'", "set xlabel 'w'", "set ylabel 'mse'",
    "here.'w_scan.csv' using 1:2", "pngcairo size 800,600")
  check_picture(png, out .. "/w_scan.png", 800, 600)
  local recorded = table.concat(sys.outputs(), "\n")
  T.contains(recorded, out .. "/w_scan.gp")
  if not no_gnuplot then T.contains(recorded, out .. "/w_scan.png") end
end)

T.test("line: several y columns, size, name, labels, logy", function()
  local w = csv.writer("sgd.csv", { "epoch", "loss", "w" })
  for e = 1, 60 do w:row(e, 10 * math.exp(-e / 10), 2 - 2 * math.exp(-e / 20)) end
  w:close()
  local png, gp = plot.line{ csv = "sgd.csv", x = "epoch", y = { "loss", "w" }, size = { 640, 480 },
    name = "sgd_log", title = "SGD on y = 2x", xlabel = "epoch (pass)", ylabel = "value", logy = true }
  check_picture(png, out .. "/sgd_log.png", 640, 480)
  T.contains(T.slurp(gp), "set logscale y", "set title 'SGD on y = 2x'", "set xlabel 'epoch (pass)'",
    "title 'loss'", "title 'w'", "using 1:2", "using 1:3")
end)

T.test("line: logx for a parameter spanning decades; logx and logy must be booleans", function()
  local w = csv.writer("lr.csv", { "lr", "loss" })
  for _, lr in ipairs({ 0.001, 0.01, 0.1, 1 }) do w:row(lr, 1 / (1 + 100 * lr)) end
  w:close()
  local png, gp = plot.line{ csv = "lr.csv", x = "lr", y = "loss", logx = true }
  check_picture(png, out .. "/lr.png", 800, 600)
  T.contains(T.slurp(gp), "set logscale x")
  T.truthy(not T.slurp(gp):find("set logscale y", 1, true), "no log y unless asked")
  T.raises(function() plot.line{ csv = "lr.csv", x = "lr", y = "loss", logx = "yes" } end,
    "plot.line", "logx must be true or false, got string")
end)

T.needs({ "gnuplot" }, "the script redraws the PNG by hand, from any folder", function()
  os.remove(out .. "/w_scan.png")
  -- luagrad.out is relative when the file runs by hand without --out
  local gp = out:sub(1, 1) == "/" and out .. "/w_scan.gp" or sys.cwd() .. "/" .. out .. "/w_scan.gp"
  local st, _, se = T.sh("cd / && gnuplot " .. T.quote(gp))
  T.eq(st, 0, "gnuplot status (" .. tostring(se) .. ")")
  check_png(out .. "/w_scan.png", 800, 600)
  local dir, base = out:match("^(.*)/([^/]*)$")
  os.remove(out .. "/w_scan.png")
  st = T.sh("cd " .. T.quote(out) .. " && gnuplot w_scan.gp")
  T.eq(st, 0, "from its own folder")
  check_png(out .. "/w_scan.png", 800, 600)
  T.truthy(dir and base)
end)

T.test("surface and heatmap of a full grid given in any order", function()
  write_grid("wb_scan.csv", 9, 7)
  local png, gp = plot.surface{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse" }
  check_picture(png, out .. "/wb_scan.png", 800, 600)
  local script = T.slurp(gp)
  T.contains(script, "with pm3d", "set colorbox", "set zlabel 'mse'", "set title 'mse over w and b'")
  -- the data block is sorted: w outer, b inner, a blank line between scans;
  -- first point (w=-1, b=-3): mse = ((-1-2)x - 3)^2 averaged = (36+81+144)/3 = 87
  T.contains(script, "$grid << EOD\n# w b mse\n-1 -3 87\n-1 -2.5 ")
  T.contains(script, "\n\n-0.75 -3 ")
  png, gp = plot.heatmap{ csv = "wb_scan.csv", x = "w", y = "b", z = "mse", size = { 500, 400 } }
  check_picture(png, out .. "/wb_scan_heatmap.png", 500, 400)
  -- The grid spans w in [-1, 1], b in [-3, 0]. With u = w - 2 in [-3, -1],
  -- mse = ((u+b)^2 + (2u+b)^2 + (3u+b)^2) / 3; for fixed u the best b is
  -- -2u >= 2, outside the grid, so b = 0 and mse = 14u^2/3, lowest at u = -1:
  -- the lowest grid point is w = 1, b = 0.
  T.contains(T.slurp(gp), "set view map", "set contour base", 'set label 1 "min" at 1, 0, ')
end)

T.test("heatmap with cells: one labelled square per grid point, no contours", function()
  -- a 3 x 2 grid of counts: x = 0, 1, 2 (half step 0.5), y = 10, 20 (half step 5)
  local w = csv.writer("counts.csv", { "x", "y", "n" })
  for x = 0, 2 do for y = 10, 20, 10 do w:row(x, y, x * 10 + y) end end
  w:close()
  local png, gp = plot.heatmap{ csv = "counts.csv", x = "x", y = "y", z = "n", cells = true }
  check_picture(png, out .. "/counts_heatmap.png", 800, 600)
  local script = T.slurp(gp)
  T.contains(script, "set xrange [-0.5:2.5]", "set yrange [5:25]", "with image", "with labels",
    "$grid << EOD\n# x y n\n0 10 10\n0 20 20\n\n1 10 20\n")
  T.truthy(not script:find("contour", 1, true), "no contour lines")
  T.raises(function() plot.heatmap{ csv = "counts.csv", x = "x", y = "y", z = "n", cells = 1 } end,
    "plot.heatmap: cells must be true or false, got number")
  T.raises(function() plot.surface{ csv = "counts.csv", x = "x", y = "y", z = "n", cells = true } end,
    "plot.surface: unknown option 'cells'")
end)

T.test("grid errors: missing and repeated points, too few values", function()
  write_grid("holey.csv", 4, 3, function(i, j) return i == 2 and j == 3 end)
  T.raises(function() plot.surface{ csv = "holey.csv", x = "w", y = "b", z = "mse" } end,
    "plot.surface: " .. out .. "/holey.csv is not a full grid: 4 values of w times 3 of b make "
    .. "12 points, but it has 11 rows; (w=-0.75, b=-2) is missing")
  local w = csv.writer("dup.csv", { "w", "b", "mse" })
  w:row(1, 1, 0); w:row(1, 2, 0); w:row(2, 1, 0); w:row(1, 1, 5)
  w:close()
  T.raises(function() plot.heatmap{ csv = "dup.csv", x = "w", y = "b", z = "mse" } end,
    "plot.heatmap: " .. out .. "/dup.csv is not a full grid: (w=1, b=1) appears twice (lines 2 and 5)")
  w = csv.writer("thin.csv", { "w", "b", "mse" })
  w:row(1, 1, 0); w:row(1, 2, 0)
  w:close()
  T.raises(function() plot.surface{ csv = "thin.csv", x = "w", y = "b", z = "mse" } end,
    "a surface needs at least 2 values of w and 2 of b, it has 1 and 2")
end)

T.test("option and column errors", function()
  T.raises(function() plot.line{ csv = "w_scan.csv", x = "w", y = "loss" } end,
    "plot.line: " .. out .. "/w_scan.csv has no column 'loss' (its columns: w, mse)")
  T.raises(function() plot.line{ csv = "w_scan.csv", x = "w", y = "mse", colour = "red" } end,
    "plot.line: unknown option 'colour' (the options are csv, x, y, title")
  T.raises(function() plot.line{ csv = "w_scan.csv", x = "w", y = "mse", size = { 0, 10 } } end,
    "plot.line: size must be {width, height} in pixels")
  T.raises(function() plot.line{ x = "w", y = "mse" } end, "plot.line: csv must be the name of a CSV file")
  T.raises(function() plot.line("w_scan.csv") end, "plot.line: expected a table of options")
  T.raises(function() plot.line{ csv = "w_scan.csv", x = "w", y = "mse", name = "a/b" } end,
    "plot.line: name must be a file name without '/'")
  T.raises(function() plot.line{ csv = "nope.csv", x = "w", y = "mse" } end,
    "plot.line: cannot open '" .. out .. "/nope.csv': No such file or directory")
  local w = csv.writer("texty.csv", { "w", "who" })
  w:row(1, "me")
  w:close()
  T.raises(function() plot.line{ csv = "texty.csv", x = "w", y = "who" } end,
    "plot.line: column 'who' of " .. out .. "/texty.csv holds text, not numbers")
  csv.writer("empty.csv", { "w", "mse" }):close()
  T.raises(function() plot.line{ csv = "empty.csv", x = "w", y = "mse" } end, "empty.csv has no rows to plot")
  T.raises(function() plot.surface{ csv = "wb_scan.csv", x = "w", y = "b" } end,
    "plot.surface: z must be a column name (a string), got nil")
end)

T.test("a writer still open is committed first when its CSV is plotted", function()
  local log <close> = csv.writer("open.csv", { "epoch", "loss" })
  for e = 1, 10 do log:row(e, 1 / e) end
  local png = plot.line{ csv = "open.csv", x = "epoch", y = "loss" }
  T.eq(T.slurp(out .. "/open.csv"):sub(1, 17), "epoch,loss\n1,1\n2,", "committed")
  check_picture(png, out .. "/open.png", 800, 600)
  T.raises(function() log:row(11, 0) end, "is closed")
end)

-- ---- modes, and gnuplot missing or failing (separate runs) ----------------------

local SCRIPT = [[
local w <close> = csv.writer("sgd.csv", {"epoch", "loss"})
for e = 1, 20 do w:row(e, 10 / e) end
print(plot.line{csv = "sgd.csv", x = "epoch", y = "loss", title = "loss by epoch"})
print(plot.line{csv = "sgd.csv", x = "epoch", y = "loss", name = "again"})
]]

T.needs({ "gnuplot" }, "--plot=term draws in the terminal (stdout), no PNG", function()
  local st, so, se, o = run_script(SCRIPT, { "--plot", "term" })
  T.eq(st, 0, "status (" .. tostring(se) .. ")")
  T.contains(so, "loss by epoch", "epoch", "*")
  T.truthy(select(2, so:gsub("\n", "")) > 30, "a picture of many lines")
  T.truthy(exists(o .. "/sgd.gp"), ".gp written")
  T.truthy(not exists(o .. "/sgd.png"), "no PNG")
end)

T.test("--plot=none writes the script only", function()
  local st, _, se, o = run_script(SCRIPT, { "--plot", "none" })
  T.eq(st, 0, "status")
  T.eq(se, "", "nothing on stderr")
  T.truthy(exists(o .. "/sgd.gp") and exists(o .. "/sgd.csv"), "gp and csv")
  T.truthy(not exists(o .. "/sgd.png"), "no PNG")
end)

T.test("without gnuplot on PATH: CSV and .gp written, one hint line, success", function()
  local empty = T.tmpdir()
  local st, so, se, o = run_script(SCRIPT, {}, "env PATH=" .. T.quote(empty))
  T.eq(st, 0, "status")
  T.truthy(exists(o .. "/sgd.csv") and exists(o .. "/sgd.gp") and exists(o .. "/again.gp"), "files")
  T.truthy(not exists(o .. "/sgd.png"), "no PNG")
  T.eq(select(2, se:gsub("\n", "")), 1, "one line on stderr for two plots")
  T.contains(se, "gnuplot not found", "sudo apt-get install gnuplot-nox", "gnuplot " .. o .. "/sgd.gp")
  T.contains(so, "nil\t" .. o .. "/sgd.gp")  -- no picture: nil
  st, _, se = run_script(SCRIPT, { "-q" }, "env PATH=" .. T.quote(empty))
  T.eq(st, 0, "status with -q")
  T.eq(se, "", "silent with -q")
end)

T.test("a gnuplot that fails: a Lua error with gnuplot's message; the old PNG stays", function()
  local bin = T.tmpdir()
  -- a stand-in gnuplot that starts the picture, then fails like gnuplot does
  T.write(bin .. "/gnuplot", '#!/bin/sh\nfor a; do gp=$a; done\n'
    .. 'echo half > "$(dirname "$gp")/sgd.png.tmp"\n'
    .. 'echo "\\"$gp\\" line 9: unknown thing" >&2\nexit 1\n')
  os.execute("chmod +x " .. T.quote(bin .. "/gnuplot"))
  local dir = T.tmpdir()
  os.execute("mkdir -p " .. T.quote(dir .. "/out"))
  T.write(dir .. "/out/sgd.png", "the picture of an earlier run")
  T.write(dir .. "/s.lua", SCRIPT)
  local st, _, se = T.sh("env PATH=" .. T.quote(bin) .. ":/usr/bin:/bin " .. T.quote(T.luagrad)
    .. " --out " .. T.quote(dir .. "/out") .. " " .. T.quote(dir .. "/s.lua"))
  local o = dir .. "/out"
  T.eq(st, 1, "status")
  T.contains(se, "s.lua:3: plot.line: gnuplot failed on " .. o .. "/sgd.gp:\n",
    o .. '/sgd.gp" line 9: unknown thing')
  T.truthy(exists(o .. "/sgd.csv") and exists(o .. "/sgd.gp"), "csv and gp still there")
  T.eq(T.slurp(o .. "/sgd.png"), "the picture of an earlier run", "earlier PNG untouched")
  T.truthy(not exists(o .. "/sgd.png.tmp"), "no half picture left")
end)

T.done()
