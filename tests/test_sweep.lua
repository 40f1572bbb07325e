-- tests/test_sweep.lua: `luagrad sweep` (every combination of parameter
-- values, runs.csv, resuming, --force, ranges, bad specifications,
-- --emit-jobs) and `luagrad collect`, through the real luagrad binary.
--
-- The swept script does gradient descent on f(w) = (w - 3)^2 from w = 0:
-- w <- w - lr * 2 (w - 3), so after e epochs w = 3 (1 - (1 - 2 lr)^e),
-- the closed form the reported figures are checked against.
local T = dofile("tests/check.lua")
local folder, run_in, lines = T.folder, T.run_in, T.lines
local json = require("luagrad.json")
local sys = require("luagrad.sys")
local Q = T.quote

local EXE = T.exe

local GD = [[
local P = params{ lr = 0.1, epochs = 2, tag = "a", shuffle = false }
local f = io.open("count.txt", "a") f:write(P.lr, " ", P.epochs, "\n") f:close()
if io.open("fail-" .. P.epochs) then error("asked to fail") end
if io.open("hang") and P.lr == 0.25 and P.epochs == 2 then
  local p = io.popen("echo $PPID") local pid = p:read("l") p:close()
  local m = io.open("hung.pid.tmp", "w") m:write(pid) m:close()
  os.rename("hung.pid.tmp", "hung.pid")
  while true do end
end
local w = 0.0
for e = 1, P.epochs do w = w - P.lr * 2 * (w - 3) end
report{ w = w, loss = (w - 3)^2 }
]]

local function closed_form(lr, epochs)
  local w = 3 * (1 - (1 - 2 * lr) ^ epochs)
  return w, (w - 3) ^ 2
end




local function count_runs(dir)
  return #lines(T.slurp(dir .. "/count.txt") or "")
end

