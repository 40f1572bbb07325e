-- luagrad.plot: pictures of CSV files, drawn by gnuplot (the global `plot`).
--
--   plot.line{csv = "w_scan.csv", x = "w", y = "mse"}       y may be a list
--   plot.surface{csv = "wb_scan.csv", x = "w", y = "b", z = "mse"}
--   plot.heatmap{csv = "wb_scan.csv", x = "w", y = "b", z = "mse"}
--   plot.heatmap{..., cells = true}   one labelled square per grid point
--   plot.graph(l [, name])    the computational graph behind the tensor l
--                             (autograd): NAME.dot (default graph.dot) in the
--                             run's folder, and NAME.png with Graphviz's dot
--
-- Each call writes NAME.gp beside the CSV: a gnuplot script that finds its
-- files beside itself, so `gnuplot out/x/NAME.gp` redraws NAME.png from
-- anywhere, and a user can edit it. Then, by luagrad.plot_mode (--plot):
-- "png" runs gnuplot to write NAME.png, "term" draws in the terminal
-- (gnuplot's dumb terminal, on stdout), "none" stops at the script.
-- Without gnuplot the CSV and the script are still written and one line
-- says how to get the picture. Each call returns the PNG's path (nil when
-- none was drawn) and the script's path.
local run = require("luagrad.sys").info()  -- the run (the global luagrad is a copy)
local sys = require("luagrad.sys")
local csv = require("csv")
local tensor = require("tensor")

local M = {}

local OPTIONS = {
  line = { "csv", "x", "y", "title", "xlabel", "ylabel", "name", "size", "logx", "logy" },
  surface = { "csv", "x", "y", "z", "title", "xlabel", "ylabel", "zlabel", "name", "size" },
}
OPTIONS.heatmap = { "csv", "x", "y", "z", "title", "xlabel", "ylabel", "zlabel", "name", "size",
  "cells" }

-- Errors point at the script's line, not at luagrad's own files.
local fail = require("luagrad.fail")

-- A string as a gnuplot double-quoted string.
-- A string for gnuplot, in single quotes: gnuplot runs `command` inside
-- double-quoted strings, never inside single-quoted ones, so a title or a
-- column name cannot start a program. A newline becomes "\n" joined on.
local function quote(s)
  return "'" .. s:gsub("'", "''"):gsub("\n", "'.\"\\n\".'") .. "'"
end

-- A number as gnuplot reads it back exactly (shortest form); NaN for a
-- missing value, which gnuplot leaves out of the picture.
local function num(v)
  if v ~= v or v == math.huge or v == -math.huge then return "NaN" end
  if math.type(v) == "integer" then return tostring(v) end
  return (sys.numstr(v):gsub("%.0$", ""))  -- 2, not 2.0
end

local function check_options(fname, kind, o)
  if type(o) ~= "table" then
    fail(fname, "expected a table of options like {csv = \"a.csv\", x = \"w\", ...}, got %s", type(o))
  end
  local known = {}
  for _, k in ipairs(OPTIONS[kind]) do known[k] = true end
  for k in pairs(o) do
    if not known[k] then
      fail(fname, "unknown option '%s' (the options are %s)", tostring(k),
        table.concat(OPTIONS[kind], ", "))
    end
  end
  if type(o.csv) ~= "string" or o.csv == "" then
    fail(fname, "csv must be the name of a CSV file, got %s", type(o.csv))
  end
  for _, k in ipairs({ "title", "xlabel", "ylabel", "zlabel", "name" }) do
    if o[k] ~= nil and type(o[k]) ~= "string" then
      fail(fname, "%s must be a string, got %s", k, type(o[k]))
    end
  end
  if o.cells ~= nil and type(o.cells) ~= "boolean" then
    fail(fname, "cells must be true or false, got %s", type(o.cells))
  end
  if o.name and (o.name == "" or o.name:find("/", 1, true)) then
    fail(fname, "name must be a file name without '/', got '%s'", o.name)
  end
  local size = o.size or { 800, 600 }
  local w = type(size) == "table" and math.tointeger(size[1])
  local h = type(size) == "table" and math.tointeger(size[2])
  if not (w and h and w >= 16 and h >= 16 and w <= 20000 and h <= 20000) then
    fail(fname, "size must be {width, height} in pixels (16 to 20000), like {800, 600}")
  end
  size = { w, h }
  for _, key in ipairs({ "logx", "logy" }) do
    if o[key] ~= nil and type(o[key]) ~= "boolean" then
      fail(fname, "%s must be true or false, got %s", key, type(o[key]))
    end
  end
  return size
