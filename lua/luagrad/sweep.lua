-- luagrad.sweep: `luagrad sweep [options] SCRIPT.lua key=LIST ...`
--
-- Runs SCRIPT once for every combination of the listed values (the
-- cartesian product; the first key changes slowest), each run in its own
-- folder OUT/NAME/<key=value,key=value>/ and as its own process (see
-- batch.lua), then writes OUT/NAME/runs.csv and the sweep plots (runs.lua).
--
-- Values of a key:
--   a,b,c          a list
--   from:to:step   from, from + step, from + 2 step, ... up to to (included
--                  when it falls on the grid); each value is from + i*step
--   from:to:linN   N values evenly spaced, from and to included
--   from:to:logN   N values evenly spaced in log scale (from, to > 0)
-- Ranges are for integer and float parameters; computed floats are rounded
-- to 15 significant digits (so 0:1:0.1 gives 0.3, not 0.30000000000000004),
-- integers of a log range to the nearest integer.
--
-- Before anything runs, the specification is checked against the script's
-- declared parameters (from `EXE --params-json SCRIPT`): an unknown key, an empty
-- list or value, a bad range, a value that does not fit the parameter's type,
-- or a value given twice is an error (exit 2). Each value is then written in
-- its canonical form (1e-2 -> 0.01, yes -> true, 1e3 -> 1000 for an integer)
-- and passed to the run as key=value: the script's params{} converts it.
--
-- Folder names: key=value pairs joined by ','. In values, every byte other
-- than A-Z a-z 0-9 . _ + - is written %XX (hex), and so is a final '.', so
-- a name is safe on every file system (no / \ : * ? " < > | or control
-- characters); names that differ only in letter case are refused (some file
-- systems do not tell them apart). A name longer than 200 bytes is cut and
-- ends with '~' and 16 hex digits of its SHA-256, to stay unique.
--
-- Resuming: a run whose folder has a run.json with status 0, the same
-- parameters, the same seed and the same script text (SHA-256) is complete
-- and skipped, unless --force. Any other run is run (again), after its old
-- run.json is removed.
--
-- --emit-jobs: instead of running, prints one shell command per run still to
-- do (one line each, absolute paths, quoted for sh), for GNU parallel,
-- xargs -P or a Slurm array; `luagrad collect` then gathers the results.
local batch = require("luagrad.batch")
local params = require("luagrad.params")
local runs = require("luagrad.runs")
local sys = require("luagrad.sys")

local M = {}

local MAX_VALUES = 10000 -- per key
local MAX_RUNS = 100000  -- per sweep
local MAX_NAME = 200     -- bytes in a folder name

-- A specification error: raised as {usage = message}, caught in main.
local function bad(fmt, ...)
  error({ usage = string.format(fmt, ...) }, 0)
end

-- ---- the script's declared parameters ------------------------------------------

