-- luagrad.runs: runs.csv and the sweep plots, from the runs' run.json files;
-- and `luagrad collect DIR`.
--
-- runs.csv has one row per run and the columns
--   run                    the run's folder, relative to the sweep folder
--   <every parameter>      sorted by name, the values the run used
--                          (a parameter named run, status or seconds is
--                          written param_<name>, and _2, _3, ... when
--                          that name is taken too)
--   <every figure>         sorted by name, what the run report{}ed (empty
--                          when it did not); a figure named like a
--                          parameter or a fixed column is written
--                          report_<name>
--   status                 the exit status (128 + n when killed by signal
--                          n; empty when the run never started)
--   seconds                the run's duration (as its run.json says)
-- Rows are sorted by the parameters' values (numbers by value), so a sweep
-- and a collect of the same runs write the same file.
--
-- Plots: for each figure that is a number in every successful run, a plot of
-- it against the first swept parameter that has several numeric values,
-- one line per combination of the other swept parameters: the pivoted
-- table goes to sweep_<figure>.csv, drawn with plot.line (sweep_<figure>.png
-- when gnuplot is there). When that parameter's values are all positive and
-- span 100 times or more, the x axis is logarithmic; so is the y axis for a
-- figure that is positive and spans 100 times or more.
local run = require("luagrad.sys").info()  -- the run (the global luagrad is a copy)
local batch = require("luagrad.batch")
local json = require("luagrad.json")
local sys = require("luagrad.sys")

local M = {}

local FIXED = { run = true, status = true, seconds = true }

-- One row-to-be from a run: its run.json record when there is one, else
-- what is known from the plan (parameters) and the pool (status).
function M.entry(name, record, expected, result)
  if record then
    return {
      run = name,
      params = type(record.params) == "table" and record.params or {},
      figures = type(record.figures) == "table" and record.figures or {},
      status = record.status,
      seconds = record.seconds,
      files = type(record.files) == "table" and record.files or {},
      complete = true,
    }
  end
  local status
  if result and result.signal then status = 128 + result.signal
  elseif result and result.started then status = result.status end
  return { run = name, params = expected or {}, figures = {}, status = status,
           seconds = result and result.seconds }
end