end

-- The CSV's columns, the open writer of it committed first. Returns the
-- resolved path, the columns, the names.
local function load(fname, o)
  local path = sys.resolve(o.csv)
  csv.close(o.csv)
  local ok, cols, names = pcall(csv.read, path)
  if not ok then
    fail(fname, "%s", (tostring(cols):gsub("^csv%.read: ", "")))
  end
  return path, cols, names
end

-- The numeric column `name` of the CSV (a tensor).
local function column(fname, path, cols, names, name, what)
  if type(name) ~= "string" then
    fail(fname, "%s must be a column name (a string), got %s", what, type(name))
  end
  local c = cols[name]
  if c == nil then
    fail(fname, "%s has no column '%s' (its columns: %s)", path, name, table.concat(names, ", "))
  end
  if not tensor.is(c) then
    fail(fname, "column '%s' of %s holds text, not numbers", name, path)
  end
  return c
end

local function index_of(names, name)
  for i, n in ipairs(names) do
    if n == name then return i end
  end
end

-- Where the files go: beside the CSV, named NAME.gp and NAME.png.
local function targets(path, o, default_suffix)
  local dir, base = path:match("^(.*/)([^/]*)$")
  if not dir then dir, base = "", path end
  local name = o.name or (base:gsub("%.[cC][sS][vV]$", "") .. (default_suffix or ""))
  return dir, name, base
end

-- The part of every script that says where its files are and what it
-- draws on.
local function preamble(name, what, size, base)
  return table.concat({
    string.format("# %s.gp: %s, from %s. Written by luagrad.", name, what, base),
    string.format("# Redraw %s.png with   gnuplot %s.gp   (from any folder), or draw it in", name, name),
    string.format("# the terminal with   gnuplot -e 'draw_in_terminal=1' %s.gp", name),
    "",
    "# The data and the picture sit beside this script, wherever it is run from.",
    "here = \"./\"",  -- never \"\": a data file named <cmd would be a pipe
    "if (exists(\"ARG0\")) { i = strlen(ARG0); while (i > 0 && ARG0[i:i] ne \"/\") { i = i - 1 }; "
      .. "if (i > 0) { here = ARG0[1:i] } }",
    "if (exists(\"draw_in_terminal\") && draw_in_terminal) {",
    "  set terminal dumb size 100,32",
    "} else {",
    string.format("  set terminal pngcairo size %d,%d noenhanced font \"sans,11\"", size[1], size[2]),
    string.format("  set output here.(exists(\"png_file\") ? png_file : %s)", quote(name .. ".png")),
    "}",
    "",
  }, "\n")
end

-- The hint about gnuplot is said once per run.
local hinted = false

-- Draws the script by plot_mode. Returns the PNG's path or nil.
local function draw(fname, dir, name, script)
  local gp = dir .. name .. ".gp"
  local f, why = io.open(gp, "w")
  if not f then fail(fname, "cannot write '%s': %s", gp, why) end
  local ok, werr = f:write(script)
  local closed, cerr = f:close()
  if not ok or not closed then fail(fname, "cannot write '%s': %s", gp, werr or cerr) end
  sys.record(gp)

  local mode = run.plot_mode or "png"
  if mode == "none" then return nil, gp end
  local gnuplot = sys.which("gnuplot")
  if not gnuplot then
    if not hinted and not run.quiet then
      hinted = true
      local cmd = gp:find("[^%w%./_%-]") and ("'" .. gp:gsub("'", "'\\''") .. "'") or gp
      io.stderr:write("luagrad: gnuplot not found, so no PNG was drawn; install it with "
        .. "sudo apt-get install gnuplot-nox, then draw with: gnuplot " .. cmd .. "\n")
    end
    return nil, gp
  end

  -- The PNG is drawn under a temporary name and renamed when gnuplot
  -- succeeds: a failed plot never leaves half a picture, nor destroys the
  -- picture of an earlier run.
  local png = dir .. name .. ".png"
  local tmp = name .. ".png.tmp"
  os.remove(dir .. tmp)  -- a planted link there is removed, not followed
  local argv = { gnuplot, "-e", "png_file = " .. quote(tmp), gp }
  if mode == "term" then
    argv = { gnuplot, "-e", "draw_in_terminal = 1", gp }
    io.stdout:flush()
  end
  local code, err = sys.run(argv)
  err = (err or ""):gsub("^%s+", ""):gsub("%s+$", "")
  if code ~= 0 then
    os.remove(dir .. tmp)
    if code == nil then fail(fname, "gnuplot did not finish on %s: %s", gp, err) end
    fail(fname, "gnuplot failed on %s:\n%s", gp, err)
  end
  if err ~= "" and not run.quiet then
    io.stderr:write("luagrad: gnuplot (", gp, "): ", err, "\n")
  end
  if mode == "term" then return nil, gp end
  local renamed, why = os.rename(dir .. tmp, png)
  if not renamed then fail(fname, "gnuplot wrote no picture for %s: %s", gp, why) end
  sys.record(png)
  return png, gp