-- A CSV file (RFC 4180 quoting, no newlines in fields) as header, rows.
local function read_csv(path)
  local text = T.slurp(path)
  T.truthy(text, path .. " exists")
  local rows = {}
  for _, line in ipairs(lines(text)) do
    local fields, i = {}, 1
    while i <= #line + 1 do
      if line:sub(i, i) == '"' then
        local j, value = i + 1, {}
        while true do
          local q = line:find('"', j, true)
          value[#value + 1] = line:sub(j, q - 1)
          if line:sub(q + 1, q + 1) == '"' then
            value[#value + 1] = '"'
            j = q + 2
          else
            i = q + 2
            break
          end
        end
        fields[#fields + 1] = table.concat(value)
      else
        local c = line:find(",", i, true) or #line + 1
        fields[#fields + 1] = line:sub(i, c - 1)
        i = c + 1
      end
    end
    rows[#rows + 1] = fields
  end
  local header = table.remove(rows, 1)
  return header, rows
end

local function record(path)
  local text = T.slurp(path)
  return text and json.decode(text, path)
end

-- ---- a sweep and its runs.csv -------------------------------------------------

T.test("sweep: one run per combination, runs.csv with parameters and figures", function()
  local d = folder{ ["gd.lua"] = GD }
  local st, out, err = run_in(d, "sweep -j 2 gd.lua lr=0.1,0.25 epochs=1:3:1")
  T.eq(st, 0, "status " .. err)
  T.eq(count_runs(d), 6, "runs")
  T.contains(err, "luagrad sweep: 6 runs of gd.lua, 6 to do, up to 2 at once, output under out/gd/")
  T.contains(T.slurp(d .. "/out/gd/lr=0.1,epochs=1/stdout.txt"), "params: epochs=1 lr=0.1 shuffle=false tag=\"a\"")
  T.truthy(not out:find("params:", 1, true), "the runs' output is in their logs")
  local progress = 0
  for _, l in ipairs(lines(err)) do if l:match("^%[%d/6%] ") then progress = progress + 1 end end
  T.eq(progress, 6, "one line per run:\n" .. err)
  local header, rows = read_csv(d .. "/out/gd/runs.csv")
  T.eq(table.concat(header, ","), "run,epochs,lr,shuffle,tag,loss,w,status,seconds", "header")
  T.eq(#rows, 6, "rows")
  local seen = {}
  for i, r in ipairs(rows) do
    local epochs, lr = tonumber(r[2]), tonumber(r[3])
    T.eq(r[1], "lr=" .. r[3] .. ",epochs=" .. r[2], "run folder of row " .. i)
    seen[r[1]] = true
    T.eq(r[4], "false", "shuffle")
    T.eq(r[5], "a", "tag")
    local w, loss = closed_form(lr, epochs)
    T.near(tonumber(r[6]), loss, 1e-12, "loss of " .. r[1])
    T.near(tonumber(r[7]), w, 1e-12, "w of " .. r[1])
    T.eq(r[8], "0", "status")
    T.truthy(tonumber(r[9]) >= 0, "seconds")
    T.eq(record(d .. "/out/gd/" .. r[1] .. "/run.json").params.lr, lr, "run.json of " .. r[1])
  end
  for _, lr in ipairs{ "0.1", "0.25" } do
    for e = 1, 3 do T.truthy(seen["lr=" .. lr .. ",epochs=" .. e], "row lr=" .. lr .. " epochs=" .. e) end
  end
  -- sorted by the parameters: epochs, then lr, numerically
  T.eq(rows[1][1], "lr=0.1,epochs=1", "first row")
  T.eq(rows[2][1], "lr=0.25,epochs=1", "second row")
  -- the summary table
  T.truthy(out:match("\nrun +status +seconds +loss +w\n"), "summary header:\n" .. out)
  T.truthy(out:match("\nlr=0%.25,epochs=3 +ok +%d+%.%d%d +0%.140625 +2%.625\n"), "summary row")
end)

T.test("sweep: with 10 runs or more the per-run lines keep their names in one column", function()
  local d = folder{ ["gd.lua"] = GD }
  local st, _, err = run_in(d, "sweep -j 2 gd.lua epochs=1:10:1")
  T.eq(st, 0, "status " .. err)
  local starts = {}
  for _, l in ipairs(lines(err)) do
    local counter = l:match("^(%[[ %d]+/10%]) epochs=")
    if counter then starts[#starts + 1] = #counter end
  end
  T.eq(#starts, 10, "one line per run:\n" .. err)
  for i = 1, 10 do T.eq(starts[i], #"[10/10]", "line " .. i .. "'s counter width:\n" .. err) end
  T.truthy(err:find("\n%[ 1/10%] epochs="), "[ 1/10]:\n" .. err)
end)

T.test("sweep: the plot of each figure, pivoted against the first swept key", function()
  local d = folder{ ["gd.lua"] = GD }
  local st = run_in(d, "sweep -q gd.lua lr=0.1,0.25 epochs=1,2")
  T.eq(st, 0, "status")
  local header, rows = read_csv(d .. "/out/gd/sweep_loss.csv")
  T.eq(table.concat(header, ","), "lr,epochs=1,epochs=2", "header")
  T.eq(#rows, 2, "rows: one per lr")
  for i, lr in ipairs{ 0.1, 0.25 } do
    T.eq(tonumber(rows[i][1]), lr, "x")
    for e = 1, 2 do
      local _, loss = closed_form(lr, e)
      T.near(tonumber(rows[i][e + 1]), loss, 1e-12, "loss at lr " .. lr .. " epochs " .. e)
    end
  end
  T.truthy(T.slurp(d .. "/out/gd/sweep_loss.gp"), "gnuplot script")
  if sys.which("gnuplot") then
    local png = T.slurp(d .. "/out/gd/sweep_loss.png")
    T.truthy(png and png:sub(2, 4) == "PNG", "sweep_loss.png is a PNG")
  end
  -- without gnuplot: the CSV and the script, and one hint
  local d2 = folder{ ["gd.lua"] = GD }
  local st2, _, err2 = T.sh("cd " .. Q(d2) .. " && PATH=/nonexistent " .. Q(EXE) ..
    " sweep gd.lua lr=0.1,0.25")
  T.eq(st2, 0, "status without gnuplot")
  T.contains(err2, "gnuplot not found")
  T.truthy(T.slurp(d2 .. "/out/gd/sweep_loss.gp"), "script written")
  T.eq(T.slurp(d2 .. "/out/gd/sweep_loss.png"), nil, "no PNG")
end)

T.test("sweep: a swept key with one value stays out of the plot's legend", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q --plot none gd.lua lr=0.1,0.25 epochs=2 tag=b"), 0, "status")
  local header, rows = read_csv(d .. "/out/gd/sweep_loss.csv")
  T.eq(table.concat(header, ","), "lr,loss", "one line, named after the figure")
  T.eq(#rows, 2, "rows")
  -- and a key that does vary still names the lines
  T.eq(run_in(d, "sweep -q --plot none gd.lua lr=0.1,0.25 epochs=1,2 tag=b"), 0, "status")
  header = read_csv(d .. "/out/gd/sweep_loss.csv")
  T.eq(table.concat(header, ","), "lr,epochs=1,epochs=2", "lines per epochs, not tag")
end)

T.test("sweep: a log range spanning 100x or more is plotted on a log x axis", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q --plot none gd.lua lr=0.001:0.1:log3"), 0, "status")
  local header, rows = read_csv(d .. "/out/gd/sweep_w.csv")
  T.eq(table.concat(header, ","), "lr,w", "header")
  T.eq(tonumber(rows[1][1]), 0.001, "the first lr")
  T.eq(tonumber(rows[3][1]), 0.1, "the last lr")
  T.contains(T.slurp(d .. "/out/gd/sweep_w.gp"), "set logscale x")
  T.truthy(not T.slurp(d .. "/out/gd/sweep_w.gp"):find("set logscale y", 1, true),
    "w spans less than 100x: a linear y axis")
end)

T.test("runs.csv: columns named like others are renamed, not lost", function()
  local d = folder{ ["c.lua"] = 'local P = params{ seconds = 1, lr = 0.5 }\n' ..
    'report{ lr = P.lr * 2, run = "x", status = 7 }\n' }
  T.eq(run_in(d, "sweep -q --plot none c.lua seconds=1,2"), 0, "status")
  local header, rows = read_csv(d .. "/out/c/runs.csv")
  T.eq(table.concat(header, ","), "run,lr,param_seconds,report_lr,report_run,report_status,status,seconds",
    "header")
  T.eq(table.concat(rows[2], ",", 1, 7), "seconds=2,0.5,2,1,x,7,0", "row (the CSV writes the float 1.0 as 1)")
end)

-- ---- resuming ------------------------------------------------------------------

T.test("sweep again: complete runs are skipped; --force runs them again", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25 epochs=1,2"), 0, "first sweep")
  T.eq(count_runs(d), 4, "runs")
  local before = T.slurp(d .. "/out/gd/lr=0.1,epochs=1/run.json")
  local st, out, err = run_in(d, "sweep gd.lua lr=0.1,0.25 epochs=1,2")
  T.eq(st, 0, "status")
  T.eq(count_runs(d), 4, "no run again")
  T.contains(err, "luagrad sweep: 4 of 4 runs already complete, skipped (--force runs them again)")
  T.truthy(out:match("\nlr=0%.1,epochs=1 +ok %(done before%)"), "summary:\n" .. out)
  T.eq(T.slurp(d .. "/out/gd/lr=0.1,epochs=1/run.json"), before, "run.json untouched")
  local _, rows = read_csv(d .. "/out/gd/runs.csv")
  T.eq(#rows, 4, "runs.csv still has every run")
  -- a sweep with more values runs only the new ones
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25,0.4 epochs=1,2"), 0, "bigger sweep")
  T.eq(count_runs(d), 6, "two new runs")
  T.eq(run_in(d, "sweep -q --force gd.lua lr=0.1,0.25 epochs=1,2"), 0, "--force")
  T.eq(count_runs(d), 10, "four runs again")
end)

T.test("sweep again with --sandbox: runs made outside it, or with other --data, run again", function()
  local d = folder{ ["w.lua"] = 'local P = params{ lr = 0.1 }\nreport{ w = P.lr * 2 }\n' }
  T.eq(T.sh("mkdir " .. T.quote(d .. "/in")), 0, "a data folder")
  local function reran(args, what)
    local st, out, err = run_in(d, "sweep --plot none " .. args .. " w.lua lr=0.1,0.25")
    T.eq(st, 0, what .. ": status; " .. err)
    local before = select(2, out:gsub("ok %(done before%)", ""))
    return before == 0 and "ran" or before == 2 and "skipped" or "mixed:\n" .. out
  end
  T.eq(reran("", "unsandboxed"), "ran", "first sweep")
  T.eq(reran("--sandbox", "sandboxed"), "ran", "runs made outside the sandbox run again in it")
  T.eq(reran("--sandbox", "sandboxed again"), "skipped", "sandboxed runs are complete for it")
  T.eq(reran("--sandbox --data in", "with --data"), "ran", "other data folders: run again")
  T.eq(reran("--sandbox --data in", "the same --data"), "skipped", "the same data folders")
  T.eq(reran("--sandbox --data in/", "the same --data, with a slash"), "skipped", "in/ is in")
  T.eq(reran("--sandbox --data ./in", "the same --data, from ./"), "skipped", "./in is in")
  T.eq(reran("", "unsandboxed after sandboxed"), "skipped",
    "a sandboxed run is complete for an unsandboxed sweep")
  T.eq(reran("--timeout 60 --max-mem 500", "with limits"), "skipped",
    "limits do not make a run that succeeded incomplete")
end)

T.test("sweep again: a changed script, seed or default runs again", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25"), 0, "first")
  T.eq(run_in(d, "sweep -q --seed 3 gd.lua lr=0.1,0.25"), 0, "another seed")
  T.eq(count_runs(d), 4, "another seed runs again")
  T.eq(run_in(d, "sweep -q --seed 3 gd.lua lr=0.1,0.25"), 0, "same seed")
  T.eq(count_runs(d), 4, "same seed: skipped")
  T.write(d .. "/gd.lua", GD .. "-- edited\n")
  T.eq(run_in(d, "sweep -q --seed 3 gd.lua lr=0.1,0.25"), 0, "edited script")
  T.eq(count_runs(d), 6, "an edited script runs again")
  T.write(d .. "/gd.lua", (GD:gsub("epochs = 2", "epochs = 3")))
  T.eq(run_in(d, "sweep -q --seed 3 gd.lua lr=0.1,0.25"), 0, "new default")
  T.eq(count_runs(d), 8, "a new default runs again")
end)

T.test("sweep again: failed runs run again, complete ones do not", function()
  local d = folder{ ["gd.lua"] = GD, ["fail-2"] = "" }
  local st, out = run_in(d, "sweep -q gd.lua lr=0.1,0.25 epochs=1,2")
  T.eq(st, 1, "a run failed: status 1")
  T.truthy(out:match("\nlr=0%.1,epochs=2 +failed %(exit 1%)"), "summary:\n" .. out)
  T.truthy(out:match("\n2 of 4 failed\n$"), "the count ends the summary:\n" .. out)
  local _, rows = read_csv(d .. "/out/gd/runs.csv")
  T.eq(#rows, 4, "failed runs are in runs.csv too")
  T.eq(rows[3][1], "lr=0.1,epochs=2", "row 3")
  T.eq(rows[3][8], "1", "its status")
  T.eq(rows[3][6], "", "no figure")
  os.remove(d .. "/fail-2")
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25 epochs=1,2"), 0, "second sweep")
  T.eq(count_runs(d), 6, "only the two failed runs ran again")
end)

T.test("sweep: a run killed midway (SIGKILL) is incomplete and runs again", function()
  local d = folder{ ["gd.lua"] = GD, ["hang"] = "" }
  local cmd = table.concat({
    "cd " .. Q(d),
    Q(EXE) .. " sweep -j 2 gd.lua lr=0.1,0.25 epochs=1,2 >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while [ ! -f hung.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
    "kill -KILL $(cat hung.pid)",
    "wait $pid; echo $?",
  }, "\n")
  local _, status = T.sh("timeout 60 sh -c " .. Q(cmd))
  T.eq(tonumber(status), 1, "the sweep's status")
  local out = T.slurp(d .. "/stdout.txt")
  T.truthy(out:match("\nlr=0%.25,epochs=2 +killed %(signal 9%)"), "summary:\n" .. out)
  T.eq(T.slurp(d .. "/out/gd/lr=0.25,epochs=2/run.json"), nil, "no run.json: incomplete")
  local _, rows = read_csv(d .. "/out/gd/runs.csv")
  T.eq(rows[4][1], "lr=0.25,epochs=2", "the killed run's row")
  T.eq(rows[4][8], "137", "status 128 + 9")
  T.eq(count_runs(d), 4, "four runs")
  os.remove(d .. "/hang")
  local st, out2, err2 = run_in(d, "sweep gd.lua lr=0.1,0.25 epochs=1,2")
  T.eq(st, 0, "status of the second sweep")
  T.contains(err2, "4 runs of gd.lua, 1 to do")
  T.eq(count_runs(d), 5, "only the killed run ran again")
  T.truthy(out2:match("\nlr=0%.25,epochs=2 +ok +%d"), "summary:\n" .. out2)
  T.eq(record(d .. "/out/gd/lr=0.25,epochs=2/run.json").status, 0, "complete now")
end)

T.test("sweep: Ctrl-C stops it with the summary, exit 130; the next sweep resumes", function()
  local d = folder{ ["gd.lua"] = GD, ["hang"] = "" }
  local cmd = table.concat({
    "cd " .. Q(d),
    Q(EXE) .. " sweep -j 1 gd.lua lr=0.1,0.25 epochs=2,1 >stdout.txt 2>stderr.txt &",
    "pid=$!",
    "i=0; while [ ! -f hung.pid ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done",
    "kill -INT $pid",
    "wait $pid; echo $?",
  }, "\n")
  local _, status = T.sh("timeout 60 sh -c " .. Q(cmd))
  T.eq(tonumber(status), 130, "status")
  local out = T.slurp(d .. "/stdout.txt")
  T.truthy(out:match("\nlr=0%.25,epochs=2 +interrupted"), "summary:\n" .. out)
  T.truthy(out:match("\nlr=0%.25,epochs=1 +not run"), "the last run did not start")
  os.remove(d .. "/hang")
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25 epochs=2,1"), 0, "resumed")
  T.eq(count_runs(d), 5, "2 before the interrupted one, it, then it and the last")
end)

-- ---- values: lists, ranges, canonical forms, folder names --------------------------

-- The folders an --emit-jobs would run, in plan order.
local function planned(d, args)
  local st, out, err = run_in(d, "sweep --emit-jobs gd.lua " .. args)
  T.eq(st, 0, "status of " .. args .. ": " .. err)
  local names = {}
  for _, l in ipairs(lines(out)) do names[#names + 1] = l:match("/out/gd/(%S-)'? %-%-") end
  return table.concat(names, " ")
end

T.test("sweep ranges: step, linN, logN; canonical values", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(planned(d, "epochs=10:100:10"),
    "epochs=10 epochs=20 epochs=30 epochs=40 epochs=50 epochs=60 epochs=70 epochs=80 epochs=90 epochs=100",
    "integer step, both ends")
  T.eq(planned(d, "epochs=5:1:-2"), "epochs=5 epochs=3 epochs=1", "descending")
  T.eq(planned(d, "epochs=1:10:4"), "epochs=1 epochs=5 epochs=9", "to not on the grid")
  T.eq(planned(d, "lr=0.001:1:log4"), "lr=0.001 lr=0.01 lr=0.1 lr=1.0", "log4")
  T.eq(planned(d, "lr=0:1:lin5"), "lr=0.0 lr=0.25 lr=0.5 lr=0.75 lr=1.0", "lin5")
  T.eq(planned(d, "lr=0:0.5:0.1"), "lr=0.0 lr=0.1 lr=0.2 lr=0.3 lr=0.4 lr=0.5",
    "float step, rounded to 15 digits (0.30000000000000004 -> 0.3)")
  T.eq(planned(d, "epochs=1:1024:log11"),
    "epochs=1 epochs=2 epochs=4 epochs=8 epochs=16 epochs=32 epochs=64 epochs=128 epochs=256 epochs=512 epochs=1024",
    "integer log range")
  T.eq(planned(d, "lr=1e-2,2 epochs=1e1"), "lr=0.01,epochs=10 lr=2.0,epochs=10", "canonical numbers")
  T.eq(planned(d, "shuffle=yes,off"), "shuffle=true shuffle=false", "canonical booleans")
  T.eq(planned(d, "tag=1:2:3"), "tag=1%3A2%3A3", "a string is never a range")
end)

T.test("sweep folder names escape what file systems do not allow", function()
  local d = folder{ ["gd.lua"] = GD }
  local value = 'a b/c\\d:e*f?g"h<i>j|k%l=m.'
  local st, _, err = run_in(d, "sweep -q gd.lua " .. Q("tag=" .. value .. ",ok"))
  T.eq(st, 0, "status " .. err)
  local name = "tag=a%20b%2Fc%5Cd%3Ae%2Af%3Fg%22h%3Ci%3Ej%7Ck%25l%3Dm%2E"
  local r = record(d .. "/out/gd/" .. name .. "/run.json")
  T.truthy(r, "the escaped folder " .. name)
  T.eq(r.params.tag, value, "the value reached the script whole")
  T.truthy(record(d .. "/out/gd/tag=ok/run.json"), "the plain folder tag=ok")
end)

T.test("sweep: a very long folder name is cut and made unique with a hash", function()
  local d = folder{ ["gd.lua"] = GD }
  local long = string.rep("x", 300)
  local names = planned(d, "tag=" .. long .. "1," .. long .. "2")
  local a, b = names:match("^(%S+) (%S+)$")
  T.eq(#a, 200, "length of a cut name")
  T.truthy(a:match("^tag=x+~%x+$") and a ~= b, "cut, hashed, distinct: " .. a .. " " .. b)
end)

-- ---- bad specifications -----------------------------------------------------------

-- Each case {args, message}: `sweep args` exits 2 with the message and the
-- usage line on stderr, and prints nothing on stdout.
local function usage_errors(d, cases)
  for _, c in ipairs(cases) do
    local st, out, err = run_in(d, "sweep " .. c[1])
    T.eq(st, 2, "status of sweep " .. c[1])
    T.contains(err, c[2], "usage: luagrad")
    T.eq(out, "", "stdout of " .. c[1])
  end
end

T.test("bad sweep specifications are clear errors before anything runs", function()
  local d = folder{ ["gd.lua"] = GD, ["syntax.lua"] = "x = = 1\n", ["none.lua"] = "print(1)\n" }
  local cases = {
    { "gd.lua lrr=0.1", "luagrad: sweep: unknown parameter 'lrr'; gd.lua declares: "
      .. "epochs=2 (integer), lr=0.1 (float), shuffle=false (boolean), tag=\"a\" (string)" },
    { "none.lua a=1", "luagrad: sweep: unknown parameter 'a': none.lua declares no parameters" },
    { "gd.lua lr=", "luagrad: sweep: lr: no values (write lr=a,b,c or a range)" },
    { "gd.lua lr=0.1,,0.2", "luagrad: sweep: lr: empty value in '0.1,,0.2'" },
    { "gd.lua lr=0.1,", "luagrad: sweep: lr: empty value in '0.1,'" },
    { "gd.lua epochs=ten", "luagrad: sweep: epochs: 'ten' is not an integer (default 2)" },
    { "gd.lua epochs=1,2.5", "luagrad: sweep: epochs: '2.5' is not an integer (default 2)" },
    { "gd.lua lr=fast", "luagrad: sweep: lr: 'fast' is not a number (default 0.1)" },
    { "gd.lua shuffle=maybe", "luagrad: sweep: shuffle: 'maybe' is not a boolean" },
    { "gd.lua lr=0.1,1e-1", "luagrad: sweep: lr: the value 0.1 is given twice" },
    { "gd.lua lr=1:0:0.1", "luagrad: sweep: lr: range '1:0:0.1': a step of 0.1 never goes from 1 to 0" },
    { "gd.lua lr=0:1:0", "luagrad: sweep: lr: range '0:1:0': the step must be a finite number other than 0" },
    { "gd.lua lr=0:1:log3", "luagrad: sweep: lr: range '0:1:log3': a log range needs both ends > 0" },
    { "gd.lua lr=a:1:lin3", "luagrad: sweep: lr: range 'a:1:lin3': 'a' is not a number" },
    { "gd.lua lr=0:1:lin1", "luagrad: sweep: lr: range '0:1:lin1': lin1: the number of values must be 2 to 10000" },
    { "gd.lua lr=0:1:sqrt3", "luagrad: sweep: lr: range '0:1:sqrt3': 'sqrt3' is not a step, linN or logN" },
    { "gd.lua lr=0:1", "luagrad: sweep: lr: '0:1' is not a list or a range (from:to:step, from:to:linN or from:to:logN)" },
    { "gd.lua epochs=1:10:2.5", "luagrad: sweep: epochs: range '1:10:2.5': epochs is an integer parameter, "
      .. "so from, to and step must be integers" },
    { "gd.lua epochs=0:10:lin4", "luagrad: sweep: epochs: range '0:10:lin4' gives 3.33333333333333, "
      .. "which is not an integer (epochs is an integer parameter)" },
    { "gd.lua epochs=0:100000:1", "luagrad: sweep: epochs: range '0:100000:1' has 100001 values, more than 10000" },
    { "gd.lua lr=0:1:lin1000 epochs=1:1000:1", "luagrad: sweep: 1000000 runs is more than 100000" },
    { "gd.lua tag=A,a", "luagrad: sweep: the folders 'tag=A' and 'tag=a' differ only in letter case" },
    { "gd.lua", "luagrad: sweep: no values to sweep: give at least one key=LIST after gd.lua" },
    { "gd.lua lr=0.1 lr=0.2", "luagrad: parameter given twice: 'lr=0.2'" },
    { "gd.lua lr", "luagrad: unexpected argument 'lr' (sweep values are written key=LIST)" },
    { "nope.lua lr=1", "luagrad: sweep: cannot open 'nope.lua': No such file or directory" },
    { "- lr=1", "luagrad: sweep: cannot sweep a script from stdin ('-')" },
    { "", "luagrad: sweep needs a script" },
  }
  usage_errors(d, cases)
  -- a script that cannot even list its parameters: its error, exit 1
  local st, _, err = run_in(d, "sweep syntax.lua x=1")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: syntax.lua:1: unexpected symbol near '='",
    "luagrad: sweep: cannot read the parameters of syntax.lua")
  T.eq(T.slurp(d .. "/count.txt"), nil, "nothing ran")
  T.eq(T.sh("test -e " .. Q(d .. "/out")), 1, "no output folder was made")
end)

-- Ranges whose count is past any integer, and integer ranges at the 64-bit
-- limits, once ended in an internal traceback or a wrong list (found by
-- tests/fuzz/params.c). The values near the limits are exact: counted by hand.
T.test("huge ranges are clear errors; integer ranges at the 64-bit limits are exact", function()
  local d = folder{ ["gd.lua"] = GD }
  local cases = {
    { "gd.lua lr=1:1e300:1e-300", "luagrad: sweep: lr: range '1:1e300:1e-300' has infinitely many values, more than 10000" },
    { "gd.lua lr=-1e308:1e308:1e-300", "range '-1e308:1e308:1e-300' has infinitely many values, more than 10000" },
    { "gd.lua lr=1:2:1e-320", "range '1:2:1e-320' has infinitely many values, more than 10000" },
    { "gd.lua epochs=0:9223372036854775807:1",
      "range '0:9223372036854775807:1' has 9223372036854775808 values, more than 10000" },
    { "gd.lua lr=0:1:lin99999999999999999999",
      "range '0:1:lin99999999999999999999': lin99999999999999999999: the number of values must be 2 to 10000" },
    { "gd.lua epochs=9223372036854775807:9223372036854775806:1",
      "a step of 1 never goes from 9223372036854775807 to 9223372036854775806" },
  }
  usage_errors(d, cases)
  local st, out = run_in(d, "sweep --emit-jobs gd.lua epochs=9223372036854775805:9223372036854775807:1")
  T.eq(st, 0, "status")
  local got = {}
  for v in out:gmatch("epochs=(%-?%d+)\n") do got[#got + 1] = v end
  T.eq(table.concat(got, " "), "9223372036854775805 9223372036854775806 9223372036854775807",
    "the three values up to the largest integer")
  st, out = run_in(d, "sweep --emit-jobs gd.lua epochs=-9223372036854775806:-9223372036854775808:-1")
  got = {}
  for v in out:gmatch("epochs=(%-?%d+)\n") do got[#got + 1] = v end
  T.eq(table.concat(got, " "), "-9223372036854775806 -9223372036854775807 -9223372036854775808",
    "down to the smallest integer")
end)

-- ---- past one machine: --emit-jobs and collect --------------------------------------

-- runs.csv without its last column (seconds).
local function without_seconds(path)
  local out = {}
  for _, l in ipairs(lines(T.slurp(path))) do out[#out + 1] = l:gsub(",[^,]*$", "") end
  return table.concat(out, "\n")
end

T.test("--emit-jobs through xargs -P 2, then collect: the same runs.csv as a local sweep", function()
  local d = folder{ ["gd.lua"] = GD }
  local spec = "gd.lua lr=0.1,0.25,0.4 epochs=1:2:1 tag=x,y"
  T.eq(run_in(d, "sweep -q --out local " .. spec), 0, "local sweep")
  local st, jobs, err = run_in(d, "sweep --emit-jobs --out remote " .. spec)
  T.eq(st, 0, "status " .. err)
  local list = lines(jobs)
  T.eq(#list, 12, "one line per run")
  for _, l in ipairs(list) do
    T.truthy(l:sub(1, 3 + #d) == "cd " .. d or l:sub(1, 4 + #d) == "cd '" .. d,
      "each line starts in the sweep's folder: " .. l)
    T.contains(l, Q(EXE):gsub("^'(.*)'$", "%1"), " --out " .. d .. "/remote/gd/", " -- " .. d .. "/gd.lua lr=")
  end
  -- run them from elsewhere, two at a time
  local jobfile = d .. "/jobs.txt"
  T.write(jobfile, jobs)
  local xst, _, xerr = T.sh("cd / && xargs -d '\\n' -n 1 -P 2 sh -c < " .. Q(jobfile))
  T.eq(xst, 0, "xargs " .. xerr)
  local cst, _, cerr = run_in(d, "collect remote/gd")
  T.eq(cst, 0, "collect " .. cerr)
  T.contains(cerr, "luagrad collect: 12 runs into remote/gd/runs.csv")
  T.eq(without_seconds(d .. "/remote/gd/runs.csv"), without_seconds(d .. "/local/gd/runs.csv"),
    "runs.csv of collect and of the local sweep")
  local header, rows = read_csv(d .. "/remote/gd/runs.csv")
  T.eq(#rows, 12, "rows")
  T.eq(header[1], "run", "first column")
  -- the emitted runs are complete: emitting again prints nothing to do
  local _, again, note = run_in(d, "sweep --emit-jobs --out remote " .. spec)
  T.eq(again, "", "nothing left to run")
  T.contains(note, "12 of 12 runs already complete")
end)

T.test("collect: every run.json under DIR, bad ones reported", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25"), 0, "sweep")
  T.eq(run_in(d, "collect out/gd"), 0, "collect")
  local header, rows = read_csv(d .. "/out/gd/runs.csv")
  T.eq(#rows, 2, "rows")
  T.eq(table.concat(header, ","), "run,epochs,lr,shuffle,tag,loss,w,status,seconds", "header")
  -- a single run of the script in the top folder is collected too, as "."
  T.eq(run_in(d, "-q --out out/gd gd.lua lr=0.5"), 0, "a single run")
  T.eq(run_in(d, "collect out/gd/"), 0, "collect")
  local _, rows2 = read_csv(d .. "/out/gd/runs.csv")
  T.eq(#rows2, 3, "rows")
  T.eq(rows2[3][1], ".", "the single run")
  -- a broken run.json is skipped with a message, exit 1
  T.write(d .. "/out/gd/lr=0.1/run.json", "{ broken")
  local st, _, err = run_in(d, "collect out/gd")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: collect: skipping out/gd/lr=0.1/run.json: json.decode: out/gd/lr=0.1/run.json:1:3:")
  local _, rows3 = read_csv(d .. "/out/gd/runs.csv")
  T.eq(#rows3, 2, "the others are still collected")
end)

T.test("collect: errors", function()
  local d = folder()
  local st, _, err = run_in(d, "collect nope")
  T.eq(st, 2, "status")
  T.contains(err, "luagrad: collect: cannot read folder 'nope': No such file or directory", "usage: luagrad collect [-q] [--plot MODE] [--html] DIR")
  os.execute("mkdir " .. Q(d .. "/empty"))
  st, _, err = run_in(d, "collect empty")
  T.eq(st, 1, "status")
  T.contains(err, "luagrad: collect: no run.json under empty/")
  st, _, err = run_in(d, "collect")
  T.eq(st, 2, "status")
  T.contains(err, "luagrad: collect needs exactly one folder")
end)

T.test("sweep plots: a figure that is inf in a run, and one named like the swept key", function()
  local d = folder{ ["f.lua"] = 'local P = params{ lr = 0.5 }\n' ..
    'report{ lr = P.lr * 2, loss = P.lr > 1 and math.huge or P.lr }\n' }
  T.eq(run_in(d, "sweep -q --plot none f.lua lr=0.5,2"), 0, "status")
  local header, rows = read_csv(d .. "/out/f/sweep_loss.csv")
  T.eq(table.concat(header, ","), "lr,loss", "loss is plotted though one run gave inf")
  T.eq(rows[2][2], "inf", "the inf value")
  local header2 = read_csv(d .. "/out/f/sweep_lr.csv")
  T.eq(table.concat(header2, ","), "lr,report_lr", "the figure lr, renamed as in runs.csv")
end)

-- ---- inputs that used to end in an internal traceback ----------------------------

T.test("sweep: ranges with an infinite or huge count, or near the 64-bit limits", function()
  local d = folder{ ["s.lua"] = 'local P = params{ lr = 0.1, n = 3 }\nreport{ n = P.n }\n' }
  local cases = {
    { "lr=0:1e308:1e-308", "sweep: lr: range '0:1e308:1e-308' has infinitely many values, more than 10000" },
    { "n=0:9223372036854775807:1", "sweep: n: range '0:9223372036854775807:1' has 9223372036854775808 values, more than 10000" },
    { "lr=0:1e20:1e-10", "sweep: lr: range '0:1e20:1e-10' has 1" },
  }
  for _, c in ipairs(cases) do
    local st, _, err = run_in(d, "sweep -q s.lua " .. c[1])
    T.eq(st, 2, c[1] .. ": status")
    T.contains(err, "luagrad: " .. c[2])
    T.truthy(not err:find("traceback"), c[1] .. ": no traceback: " .. err)
  end
  -- the difference of the ends does not fit in 64 bits: counted right
  local st, _, err = run_in(d, "sweep -q s.lua n=9223372036854775807:-9223372036854775808:-9223372036854775807")
  T.eq(st, 0, "status " .. err)
  local _, rows = read_csv(d .. "/out/s/runs.csv")
  local got = {}
  for _, r in ipairs(rows) do got[#got + 1] = r[1] end
  T.eq(table.concat(got, " "), "n=-9223372036854775807 n=0 n=9223372036854775807", "three runs")
  -- a step that would pass the top: stops at the last value that fits
  st = run_in(d, "sweep -q s.lua n=9223372036854775800:9223372036854775807:3")
  T.eq(st, 0, "status")
  _, rows = read_csv(d .. "/out/s/runs.csv")
  T.eq(#rows, 3, "800, 803, 806")
end)

T.test("sweep: a script whose float default is nan or inf", function()
  for _, v in ipairs({ "0/0", "math.huge", "-math.huge" }) do
    local d = folder{ ["s.lua"] = "local P = params{ lr = " .. v .. " }\nreport{ lr = P.lr }\n" }
    local st, _, err = run_in(d, "sweep -q s.lua lr=1,2")
    T.eq(st, 0, v .. ": status " .. err)
    T.truthy(not err:find("traceback"), v .. ": no traceback: " .. err)
  end
end)

T.test("runs.csv: parameters named run and param_run get distinct columns", function()
  local d = folder{ ["c.lua"] = 'local P = params{ run = 1, param_run = 2 }\nreport{ run = 3, param_run = 4 }\n' }
  T.eq(run_in(d, "sweep -q c.lua run=1,2"), 0, "status")
  local header, rows = read_csv(d .. "/out/c/runs.csv")
  T.eq(table.concat(header, ","), "run,param_run,param_run_2,report_param_run,report_run,status,seconds",
    "header")
  T.eq(rows[2][3], "2", "the parameter run of the second run")
end)

T.test("collect: a run.json with a field of an unexpected type is skipped and reported", function()
  local d = folder{ ["gd.lua"] = GD }
  T.eq(run_in(d, "sweep -q gd.lua lr=0.1,0.25,0.5"), 0, "sweep")
  local fields = {
    { '"status": "zero"', "field 'status' should be an integer, got string" },
    { '"params": {"lr": {"x": 1}}', "field 'params' should be an object of numbers, strings and booleans, got table" },
    { '"seconds": [1]', "field 'seconds' should be a number, got table" },
    { '"figures": 3', "field 'figures' should be an object, got integer" },
  }
  for _, f in ipairs(fields) do
    T.write(d .. "/out/gd/lr=0.1/run.json", "{" .. f[1] .. "}\n")
    local st, _, err = run_in(d, "collect out/gd")
    T.eq(st, 1, f[1] .. ": status")
    T.contains(err, "luagrad: collect: skipping out/gd/lr=0.1/run.json: out/gd/lr=0.1/run.json: " .. f[2])
    T.truthy(not err:find("traceback"), "no traceback: " .. err)
    local _, rows = read_csv(d .. "/out/gd/runs.csv")
    T.eq(#rows, 2, "the others are collected")
  end
end)

T.done()