-- Turns the output of `luagrad --params-json SCRIPT` (params.lua) into
-- { order = {names...}, [name] = { kind = "float", default = 0.01 } }.
function M.parse_declared(text)
  local list = require("luagrad.json").decode(text, "--params-json").params
  local declared = { order = {} }
  for _, p in ipairs(list) do
    local default = p.default
    if p.kind == "float" then
      -- JSON has no nan or inf: params.lua writes them as text
      local special = { nan = 0 / 0, inf = math.huge, ["-inf"] = -math.huge }
      if type(default) == "string" then default = special[default] end
      if type(default) ~= "number" then
        bad("the declared default of '%s' is not a number: %s", tostring(p.name), tostring(p.default))
      end
      default = default + 0.0
    end
    declared.order[#declared.order + 1] = p.name
    declared[p.name] = { kind = p.kind, default = default }
  end
  return declared
end

-- Runs EXE --params-json SCRIPT, which runs the script up to its params{}
-- call; returns the declared parameters, or nil and the exit status to give
-- up with (the child's error is on stderr already).
function M.declared_params(o, script)
  local tmp = os.tmpname()
  local status, err = sys.run({ o.exe, "--params-json", "--", script }, { stdout = tmp })
  local f = io.open(tmp, "rb")
  local text = f and f:read("a") or ""
  if f then f:close() end
  os.remove(tmp)
  if status ~= 0 then
    io.stderr:write(err or "")
    io.stderr:write("luagrad: sweep: cannot read the parameters of ", script,
      " (luagrad --params ", script, " failed)\n")
    return nil, (status == 2 and 2 or 1)
  end
  return M.parse_declared(text)
end

-- ---- values ----------------------------------------------------------------------

-- A number rounded to 15 significant digits, as a float.
local function round15(x)
  return tonumber(string.format("%.15g", x)) + 0.0
end

local function range_values(key, spec, d)
  local a_text, b_text, how = spec:match("^([^:]+):([^:]+):([^:]+)$")
  local syntax = "from:to:step, from:to:linN or from:to:logN"
  if not a_text then
    bad("%s: '%s' is not a list or a range (%s)", key, spec, syntax)
  end
  local a, b = tonumber(a_text), tonumber(b_text)
  if not a then bad("%s: range '%s': '%s' is not a number", key, spec, a_text) end
  if not b then bad("%s: range '%s': '%s' is not a number", key, spec, b_text) end
  if a ~= a or b ~= b or math.abs(a) == math.huge or math.abs(b) == math.huge then
    bad("%s: range '%s': the ends must be finite numbers", key, spec)
  end
  local integer = d.kind == "integer"
  local values = {}
  local kind, n = how:match("^(l[io][ng])(%d+)$")
  if kind == "lin" or kind == "log" then
    n = tonumber(n)
    if n < 2 or n > MAX_VALUES then
      -- %s: n may be past any integer (lin00880367587354680548368, found by fuzzing)
      bad("%s: range '%s': %s%s: the number of values must be 2 to %d", key, spec, kind,
        math.tointeger(n) or how:sub(4), MAX_VALUES)
    end
    if kind == "log" and (a <= 0 or b <= 0) then
      bad("%s: range '%s': a log range needs both ends > 0", key, spec)
    end
    for i = 0, n - 1 do
      local x
      if i == 0 then x = a
      elseif i == n - 1 then x = b
      elseif kind == "lin" then x = a + (b - a) * i / (n - 1)
      else x = math.exp(math.log(a) + (math.log(b) - math.log(a)) * i / (n - 1)) end
      if integer then
        if kind == "log" then x = math.floor(x + 0.5) end
        local xi = math.tointeger(x)
        if not xi then
          bad("%s: range '%s' gives %s, which is not an integer (%s is an integer parameter)",
            key, spec, params.show(round15(x)), key)
        end
        values[#values + 1] = xi
      else
        values[#values + 1] = round15(x)
      end
    end
  else
    local step = tonumber(how)
    if not step then
      bad("%s: range '%s': '%s' is not a step, linN or logN (%s)", key, spec, how, syntax)
    end
    if step == 0 or step ~= step or math.abs(step) == math.huge then
      bad("%s: range '%s': the step must be a finite number other than 0", key, spec)
    end
    -- compared, not subtracted: b - a wraps around for integer ends near the
    -- 64-bit limits, and in floats two such ends can round to one number
    if (step > 0 and b < a) or (step < 0 and b > a) then
      bad("%s: range '%s': a step of %s never goes from %s to %s", key, spec, how, a_text, b_text)
    end
    if integer then
      a, b, step = math.tointeger(a), math.tointeger(b), math.tointeger(step)
      if not (a and b and step) then
        bad("%s: range '%s': %s is an integer parameter, so from, to and step must be integers",
          key, spec, key)
      end
    end
    -- the count in floats first: it may be inf, or past the integers
    local count = math.floor((b + 0.0 - a) / step + 1e-9) + 1
    if not (count <= MAX_VALUES) then
      bad("%s: range '%s' has %s values, more than %d", key, spec,
        count == math.huge and "infinitely many" or string.format("%.0f", count), MAX_VALUES)
    end
    if integer then
      -- stepped in integers, stopping before a step past the 64-bit limits
      local v = a
      while true do
        values[#values + 1] = v
        if step > 0 then
          if v > math.maxinteger - step then break end
          v = v + step
          if v > b then break end
        else
          if v < math.mininteger - step then break end
          v = v + step
          if v < b then break end
        end
      end
    else
      for i = 0, math.tointeger(count) - 1 do values[#values + 1] = round15(a + i * step) end
    end
  end
  local texts = {}
  for i, v in ipairs(values) do texts[i] = params.show(v) end
  return texts
end

-- The values of key=spec as canonical texts, checked against the type.
function M.values(key, spec, d)
  local items
  if (d.kind == "integer" or d.kind == "float") and spec:find(":", 1, true) then
    items = range_values(key, spec, d)
  else
    items = {}
    for item in (spec .. ","):gmatch("(.-),") do items[#items + 1] = item end
  end
  local texts, seen = {}, {}
  for _, item in ipairs(items) do
    if item == "" then
      bad("%s: empty value in '%s' (write the values as %s=a,b,c)", key, spec, key)
    end
    local v, expected = params.convert(item, d.default)
    if v == nil then
      bad("%s: '%s' is not %s (default %s)", key, item, expected, params.show(d.default))
    end
    -- canonical text: what params{} prints, without the quotes of strings
    local text = d.kind == "string" and v or params.show(v)
    if seen[text] then bad("%s: the value %s is given twice", key, text) end
    seen[text] = true
    texts[#texts + 1] = text
  end
  return texts
end

-- ---- folder names ---------------------------------------------------------------

function M.escape(value)
  local s = value:gsub("[^%w%._%+%-]", function(c) return string.format("%%%02X", c:byte()) end)
  return (s:gsub("%.$", "%%2E"))
end

function M.folder_name(pairs_list)
  local parts = {}
  for i, kv in ipairs(pairs_list) do parts[i] = kv[1] .. "=" .. M.escape(kv[2]) end
  local name = table.concat(parts, ",")
  if #name > MAX_NAME then
    name = name:sub(1, MAX_NAME - 17) .. "~" .. sys.sha256(name):sub(1, 16)
  end
  return name
end

-- ---- shell quoting ----------------------------------------------------------------

function M.quote(word)
  if word ~= "" and not word:find("[^%w_%./=,:+%-@%%]") then return word end
  return "'" .. word:gsub("'", "'\\''") .. "'"
end

local function absolute(path, cwd)
  if path:sub(1, 1) == "/" then return path end
  return (cwd .. "/" .. path):gsub("/%./", "/"):gsub("^(.-)/%.$", "%1")
end

-- ---- the plan -------------------------------------------------------------------

-- The runs of the sweep: { folder, name, overrides = {"k=v"...},
-- values = {k = text}, expected = {k = typed value, every parameter} }.
function M.plan(o, declared, script)
  local keys, lists = {}, {}
  for _, word in ipairs(o.args) do
    local key, spec = word:match("^([^=]+)=(.*)$")
    local d = declared[key]
    if not d then
      local known = {}
      for _, k in ipairs(declared.order) do
        known[#known + 1] = string.format("%s=%s (%s)", k, params.show(declared[k].default),
          declared[k].kind)
      end
      if #known == 0 then
        bad("unknown parameter '%s': %s declares no parameters", key, script)
      end
      bad("unknown parameter '%s'; %s declares: %s", key, script, table.concat(known, ", "))
    end
    if spec == "" then bad("%s: no values (write %s=a,b,c or a range)", key, key) end
    keys[#keys + 1] = key
    lists[#lists + 1] = M.values(key, spec, d)
  end
  if #keys == 0 then bad("no values to sweep: give at least one key=LIST after %s", script) end

  local total = 1
  for _, l in ipairs(lists) do total = total * #l end
  if total > MAX_RUNS then bad("%d runs is more than %d", total, MAX_RUNS) end

  local base = o.out .. "/" .. batch.basename(script)
  local plan, lower = {}, {}
  local index = {}
  for i = 1, #keys do index[i] = 1 end
  for _ = 1, total do
    local pairs_list, overrides, values = {}, {}, {}
    local expected = {}
    for _, k in ipairs(declared.order) do expected[k] = declared[k].default end
    for i, k in ipairs(keys) do
      local text = lists[i][index[i]]
      pairs_list[i] = { k, text }
      overrides[i] = k .. "=" .. text
      values[k] = text
      expected[k] = params.convert(text, declared[k].default)
    end
    local name = M.folder_name(pairs_list)
    local folded = name:lower()
    if lower[folded] then
      bad("the folders '%s' and '%s' differ only in letter case, which some file systems "
        .. "do not tell apart", lower[folded], name)
    end
    lower[folded] = name
    plan[#plan + 1] = { name = name, folder = base .. "/" .. name, overrides = overrides,
                        values = values, expected = expected }
    -- next combination: the last key changes fastest
    for i = #keys, 1, -1 do
      index[i] = index[i] + 1
      if index[i] <= #lists[i] then break end
      index[i] = 1
    end
  end
  return plan, keys, base
end

-- A folder in one spelling: "in/", "./in" and "in//" (tab completion, a
-- habit) are "in", so a --data spelled another way does not run it again.
local function folder_key(dir)
  local parts = {}
  for part in dir:gmatch("[^/]+") do
    if part ~= "." then parts[#parts + 1] = part end
  end
  local key = (dir:sub(1, 1) == "/" and "/" or "") .. table.concat(parts, "/")
  return key == "" and "." or key
end

-- Was the run recorded in rec made in the sandbox this sweep asks for? A run
-- made without --sandbox (or with other --data folders) may have done what
-- the sandbox forbids, so a sandboxed sweep runs it again. The limits
-- (--timeout, --max-mem) need no such check: a run that succeeded gives the
-- same results under any limits it kept within.
local function sandboxed_as_asked(rec, o)
  if not o.sandbox then return true end
  if rec.sandbox ~= true or type(rec.sandbox_data) ~= "table" then return false end
  local data = o.data or {}
  if #rec.sandbox_data ~= #data then return false end
  for i, dir in ipairs(data) do
    local was = rec.sandbox_data[i]
    if type(was) ~= "string" or folder_key(was) ~= folder_key(dir) then return false end
  end
  return true
end

-- Is the run in this folder complete, for these parameters, seed, script
-- and sandbox?
function M.complete(run, o, sha)
  local rec = batch.read_record(run.folder)
  if not rec or rec.status ~= 0 or rec.seed ~= o.seed or rec.sha256 ~= sha then return false end
  if type(rec.params) ~= "table" or not sandboxed_as_asked(rec, o) then return false end
  for k, v in pairs(run.expected) do
    if rec.params[k] ~= v then return false end
  end
  for k in pairs(rec.params) do
    if run.expected[k] == nil then return false end
  end
  return true
end

-- ---- main ----------------------------------------------------------------------

local function emit_jobs(o, script, todo)
  local cwd = sys.cwd()
  local exe, abs_script = absolute(o.exe, cwd), absolute(script, cwd)
  for _, run in ipairs(todo) do
    local argv = batch.child_argv(o, abs_script, absolute(run.folder, cwd), run.overrides)
    argv[1] = exe
    local words = {}
    for i, w in ipairs(argv) do words[i] = M.quote(w) end
    io.stdout:write("cd ", M.quote(cwd), " && ", table.concat(words, " "), "\n")
  end
  io.stdout:flush()
end

function M.main(o)
  local script = o.script
  if script == "-" then return batch.usage_error("sweep", "cannot sweep a script from stdin ('-')") end
  local text, why = batch.readable(script)
  if not text then
    return batch.usage_error("sweep", "cannot open '%s': %s", script, why)
  end
  local dok, declared, code = pcall(M.declared_params, o, script)
  if not dok then
    if type(declared) == "table" and declared.usage then
      return batch.usage_error("sweep", "%s", declared.usage)
    end
    error(declared, 0)
  end
  if not declared then return code end
  local ok, plan, keys, base = pcall(M.plan, o, declared, script)
  if not ok then
    if type(plan) == "table" and plan.usage then return batch.usage_error("sweep", "%s", plan.usage) end
    error(plan, 0)
  end

  local sha = sys.sha256(text)
  local todo, skipped = {}, 0
  for _, run in ipairs(plan) do
    if not o.force and M.complete(run, o, sha) then
      skipped = skipped + 1
    else
      todo[#todo + 1] = run
    end
  end

  if o.emit_jobs then
    emit_jobs(o, script, todo)
    M.note_skipped(o, skipped, #plan)
    return 0
  end

  batch.note(o, "luagrad sweep: %d run%s of %s, %d to do, up to %d at once, output under %s/",
    #plan, #plan == 1 and "" or "s", script, #todo, math.min(o.jobs, math.max(#todo, 1)), base)
  M.note_skipped(o, skipped, #plan)
  local jobs, folders = {}, {}
  for i, run in ipairs(todo) do
    jobs[i] = { name = run.name, argv = batch.child_argv(o, script, run.folder, run.overrides) }
    folders[i] = run.folder
  end
  local results, stopped = {}, false
  if #jobs > 0 then
    results, stopped = batch.run_jobs(o, jobs, folders)
    if not results then
      io.stderr:write("luagrad: sweep: ", stopped, "\n")
      return 1
    end
  end
  local by_folder = {}
  for i, run in ipairs(todo) do by_folder[run.folder] = results[i] end

  -- runs.csv and the plots, from the run.json of every run of the plan
  local records, any_failed, rows = {}, false, {}
  for _, run in ipairs(plan) do
    local r = by_folder[run.folder]
    local rec = batch.read_record(run.folder)
    local done = r == nil -- skipped: complete already
    if r then any_failed = any_failed or batch.failed(r) end
    records[#records + 1] = runs.entry(run.name, rec, run.expected, r)
    rows[#rows + 1] = { run = run, result = r, record = rec, skipped = done }
  end
  local wrote, werr = pcall(runs.write, base, records, keys, o)
  if not wrote then
    io.stderr:write("luagrad: sweep: ", tostring(werr), "\n")
    any_failed = true
  end
  M.summary(rows, records)
  local failed = 0
  for _, row in ipairs(rows) do
    if row.result and batch.failed(row.result) then failed = failed + 1 end
  end
  if failed > 0 then io.stdout:write(string.format("%d of %d failed\n", failed, #rows)) end
  return batch.exit_status(stopped, any_failed)
end

function M.note_skipped(o, skipped, total)
  if skipped > 0 then
    batch.note(o, "luagrad sweep: %d of %d run%s already complete, skipped (--force runs them again)",
      skipped, total, total == 1 and "" or "s")
  end
end

-- The table printed at the end: run, status, seconds and the figures.
function M.summary(rows, records)
  local figures = runs.figure_names(records)
  local header = { "run", "status", "seconds" }
  for _, f in ipairs(figures) do header[#header + 1] = f end
  local lines = {}
  for _, row in ipairs(rows) do
    local rec = row.record
    local status = row.skipped and "ok (done before)" or batch.status_text(row.result, rec)
    local seconds = rec and type(rec.seconds) == "number" and rec.seconds
      or row.result and row.result.seconds
    local line = { row.run.name, status, seconds and string.format("%.2f", seconds) or "-" }
    for _, f in ipairs(figures) do
      local v = rec and type(rec.figures) == "table" and rec.figures[f]
      if math.type(v) == "float" then v = string.format("%.6g", v) end
      line[#line + 1] = v == nil and "-" or tostring(v)
    end
    lines[#lines + 1] = line
  end
  io.stdout:write("\n")
  batch.print_table(header, lines)
end

return M