end

-- ---- line ------------------------------------------------------------------

function M.line(o)
  local fname = "plot.line"
  local size = check_options(fname, "line", o)
  local path, cols, names = load(fname, o)
  local ys = type(o.y) == "table" and o.y or { o.y }
  if #ys == 0 then fail(fname, "y must be a column name or a list of them, got an empty list") end
  local xcol = column(fname, path, cols, names, o.x, "x")
  for _, y in ipairs(ys) do column(fname, path, cols, names, y, "y") end
  local n = #xcol
  if n == 0 then fail(fname, "%s has no rows to plot", path) end

  local dir, name, base = targets(path, o)
  local what = table.concat(ys, ", ") .. " against " .. o.x
  local style = n <= 40 and "linespoints pt 7 ps 0.8 lw 2" or "lines lw 2"
  local lines = {
    preamble(name, what, size, base),
    "set datafile separator comma",
    "set title " .. quote(o.title or what),
    "set xlabel " .. quote(o.xlabel or o.x),
    "set ylabel " .. quote(o.ylabel or (#ys == 1 and ys[1] or "")),
    "set grid",
    "set border 3",
    "set tics nomirror",
    #ys > 1 and "set key top right" or "unset key",
  }
  if o.logx then lines[#lines + 1] = "set logscale x" end
  if o.logy then lines[#lines + 1] = "set logscale y" end
  local parts = {}
  for i, y in ipairs(ys) do
    parts[i] = string.format("%s using %d:%d skip 1 with %s title %s",
      i == 1 and "here." .. quote(base) or "''", index_of(names, o.x), index_of(names, y),
      style, quote(y))
  end
  lines[#lines + 1] = "plot " .. table.concat(parts, ", \\\n     ")
  return draw(fname, dir, name, table.concat(lines, "\n") .. "\n")
end

-- ---- surface and heatmap ---------------------------------------------------

-- The rows of the CSV as a full grid: sorted x values, sorted y values, and
-- z[(i - 1) * ny + j] at (x[i], y[j]).
local function grid(fname, path, o, cols, names)
  local xt = column(fname, path, cols, names, o.x, "x"):totable()
  local yt = column(fname, path, cols, names, o.y, "y"):totable()
  local zt = column(fname, path, cols, names, o.z, "z"):totable()
  local n = #xt
  local function distinct(t, what)
    local seen, list = {}, {}
    for i = 1, n do
      local v = t[i]
      if v ~= v or v == math.huge or v == -math.huge then
        fail(fname, "%s: %s = %s on line %d: grid coordinates must be finite", path, what,
          tostring(v), i + 1)
      end
      if not seen[v] then
        seen[v] = true
        list[#list + 1] = v
      end
    end
    table.sort(list)
    local at = {}
    for i, v in ipairs(list) do at[v] = i end
    return list, at
  end
  local xs, xat = distinct(xt, o.x)
  local ys, yat = distinct(yt, o.y)
  local nx, ny = #xs, #ys
  if nx < 2 or ny < 2 then
    fail(fname, "%s is not a grid: a surface needs at least 2 values of %s and 2 of %s, "
      .. "it has %d and %d", path, o.x, o.y, nx, ny)
  end
  local z, line_of = {}, {}
  for i = 1, n do
    local k = (xat[xt[i]] - 1) * ny + yat[yt[i]]
    if line_of[k] then
      fail(fname, "%s is not a full grid: (%s=%s, %s=%s) appears twice (lines %d and %d)",
        path, o.x, num(xt[i]), o.y, num(yt[i]), line_of[k], i + 1)
    end
    line_of[k] = i + 1
    z[k] = zt[i]
  end
  if n ~= nx * ny then
    for i = 1, nx do
      for j = 1, ny do
        if not line_of[(i - 1) * ny + j] then
          fail(fname, "%s is not a full grid: %d values of %s times %d of %s make %d points, "
            .. "but it has %d rows; (%s=%s, %s=%s) is missing", path, nx, o.x, ny, o.y, nx * ny,
            n, o.x, num(xs[i]), o.y, num(ys[j]))
        end
      end
    end
  end
  return xs, ys, z
end

-- The grid as a gnuplot data block: one scan of y per x, blank lines between.
local function datablock(o, xs, ys, z)
  local out = { "$grid << EOD", string.format("# %s %s %s", o.x, o.y, o.z) }
  local ny = #ys
  for i, xv in ipairs(xs) do
    local x = num(xv)
    for j, yv in ipairs(ys) do
      out[#out + 1] = x .. " " .. num(yv) .. " " .. num(z[(i - 1) * ny + j])
    end
    out[#out + 1] = ""
  end
  out[#out + 1] = "EOD"
  return table.concat(out, "\n")
end

-- A colour map that reads in grey too (dark = low, bright = high).
local PALETTE = 'set palette defined (0 "#440154", 1 "#3b528b", 2 "#21918c", '
  .. '3 "#5ec962", 4 "#fde725")'

-- Contour levels packed towards the lowest value (quadratic spacing), so
-- the valley of a loss, where the interesting part is, gets most of them.
local function contour_levels(z)
  local lo, hi = math.huge, -math.huge
  for _, v in pairs(z) do
    if v == v and v ~= math.huge and v ~= -math.huge then
      if v < lo then lo = v end
      if v > hi then hi = v end
    end
  end
  if not (hi > lo) then return "set cntrparam levels auto 10" end
  local levels = {}
  for k = 1, 12 do levels[k] = num(lo + (hi - lo) * (k / 13) ^ 2) end
  return "set cntrparam levels discrete " .. table.concat(levels, ",")
end

-- The grid point of the lowest finite z: {x, y, z} as text, or nil.
local function lowest_point(xs, ys, z)
  local best, at
  local ny = #ys
  for i = 1, #xs do
    for j = 1, ny do
      local v = z[(i - 1) * ny + j]
      if v == v and v ~= -math.huge and (not best or v < best) then
        best, at = v, { num(xs[i]), num(ys[j]), num(v) }
      end
    end
  end
  return at
end

local function grid_plot(kind, o)
  local fname = "plot." .. kind
  local size = check_options(fname, kind, o)
  for _, k in ipairs({ "x", "y", "z" }) do
    if type(o[k]) ~= "string" then
      fail(fname, "%s must be a column name (a string), got %s", k, type(o[k]))
    end
  end
  local path, cols, names = load(fname, o)
  local xs, ys, z = grid(fname, path, o, cols, names)
  local dir, name, base = targets(path, o, kind == "heatmap" and "_heatmap" or nil)
  local what = string.format("%s over %s and %s", o.z, o.x, o.y)
  local lines = {
    preamble(name, (kind == "heatmap" and "heat map of " or "surface of ") .. what, size, base),
    "# The rows of " .. base .. ", sorted into a grid.",
    datablock(o, xs, ys, z),
    "",
    "set title " .. quote(o.title or what),
    "set xlabel " .. quote(o.xlabel or o.x),
    "set ylabel " .. quote(o.ylabel or o.y),
    "set cblabel " .. quote(o.zlabel or o.z),
    PALETTE,
    "set colorbox",
    "unset key",
  }
  local function add(s) lines[#lines + 1] = s end
  if kind == "surface" then
    add("set zlabel " .. quote(o.zlabel or o.z) .. " rotate parallel")
    add("set view 55, 35")
    add("set xyplane 0")
    add("set pm3d depthorder")
    add("set grid")
    add("splot $grid using 1:2:3 with pm3d")
  elseif o.cells then
    -- one square per grid point, with its value written in it: for small
    -- grids of counts, such as a confusion matrix
    local function half_step(v) return (v[#v] - v[1]) / (#v - 1) / 2 end
    local hx, hy = half_step(xs), half_step(ys)
    add(string.format("set xrange [%s:%s]", num(xs[1] - hx), num(xs[#xs] + hx)))
    add(string.format("set yrange [%s:%s]", num(ys[1] - hy), num(ys[#ys] + hy)))
    add("set tics out")
    add("set xtics " .. num(2 * hx))
    add("set ytics " .. num(2 * hy))
    add("plot $grid using 1:2:3 with image, \\")
    add("     $grid using 1:2:(sprintf(\"%g\", $3)) with labels tc rgb \"white\"")
  else
    add("set view map")
    add(string.format("set xrange [%s:%s]", num(xs[1]), num(xs[#xs])))
    add(string.format("set yrange [%s:%s]", num(ys[1]), num(ys[#ys])))
    add("set contour base")
    add(contour_levels(z))
    add("set cntrlabel onecolor")
    add("set tics out")
    local lowest = lowest_point(xs, ys, z)
    if lowest then
      add(string.format("set label 1 \"min\" at %s, %s, %s front point pt 1 ps 2 lc rgb \"red\" "
        .. "offset 0.8, 0.8 tc rgb \"white\"", lowest[1], lowest[2], lowest[3]))
    end
    add("splot $grid using 1:2:3 with pm3d, \\")
    add("      $grid using 1:2:3 nosurface with lines lc rgb \"white\" lw 1")
  end
  return draw(fname, dir, name, table.concat(lines, "\n") .. "\n")
end

function M.surface(o) return grid_plot("surface", o) end
function M.heatmap(o) return grid_plot("heatmap", o) end

-- ---- graph -------------------------------------------------------------------

-- The hint about Graphviz is said once per run.
local dot_hinted = false

-- One box per operation (its name and output shape), one ellipse per leaf
-- (its shape; filled when it requires a gradient); arrows go from inputs
-- to the operation that used them, so the loss is at the bottom.
function M.graph(l, name)
  local fname = "plot.graph"
  if not tensor.is(l) then fail(fname, "expected a tensor (a loss), got %s", type(l)) end
  name = name or "graph"
  if type(name) ~= "string" or name == "" or name:find("/", 1, true) then
    fail(fname, "name must be a file name without '/', got %s", tostring(name))
  end
  local g = require("autograd").graph(l)
  local lines = { "// " .. name .. ".dot: a computational graph, written by luagrad.",
    "// Draw it with   dot -Tpng " .. name .. ".dot -o " .. name .. ".png",
    "digraph graph_of_loss {",
    "  node [fontname = \"sans\", fontsize = 11];" }
  for i, n in ipairs(g.nodes) do
    local label, attrs
    if n.op then
      label = n.op .. "\\n" .. n.shape
      attrs = "shape = box, style = rounded"
      if i == 1 then attrs = attrs .. ", penwidth = 2" end
    else
      label = (n.requires_grad and "leaf, requires_grad" or "leaf") .. "\\n" .. n.shape
      attrs = n.requires_grad and "shape = ellipse, style = filled, fillcolor = \"#cfe8ff\""
        or "shape = ellipse"
    end
    lines[#lines + 1] = string.format("  n%d [label = \"%s\", %s];", i, label, attrs)
  end
  for _, e in ipairs(g.edges) do
    lines[#lines + 1] = string.format("  n%d -> n%d;", e[1], e[2])
  end
  lines[#lines + 1] = "}"
  local path = sys.outpath(name .. ".dot")
  local f, why = io.open(path, "w")
  if not f then fail(fname, "cannot write '%s': %s", path, why) end
  local ok, werr = f:write(table.concat(lines, "\n"), "\n")
  local closed, cerr = f:close()
  if not ok or not closed then fail(fname, "cannot write '%s': %s", path, werr or cerr) end
  sys.record(path)

  if (run.plot_mode or "png") ~= "png" then return nil, path end
  local dot = sys.which("dot")
  if not dot then
    if not dot_hinted and not run.quiet then
      dot_hinted = true
      io.stderr:write("luagrad: Graphviz's dot not found, so no PNG of the graph was drawn; "
        .. "install it with sudo apt-get install graphviz, then draw with: dot -Tpng "
        .. path .. " -o " .. path:gsub("%.dot$", ".png") .. "\n")
    end
    return nil, path
  end
  local png = path:gsub("%.dot$", ".png")
  local tmp = png .. ".tmp"
  os.remove(tmp)  -- a planted link there is removed, not followed
  local code, err = sys.run({ dot, "-Tpng", path, "-o", tmp })
  if code ~= 0 then
    os.remove(tmp)
    fail(fname, "dot failed on %s: %s", path, (err or ""):gsub("%s+$", ""))
  end
  local renamed, rwhy = os.rename(tmp, png)
  if not renamed then fail(fname, "dot wrote no picture for %s: %s", path, rwhy) end
  sys.record(png)
  return png, path
end

return M
