-- luagrad.curves: the per-epoch curves of every run of a folder overlaid in
-- one picture, curves.png (from curves.csv), drawn by `luagrad collect` and
-- at the end of a sweep.
--
-- A run's curve: the first CSV file among those it wrote (run.json's files,
-- in the order written) whose header has a column named epoch and another
-- numeric column; its y is the column loss when there is one, else the first
-- numeric column after epoch. Runs without such a file are left out.
--
-- One line per run, labelled by the parameters whose value differs between
-- the runs (the constant ones tell nothing apart). The y axis is logarithmic
-- when every value shown is positive and they span two decades or more.
-- A run diverges when its values become infinite, NaN, or more than ten
-- times the largest first value of all runs: its line is cut there and its
-- label says "diverged at epoch E", so the axis is not stretched to 1e208.
local M = {}

local numstr = require("luagrad.sys").numstr

local function show(v)
  if math.type(v) == "float" then return (numstr(v):gsub("%.0$", "")) end
  return tostring(v)
end

-- The run's curve: epochs, values, the y column's name; or nil.
local function curve_of(folder, files)
  local csv = require("csv")
  for _, f in ipairs(type(files) == "table" and files or {}) do
    if type(f) == "string" and f:match("%.[cC][sS][vV]$") then
      local ok, cols, names = pcall(csv.read, folder .. "/" .. f)
      if ok and type(cols.epoch) == "userdata" then
        local y
        if type(cols.loss) == "userdata" then y = "loss" end
        for _, n in ipairs(names) do
          if not y and n ~= "epoch" and type(cols[n]) == "userdata" then y = n end
        end
        if y and #cols.epoch > 0 then
          local xs, ys = {}, {}
          for i = 1, #cols.epoch do
            xs[i], ys[i] = cols.epoch[i], cols[y][i]
          end
          return { epochs = xs, values = ys, column = y, file = f }
        end
      end
    end
  end
  return nil
end

local function finite(v) return v == v and v ~= math.huge and v ~= -math.huge end

-- Draws dir/curves.png from the records (runs.entry tables with files).
-- Returns the path of the CSV written, or nil when no run has a curve.
function M.draw(dir, records)
  local plot = _G.plot
  local found = {}
  for _, r in ipairs(records) do
    local folder = r.run == "." and dir or dir .. "/" .. r.run
    local c = r.complete and curve_of(folder, r.files)
    if c then
      c.record = r
      found[#found + 1] = c
    end
  end
  if #found == 0 then return nil end

  -- labels: the parameters that vary among these runs
  local keys, seen = {}, {}
  for _, c in ipairs(found) do
    for k in pairs(c.record.params) do
      if not seen[k] then seen[k] = true keys[#keys + 1] = k end
    end
  end
  table.sort(keys)
  local vary = {}
  for _, k in ipairs(keys) do
    local first = found[1].record.params[k]
    for _, c in ipairs(found) do
      if c.record.params[k] ~= first then vary[#vary + 1] = k break end
    end
  end

  -- the cut: ten times the largest first value
  local top = -math.huge
  for _, c in ipairs(found) do
    if finite(c.values[1]) then top = math.max(top, math.abs(c.values[1])) end
  end
  local limit = top > 0 and 10 * top or math.huge

  local epochs, at, labels, lo, hi, positive = {}, {}, {}, math.huge, -math.huge, true
  local seen_epoch = {}
  for i, c in ipairs(found) do
    local parts = {}
    for j, k in ipairs(vary) do parts[j] = k .. "=" .. show(c.record.params[k]) end
    local label = #parts > 0 and table.concat(parts, ",") or c.record.run
    local col = {}
    for j, e in ipairs(c.epochs) do
      local v = c.values[j]
      if not finite(v) or math.abs(v) > limit then
        label = label .. " (diverged at epoch " .. show(e) .. ")"
        break
      end
      col[e] = v
      if not seen_epoch[e] then seen_epoch[e] = true epochs[#epochs + 1] = e end
      lo, hi = math.min(lo, v), math.max(hi, v)
      if v <= 0 then positive = false end
    end
    labels[i], at[i] = label, col
  end
  table.sort(epochs)
  -- the same label twice (runs that differ only in what is not a parameter)
  local count = {}
  for i, l in ipairs(labels) do
    count[l] = (count[l] or 0) + 1
    if count[l] > 1 then labels[i] = l .. " #" .. count[l] end
  end

  local csv = require("csv")
  local path = dir .. "/curves.csv"
  local header = { "epoch" }
  for i, l in ipairs(labels) do header[i + 1] = l end
  local w = csv.writer(path, header)
  for _, e in ipairs(epochs) do
    local row = { e }
    for i in ipairs(found) do
      local v = at[i][e]
      row[i + 1] = v == nil and "" or v
    end
    w:row(table.unpack(row))
  end
  w:close()
  if plot and plot.line and #epochs > 0 then
    local ycol = found[1].column
    for _, c in ipairs(found) do if c.column ~= ycol then ycol = "value" end end
    plot.line{
      csv = path, x = "epoch", y = labels, name = "curves",
      title = ycol .. " per epoch, " .. #found .. " run" .. (#found == 1 and "" or "s"),
      ylabel = ycol, logy = positive and lo > 0 and hi / lo >= 100,
    }
  end
  return path
end

return M
