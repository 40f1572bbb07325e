-- luagrad.batch: `luagrad run`, `luagrad sweep` and `luagrad collect`.
--
-- src/host/batch.c calls batch[mode](options) in a Lua state of its own and
-- exits with what it returns. options = { exe = this program's path,
-- out = --out (default "out"), jobs = -j, quiet = -q, force, emit_jobs,
-- seed, seed_given, plot, sandbox, data (list of folders), timeout and
-- max_mem (numbers or nil), script (sweep), args = the other words, dir
-- (collect) }.
--
--   luagrad run A.lua B.lua ...   each script runs as a child process
--       EXE --out OUT/NAME [--seed N] [--plot M] [-q] -- SCRIPT
--   (NAME: the script's file name without .lua), up to -j at once through
--   sys.pool, which prefixes each output line with [NAME]. A failure does
--   not stop the others. Then a summary table: script, status, seconds,
--   output folder, files written (from each run's run.json). Exit status 0
--   when every script succeeded, 1 when one failed, 128 + signal number
--   (130 for Ctrl-C) when interrupted.
--
-- Two scripts with the same NAME would write into the same folder: that is
-- refused before anything runs.
local sys = require("luagrad.sys")
local json = require("luagrad.json")

local M = {}

-- The usage line of the command (options.usage, from src/host/cli.c).
local usage_line = ""

-- A command-line error: the message and the usage line on stderr; exit 2.
function M.usage_error(mode, fmt, ...)
  io.stderr:write("luagrad: ", mode, ": ", string.format(fmt, ...), "\n", usage_line, "\n")
  return 2
end

-- A note for the user on stderr (not with -q), so stdout stays the results.
function M.note(o, fmt, ...)
  if not o.quiet then io.stderr:write(string.format(fmt, ...), "\n") end
end

function M.basename(path)
  return (path:match("([^/]*)/*$"):gsub("%.lua$", ""))
end

-- The text of a script, or nil and why ("No such file or directory").
function M.readable(path)
  local f, why, code = io.open(path, "rb")
  if not f then return nil, (why:gsub("^.-: ", "")), code end
  local text, rerr = f:read("a")
  f:close()
  if not text then return nil, (tostring(rerr):gsub("^.-: ", "")) end
  return text
end

-- The child's command line for one run.
function M.child_argv(o, script, outdir, overrides)
  local argv = { o.exe, "--out", outdir }
  if o.seed_given then
    argv[#argv + 1] = "--seed"
    argv[#argv + 1] = tostring(o.seed)
  end
  if o.plot and o.plot ~= "png" then
    argv[#argv + 1] = "--plot"
    argv[#argv + 1] = o.plot
  end
  if o.quiet then argv[#argv + 1] = "-q" end
  if o.sandbox then argv[#argv + 1] = "--sandbox" end
  for _, dir in ipairs(o.data or {}) do
    argv[#argv + 1] = "--data"
    argv[#argv + 1] = dir
  end
  if o.timeout then
    argv[#argv + 1] = "--timeout"
    argv[#argv + 1] = sys.numstr(o.timeout)
  end
  if o.max_mem then
    argv[#argv + 1] = "--max-mem"
    argv[#argv + 1] = sys.numstr(o.max_mem)
  end
  argv[#argv + 1] = "--"
  argv[#argv + 1] = script
  for _, kv in ipairs(overrides or {}) do argv[#argv + 1] = kv end
  return argv
end

-- run.json of a run folder, decoded, or nil and why.
function M.read_record(folder)
  local path = folder .. "/run.json"
  local f = io.open(path, "rb")
  if not f then return nil, "no run.json" end
  local text = f:read("a")
  f:close()
  local ok, rec = pcall(json.decode, text, path)
  if not ok then return nil, rec end
  if type(rec) ~= "table" then return nil, path .. ": not a JSON object" end
  local wrong = M.record_problem(rec)
  if wrong then return nil, path .. ": " .. wrong end
  return rec
end

-- What is wrong with the fields of a decoded run.json, or nil: each field
-- luagrad reads must have the type it writes (a hand-edited or foreign file
-- is skipped with this reason, never a traceback later).
function M.record_problem(rec)
  local function kind(v)
    if v == json.null then return "null" end
    if math.type(v) then return math.type(v) end
    return type(v)
  end
  local function scalar(v) return type(v) == "number" or type(v) == "string" or type(v) == "boolean" end
  local checks = {
    { "status", function(v) return math.type(v) == "integer" end, "an integer" },
    { "seconds", function(v) return type(v) == "number" end, "a number" },
    { "script", function(v) return type(v) == "string" end, "a string" },
    { "sha256", function(v) return type(v) == "string" end, "a string" },
    { "params", function(v)
        if type(v) ~= "table" then return false end
        for k, x in pairs(v) do if type(k) ~= "string" or not scalar(x) then return false end end
        return true
      end, "an object of numbers, strings and booleans" },
    { "figures", function(v)
        if type(v) ~= "table" then return false end
        for k in pairs(v) do if type(k) ~= "string" then return false end end
        return true
      end, "an object" },
    { "files", function(v)
        if type(v) ~= "table" then return false end
        for _, x in pairs(v) do if type(x) ~= "string" then return false end end
        return true
      end, "an array of strings" },
  }
  for _, c in ipairs(checks) do
    local v = rec[c[1]]
    if v ~= nil and not c[2](v) then
      return string.format("field '%s' should be %s, got %s", c[1], c[3], kind(v))
    end
  end
  return nil
end

-- What happened to a run, in words, from its pool result (may be nil).
function M.status_text(result, record)
  if result and result.error then return "cannot start" end
  if result and not result.started then return "not run" end
  local code = result and result.status
  if result and result.signal then
    if result.signal == 2 then return "interrupted" end
    return "killed (signal " .. result.signal .. ")"
  end
  if code == nil and record then code = record.status end
  if code == 0 then return "ok" end
  if code == 130 then return "interrupted" end
  if code == nil then return "incomplete" end
  return "failed (exit " .. code .. ")"
end

-- A run failed when it did not end with status 0.
function M.failed(result)
  return not (result and result.started and result.status == 0)
end

-- Prints rows (lists of strings) under a header as aligned columns. On a
-- terminal, a last column too long for its width is cut (ending "...");
-- into a file or a pipe nothing is cut.
function M.print_table(header, rows)
  local columns = sys.columns()
  if columns then
    local last = #header
    local used = 0
    for i = 1, last - 1 do
      local w = #header[i]
      for _, r in ipairs(rows) do w = math.max(w, #(r[i] or "")) end
      used = used + w + 2
    end
    local room = math.max(columns - 1 - used, 12)
    local cut = {}
    for k, r in ipairs(rows) do
      local cell = r[last]
      if cell and #cell > room then
        cut[k] = {}
        for i, c in ipairs(r) do cut[k][i] = c end
        cut[k][last] = cell:sub(1, room - 3) .. "..."
      else
        cut[k] = r
      end
    end
    rows = cut
  end
  local width = {}
  for i, h in ipairs(header) do width[i] = #h end
  for _, r in ipairs(rows) do
    for i, cell in ipairs(r) do width[i] = math.max(width[i] or 0, #cell) end
  end
  local function line(cells)
    local parts = {}
    for i, cell in ipairs(cells) do
      parts[i] = i == #cells and cell or cell .. string.rep(" ", width[i] - #cell)
    end
    io.stdout:write(table.concat(parts, "  "), "\n")
  end
  line(header)
  local rule = {}
  for i in ipairs(header) do rule[i] = string.rep("-", width[i]) end
  line(rule)
  for _, r in ipairs(rows) do line(r) end
  io.stdout:flush()
end

-- The exit status of a batch: interrupted, some failed, or all fine.
function M.exit_status(stopped, any_failed)
  if stopped then return 128 + stopped end
  return any_failed and 1 or 0
end

-- Creates a run's folder and checks that it can be written, before any
-- run starts: nil, or why not (a message for the user).
function M.prepare_folder(folder)
  local hint = " (choose another with --out DIR)"
  local ok, err = pcall(sys.outpath, folder .. "/run.json")
  if not ok then
    return (tostring(err):gsub("^sys%.outpath: ", ""):gsub("'%./", "'")) .. hint
  end
  local probe = folder .. "/.luagrad-write-test"
  local f, why = io.open(probe, "w")
  if not f then
    return string.format("cannot write in folder '%s': %s", folder, (why:gsub("^.-: ", ""))) .. hint
  end
  f:close()
  os.remove(probe)
  return nil
end

-- Notes that would otherwise come from every run, said once for the whole
-- command: the runs' own copies go to their logs.
function M.shared_notes(o)
  if o.plot == "png" and not sys.which("gnuplot") then
    M.note(o, "luagrad: gnuplot not found, so the runs draw no PNG (their CSV and .gp files "
      .. "are written); install it with sudo apt-get install gnuplot-nox")
  end
end

-- The first error message in a run's stderr.txt, or nil.
local function first_error(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  for line in f:lines() do
    if line:match("^luagrad: ") and not line:match("^luagrad: gnuplot") then
      f:close()
      return line
    end
  end
  f:close()
  return nil
end

-- Runs the jobs through the pool after removing each one's old run.json, so
-- that a run.json in a folder afterwards always describes the latest run
-- (a run killed before its end then has none: incomplete).
--
-- With more than one job, each run's output goes to stdout.txt and
-- stderr.txt in its folder and the terminal (stderr) shows one line per
-- finished run; a single job prints everything, each line prefixed with its
-- name. Every folder is made and checked writable before anything runs:
-- returns nil, why when one cannot be.
function M.run_jobs(o, jobs, folders)
  for _, folder in ipairs(folders) do
    local why = M.prepare_folder(folder)
    if why then return nil, why end
  end
  for _, folder in ipairs(folders) do os.remove(folder .. "/run.json") end
  if #jobs == 1 then return sys.pool(jobs, o.jobs) end

  M.shared_notes(o)
  local width = 0
  for i, job in ipairs(jobs) do
    job.stdout = folders[i] .. "/stdout.txt"
    job.stderr = folders[i] .. "/stderr.txt"
    width = math.max(width, #job.name)
  end
  local finished, failed, started = 0, 0, sys.clock()
  -- On a terminal (also with -q) a last line "k/N done, f failed, ETA m:ss"
  -- is redrawn under the lines of the finished runs.
  local tty = sys.isatty(2)
  local function status(final)
    local spent = sys.clock() - started
    local tail = final and string.format("in %s", M.clock_text(spent))
      or string.format("ETA %s", M.clock_text(spent / finished * (#jobs - finished)))
    io.stderr:write(string.format("\r\27[K%d/%d done, %d failed, %s%s", finished, #jobs, failed,
      tail, final and "\n" or ""))
    io.stderr:flush()
  end
  local function done(i, r)
    finished = finished + 1
    if M.failed(r) then failed = failed + 1 end
    if tty then io.stderr:write("\r\27[K") end
    if not o.quiet then
      local rec = M.read_record(folders[i])
      local state = M.status_text(r, rec)
      -- "[ 9/10]": the counter as wide as the last one, so names line up
      local counter = string.format("[%" .. #tostring(#jobs) .. "d/%d]", finished, #jobs)
      io.stderr:write(string.format("%s %-" .. width .. "s  %-15s %7s  %s/stdout.txt\n",
        counter, jobs[i].name, state, r.seconds and string.format("%.2fs", r.seconds) or "-",
        folders[i]))
      if M.failed(r) and state ~= "interrupted" then
        local msg = r.error or first_error(jobs[i].stderr)
        if msg then io.stderr:write(string.rep(" ", #counter + 1), msg, "\n") end
      end
    end
    if tty and finished < #jobs then status(false) end
  end
  local results, stopped = sys.pool(jobs, o.jobs, done)
  if tty and finished > 0 then status(true) end
  return results, stopped
end

-- m:ss, or h:mm:ss from an hour.
function M.clock_text(seconds)
  local t = math.floor(seconds + 0.5)
  if t >= 3600 then return string.format("%d:%02d:%02d", t // 3600, t // 60 % 60, t % 60) end
  return string.format("%d:%02d", t // 60, t % 60)
end

function M.run(o)
  usage_line = o.usage
  local scripts = o.args
  local names, plan = {}, {}
  for _, script in ipairs(scripts) do
    if script:match("^[%a_][%w_]*=") then
      return M.usage_error("run", "'%s' looks like a parameter; run takes scripts only "
        .. "(to set parameters use luagrad sweep SCRIPT.lua %s)", script, script)
    end
    if script == "-" then
      return M.usage_error("run", "cannot run a script from stdin ('-') in a batch")
    end
    local ok, why = M.readable(script)
    if not ok then return M.usage_error("run", "cannot open '%s': %s", script, why) end
    local name = M.basename(script)
    if names[name] then
      return M.usage_error("run", "'%s' and '%s' would both write to %s/%s/; "
        .. "rename one or run them in separate batches", names[name], script, o.out, name)
    end
    names[name] = script
    plan[#plan + 1] = { script = script, name = name, folder = o.out .. "/" .. name }
  end

  local jobs, folders = {}, {}
  for i, p in ipairs(plan) do
    jobs[i] = { name = p.name, argv = M.child_argv(o, p.script, p.folder) }
    folders[i] = p.folder
  end
  M.note(o, "luagrad run: %d script%s, up to %d at once, output under %s/",
    #plan, #plan == 1 and "" or "s", math.min(o.jobs, #plan), o.out)
  local results, stopped = M.run_jobs(o, jobs, folders)
  if not results then
    io.stderr:write("luagrad: run: ", stopped, "\n")
    return 1
  end

  local rows, any_failed = {}, false
  for i, p in ipairs(plan) do
    local r = results[i]
    local rec = M.read_record(p.folder)
    any_failed = any_failed or M.failed(r)
    local files = rec and type(rec.files) == "table" and rec.files or {}
    rows[i] = {
      p.script, M.status_text(r, rec),
      r.seconds and string.format("%.2f", r.seconds) or "-",
      p.folder .. "/",
      rec and table.concat(files, " ") or "-",
    }
    if r.error then io.stderr:write("luagrad: run: ", r.error, "\n") end
  end
  io.stdout:write("\n")
  M.print_table({ "script", "status", "seconds", "output", "files written" }, rows)
  local failed = 0
  for i in ipairs(plan) do if M.failed(results[i]) then failed = failed + 1 end end
  if failed > 0 then
    io.stdout:write(string.format("%d of %d failed\n", failed, #plan))
  end
  return M.exit_status(stopped, any_failed)
end

function M.sweep(o)
  usage_line = o.usage
  return require("luagrad.sweep").main(o)
end

function M.collect(o)
  usage_line = o.usage
  return require("luagrad.runs").collect(o)
end

return M