local function union(records, field)
  local seen, list = {}, {}
  for _, r in ipairs(records) do
    for k in pairs(r[field]) do
      if not seen[k] then
        seen[k] = true
        list[#list + 1] = k
      end
    end
  end
  table.sort(list)
  return list
end

function M.figure_names(records)
  return union(records, "figures")
end

-- Orders values of one column: numbers by value, then booleans, then strings.
local function before(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    local rank = { number = 1, boolean = 2, string = 3 }
    return (rank[ta] or 4) < (rank[tb] or 4)
  end
  if ta == "number" then
    if a ~= a then return false end -- nan last
    if b ~= b then return true end
    return a < b
  end
  if ta == "boolean" then return (not a) and b end
  if ta == "string" then return a < b end
  return false
end

local function sort_records(records, param_names)
  table.sort(records, function(x, y)
    for _, k in ipairs(param_names) do
      local a, b = x.params[k], y.params[k]
      if before(a, b) then return true end
      if before(b, a) then return false end
    end
    return x.run < y.run
  end)
end

-- A value for a CSV cell; "" for none. Tables (not expected) as JSON.
local function cell(v)
  if v == nil or v == json.null then return "" end
  if type(v) == "table" then return json.encode(v, 0) end
  return v
end

-- Writes DIR/runs.csv; returns its column names.
function M.write_csv(dir, records)
  local csv = require("csv")
  local param_names = union(records, "params")
  local figure_names = union(records, "figures")
  local taken = {}
  for k in pairs(FIXED) do taken[k] = true end
  -- A column name not taken yet: name, else prefix .. name, else that
  -- with _2, _3, ... (a parameter param_run beside one named run).
  local function column(name, prefix)
    local c = taken[name] and prefix .. name or name
    local i, base = 2, c
    while taken[c] do
      c = base .. "_" .. i
      i = i + 1
    end
    taken[c] = true
    return c
  end
  local header = { "run" }
  for _, k in ipairs(param_names) do
    if not FIXED[k] then taken[k] = true end
  end
  for _, k in ipairs(param_names) do
    if FIXED[k] then header[#header + 1] = column(k, "param_")
    else header[#header + 1] = k end
  end
  local figure_columns = {}
  for i, k in ipairs(figure_names) do
    figure_columns[i] = column(k, "report_")
    header[#header + 1] = figure_columns[i]
  end
  header[#header + 1] = "status"
  header[#header + 1] = "seconds"
  sort_records(records, param_names)
  local w = csv.writer(dir .. "/runs.csv", header)
  for _, r in ipairs(records) do
    local row = { r.run }
    for _, k in ipairs(param_names) do row[#row + 1] = cell(r.params[k]) end
    for _, k in ipairs(figure_names) do row[#row + 1] = cell(r.figures[k]) end
    row[#row + 1] = cell(r.status)
    row[#row + 1] = cell(r.seconds)
    w:row(table.unpack(row))
  end
  w:close()
  return header
end

-- ---- plots ------------------------------------------------------------------

-- Numbers as luagrad writes them (run.json keeps inf and nan as strings).
local numstr = require("luagrad.sys").numstr
local special = { inf = math.huge, ["-inf"] = -math.huge, nan = 0 / 0 }

local function show(v)
  if math.type(v) == "float" then return (numstr(v):gsub("%.0$", "")) end
  return tostring(v)
end

local function as_number(v)
  if type(v) == "string" and special[v] then return special[v] end
  return v
end

local function is_finite_number(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

-- Spans two decades or more, all positive?
local function wide_positive(values)
  local lo, hi = math.huge, 0
  for _, v in ipairs(values) do
    if not is_finite_number(v) or v <= 0 then return false end
    lo, hi = math.min(lo, v), math.max(hi, v)
  end
  return #values > 1 and hi / lo >= 100
end

-- The plots of the figures against swept[1] (or the first swept key with
-- several numeric values), one line per value of the other swept keys.
function M.plot(dir, records, swept)
  local plot = _G.plot
  if not (plot and plot.line) then return end
  local ok_records = {}
  for _, r in ipairs(records) do
    if r.status == 0 and r.complete then ok_records[#ok_records + 1] = r end
  end
  if #ok_records < 2 then return end
  -- x: the first swept key whose values are numbers, at least two of them
  local xkey, xs
  for _, k in ipairs(swept) do
    local seen, list = {}, {}
    for _, r in ipairs(ok_records) do
      local v = r.params[k]
      if not is_finite_number(v) then list = nil break end
      if not seen[v] then
        seen[v] = true
        list[#list + 1] = v
      end
    end
    if list and #list >= 2 then
      xkey, xs = k, list
      break
    end
  end
  if not xkey then return end
  table.sort(xs)
  local logx = wide_positive(xs)
  -- the other keys that take more than one value: a key with the same value
  -- in every run (a sweep's epochs=50) tells the lines nothing apart
  local others = {}
  for _, k in ipairs(swept) do
    local first, varies = ok_records[1].params[k], false
    for _, r in ipairs(ok_records) do
      if r.params[k] ~= first then varies = true break end
    end
    if k ~= xkey and varies then others[#others + 1] = k end
  end

  -- the line of each run: its values of the other swept keys
  local labels, label_of, seen = {}, {}, {}
  for _, r in ipairs(ok_records) do
    local parts = {}
    for i, k in ipairs(others) do parts[i] = k .. "=" .. show(r.params[k]) end
    local label = #parts > 0 and table.concat(parts, ",") or nil
    label_of[r] = label
    if label and not seen[label] then
      seen[label] = true
      labels[#labels + 1] = label
    end
  end

  for _, f in ipairs(union(ok_records, "figures")) do
    local values, numeric = {}, true
    for _, r in ipairs(ok_records) do
      local v = as_number(r.figures[f])
      if type(v) ~= "number" then numeric = false break end
      values[#values + 1] = v
    end
    -- one pcall per figure: a figure that cannot be drawn does not stop the others
    local ok, err = numeric and pcall(function()
      local ycols = #labels > 0 and labels or { f }
      local at = {} -- at[x][label] = value
      for _, r in ipairs(ok_records) do
        local x = r.params[xkey]
        at[x] = at[x] or {}
        at[x][label_of[r] or f] = as_number(r.figures[f])
      end
      local csv = require("csv")
      local name = "sweep_" .. f
      -- a figure named like the swept key gets the prefix runs.csv gives it
      local ycol = function(y) return y == xkey and "report_" .. y or y end
      local header = { xkey }
      for _, y in ipairs(ycols) do header[#header + 1] = ycol(y) end
      local w = csv.writer(dir .. "/" .. name .. ".csv", header)
      for _, x in ipairs(xs) do
        local row = { x }
        for _, y in ipairs(ycols) do
          local v = at[x] and at[x][y]
          row[#row + 1] = v == nil and "" or v
        end
        w:row(table.unpack(row))
      end
      w:close()
      local ys = {}
      for i, y in ipairs(ycols) do ys[i] = ycol(y) end
      plot.line{
        csv = dir .. "/" .. name .. ".csv", x = xkey, y = ys, name = name,
        title = f .. " against " .. xkey, ylabel = f, logx = logx, logy = wide_positive(values),
      }
    end)
    if numeric and not ok then io.stderr:write("luagrad: sweep plot of ", f, ": ", tostring(err), "\n") end
  end
end

-- runs.csv and the plots of a sweep folder.
function M.write(dir, records, swept, o)
  local header = M.write_csv(dir, records)
  local saved_quiet = run.quiet
  run.quiet = o and o.quiet or false
  local ok, err = pcall(M.plot, dir, records, swept)
  if not ok then io.stderr:write("luagrad: sweep plots: ", tostring(err), "\n") end
  -- the runs' per-epoch curves overlaid (lua/luagrad/curves.lua)
  ok, err = pcall(require("luagrad.curves").draw, dir, records)
  if not ok then io.stderr:write("luagrad: curves: ", tostring(err), "\n") end
  run.quiet = saved_quiet
  return header
end

-- DIR/index.html (lua/luagrad/html.lua), after runs.csv and the plots.
function M.write_html(dir, records)
  local columns = { { title = "run", get = function(r) return r.run end } }
  for _, k in ipairs(union(records, "params")) do
    columns[#columns + 1] = { title = k, get = function(r) return r.params[k] end }
  end
  for _, k in ipairs(union(records, "figures")) do
    columns[#columns + 1] = { title = k, get = function(r) return as_number(r.figures[k]) end }
  end
  columns[#columns + 1] = { title = "status", get = function(r) return r.status end }
  columns[#columns + 1] = { title = "seconds", get = function(r)
    return type(r.seconds) == "number" and string.format("%.2f", r.seconds) or nil end }
  local pictures = {}
  local names = { "curves.png" }
  for _, f in ipairs(union(records, "figures")) do names[#names + 1] = "sweep_" .. f .. ".png" end
  for _, name in ipairs(names) do
    local f = io.open(dir .. "/" .. name, "rb")
    if f then
      f:close()
      pictures[#pictures + 1] = name
    end
  end
  return require("luagrad.html").write(dir, records, columns, pictures)
end

-- ---- collect -----------------------------------------------------------------

-- The parameters whose value differs between the records, sorted.
local function varying(records)
  local names = union(records, "params")
  local list = {}
  for _, k in ipairs(names) do
    local first, differs = records[1] and records[1].params[k], false
    for _, r in ipairs(records) do
      if r.params[k] ~= first then differs = true break end
    end
    if differs then list[#list + 1] = k end
  end
  return list
end

function M.collect(o)
  local dir = (o.dir or ""):gsub("(.)/+$", "%1")
  local paths, why = sys.find(dir, "run.json")
  if not paths then return batch.usage_error("collect", "%s", why) end
  local records, bad = {}, 0
  local prefix = dir .. "/"
  for _, path in ipairs(paths) do
    local folder = path:sub(1, -#"/run.json" - 1)
    local rec, err = batch.read_record(folder)
    if rec then
      local name = folder == dir and "." or folder:sub(#prefix + 1)
      records[#records + 1] = M.entry(name, rec)
    else
      bad = bad + 1
      io.stderr:write("luagrad: collect: skipping ", path, ": ", tostring(err), "\n")
    end
  end
  if #records == 0 then
    io.stderr:write("luagrad: collect: no run.json under ", dir, "/", bad > 0 and " that can be read" or "", "\n")
    return 1
  end
  M.write(dir, records, varying(records), o)
  batch.note(o, "luagrad collect: %d run%s into %s/runs.csv", #records,
    #records == 1 and "" or "s", dir)
  if o.html then
    local ok, err = pcall(M.write_html, dir, records)
    if not ok then
      io.stderr:write("luagrad: collect: ", tostring(err), "\n")
      return 1
    end
    batch.note(o, "luagrad collect: the report is %s", err)
  end
  return bad > 0 and 1 or 0
end

return M
