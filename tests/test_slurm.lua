-- The README's Slurm recipe (sweep --emit-jobs, an array job, collect) on a
-- one-node Slurm brought up here: munged, slurmctld and slurmd as root, with
-- everything they keep (config, state, spool, logs, pid files, the munge key
-- and socket) in a private temporary folder and on ports nothing else listens
-- on. The sbatch script and the commands are read from README.md, so the
-- README and this test cannot drift apart. Where Slurm cannot run (not root,
-- not installed, the daemons do not start) the test is skipped and says why.
local T = dofile("tests/check.lua")
local Q, EXE = T.quote, T.exe
local sys = require("luagrad.sys")

local NAME = "the README's Slurm recipe: an array job over --emit-jobs; collect equals a local sweep"
local ARRAY_DEADLINE = 120  -- seconds for the whole array; a hang fails, never blocks
local START_DEADLINE = 30   -- seconds for the node to come up idle
local LIFETIME = 400        -- the daemons are stopped by timeout(1) at the latest

-- ---- the recipe, from README.md ---------------------------------------------

-- The ```sh blocks of README.md: the sbatch script and the commands around it.
local function recipe()
  local text = assert(T.slurp("README.md"), "README.md not found (run from the source folder)")
  local script, commands
  for body in text:gmatch("\n```sh\n(.-\n)```") do
    if body:find("^#!/bin/sh\n# sweep%.sbatch") then script = body
    elseif body:find("sbatch --array=", 1, true) then commands = body end
  end
  assert(script, "README.md has no ```sh block starting #!/bin/sh and # sweep.sbatch")
  assert(commands, "README.md has no ```sh block with sbatch --array=")
  local submit, after = commands:match("^(.-)# %.%.%. when the array is done:\n(.*)$")
  assert(submit, "the README's Slurm commands have no line '# ... when the array is done:'")
  local grid = submit:match("luagrad sweep %-%-emit%-jobs (.-) > jobs%.txt\n")
  assert(grid, "the README's Slurm commands have no 'luagrad sweep --emit-jobs ... > jobs.txt'")
  return { script = script, submit = submit, after = after, grid = grid }
end

-- ---- a private one-node Slurm -------------------------------------------------

local function sh_out(cmd)
  local _, out = T.sh(cmd)
  return (out or ""):gsub("%s+$", "")
end

-- Two consecutive TCP ports no socket uses now (any state, v4 or v6), from
-- a random start: two copies of this test may run at once on one machine.
local function free_ports()
  local used = {}
  for _, f in ipairs({ "/proc/net/tcp", "/proc/net/tcp6" }) do
    for port in (T.slurp(f) or ""):gmatch("\n%s*%d+: %x+:(%x+)") do used[tonumber(port, 16)] = true end
  end
  local r = assert(io.open("/dev/urandom", "rb"))
  local bytes = r:read(64)
  r:close()
  for i = 1, 63, 2 do
    local p = 20000 + (bytes:byte(i) * 256 + bytes:byte(i + 1)) % 40000
    if not used[p] and not used[p + 1] then return p, p + 1 end
  end
  error("no two free ports found between 20000 and 60000")
end

-- A process that has ended but is not yet reaped (a zombie: the daemons'
-- parent shell is gone) counts as ended.
local function alive(pid)
  local stat = pid and T.slurp("/proc/" .. pid .. "/stat")
  return stat ~= nil and stat:match("^%d+ %(.*%) (%a)") ~= "Z"
end

-- The line of a daemon's log (its log file, then what it wrote to stderr)
-- that says why it stopped: the last fatal or error line, else the last
-- line, as the skip reason quotes it.
local function why(d, name)
  local last, err
  local text = (T.slurp(d .. "/" .. name .. ".log") or "") .. (T.slurp(d .. "/" .. name .. ".console") or "")
  for l in text:gmatch("[^\n]+") do
    last = l
    if l:find("fatal", 1, true) or (l:find("error", 1, true) and not l:find("pmix", 1, true)
        and not l:find("state file", 1, true) and not l:find("state save", 1, true)) then
      err = l
    end
  end
  return err or last or "(its log is empty)"
end

local function slurm_conf(d, ctld_port, slurmd_port)
  -- the node exactly as slurmd finds it (CPUs, sockets, memory): a node
  -- configured with more than it has would be drained
  local hw = sh_out("slurmd -C"):match("^NodeName=%S+ ([^\n]*)")
  if not hw then return nil, "slurmd -C does not describe the node" end
  return table.concat({
    "ClusterName=luagradtest",
    "SlurmctldHost=localhost(127.0.0.1)",
    "SlurmctldPort=" .. ctld_port, "SlurmdPort=" .. slurmd_port,
    "SlurmUser=root", "SlurmdUser=root",
    "AuthType=auth/munge", "CredType=cred/munge", "AuthInfo=socket=" .. d .. "/munge.socket",
    "StateSaveLocation=" .. d .. "/state", "SlurmdSpoolDir=" .. d .. "/spool",
    "SlurmctldPidFile=" .. d .. "/slurmctld.pid", "SlurmdPidFile=" .. d .. "/slurmd.pid",
    "SlurmctldLogFile=" .. d .. "/slurmctld.log", "SlurmdLogFile=" .. d .. "/slurmd.log",
    "PlugStackConfig=" .. d .. "/plugstack.conf", "MailProg=/bin/true",
    -- no cgroups: a container rarely lets slurmd use them
    "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none", "AccountingStorageType=accounting_storage/none",
    "SelectType=select/cons_tres", "SelectTypeParameters=CR_CPU", "MpiDefault=none",
    -- schedule at once when a task ends, not 3 s later (the default)
    "SchedulerParameters=batch_sched_delay=0",
    "ReturnToService=2",
    "NodeName=luagradnode NodeHostname=localhost NodeAddr=127.0.0.1 " .. hw,
    "PartitionName=test Nodes=luagradnode Default=YES MaxTime=INFINITE State=UP",
  }, "\n") .. "\n"
end

-- Starts daemon (a command line that stays in the foreground) under
-- timeout(1), so that it ends even when this test dies; returns the pid of
-- the timeout process.
local function start(d, name, cmdline)
  return sh_out(string.format("cd %s && timeout %d env %s >%s 2>&1 </dev/null & echo $!",
    Q(d), LIFETIME, cmdline, Q(d .. "/" .. name .. ".console")))
end

local Slurm = {}
Slurm.__index = Slurm

-- Brings up munged, slurmctld and slurmd in folder d and waits for the node
-- to be idle. Returns the Slurm, or nil and why it could not start (the
-- daemon's own log line); the caller stops it either way.
local function up(d, slurm)
  for _, sub in ipairs({ "state", "spool" }) do os.execute("mkdir -p " .. Q(d .. "/" .. sub)) end
  T.write(d .. "/plugstack.conf", "")
  local ctld_port, slurmd_port = free_ports()
  local conf, err = slurm_conf(d, ctld_port, slurmd_port)
  if not conf then return nil, err end
  T.write(d .. "/slurm.conf", conf)
  slurm.env = "SLURM_CONF=" .. Q(d .. "/slurm.conf") .. " "
  -- a fresh munge key, readable by root alone (munged refuses it otherwise)
  local r = assert(io.open("/dev/urandom", "rb"))
  T.write(d .. "/munge.key", r:read(1024))
  r:close()
  os.execute("chmod 600 " .. Q(d .. "/munge.key"))
  slurm.wrappers.munged = start(d, "munged", "munged --foreground --force --socket=munge.socket " ..
    "--key-file=munge.key --pid-file=munged.pid --seed-file=munged.seed")
  local t0 = sys.clock()
  -- in the foreground munged logs to stderr, munged.console
  while os.execute("test -S " .. Q(d .. "/munge.socket")) ~= true do
    if not alive(slurm.wrappers.munged) then return nil, "munged did not start: " .. why(d, "munged") end
    if sys.clock() - t0 > START_DEADLINE then return nil, "munged made no socket: " .. why(d, "munged") end
    os.execute("sleep 0.1")
  end
  slurm.wrappers.slurmctld = start(d, "slurmctld", slurm.env .. "slurmctld -D")
  slurm.wrappers.slurmd = start(d, "slurmd", slurm.env .. "slurmd -D -N luagradnode")
  while true do
    for _, name in ipairs({ "slurmctld", "slurmd" }) do
      if not alive(slurm.wrappers[name]) then
        return nil, name .. " did not start: " .. why(d, name)
      end
    end
    local state = sh_out(slurm.env .. "sinfo -h -n luagradnode -o %T")
    if state == "idle" then break end
    if sys.clock() - t0 > START_DEADLINE then
      return nil, string.format("the node is not idle after %d s (sinfo: %q): slurmd: %s; slurmctld: %s",
        START_DEADLINE, state, why(d, "slurmd"), why(d, "slurmctld"))
    end
    os.execute("sleep 0.2")
  end
  -- a first job, to see that slurmd can start one here: where it cannot
  -- (a plugin fails in this container) the node is drained
  local _, out = T.sh("cd " .. Q(d) .. " && " .. slurm.env .. "sbatch --wrap=true --output=/dev/null")
  local probe = out:match("Submitted batch job (%d+)")
  if not probe then return nil, "sbatch cannot submit a job: " .. why(d, "slurmctld") end
  local done, err = slurm:wait(probe, START_DEADLINE)
  if not done then return nil, "a first job does not run: " .. err end
  return slurm
end

-- The node's state as sinfo gives it, with the reason when it is drained.
function Slurm:node()
  return sh_out(self.env .. "sinfo -h -n luagradnode -o '%T %E'")
end

-- Waits until job id has left the queue (squeue lists pending, running and
-- completing jobs) with the node still up, for at most `seconds`. Returns
-- true, or nil and what went wrong, with the logs.
function Slurm:wait(id, seconds)
  local t0 = sys.clock()
  while true do
    local st, queue, err = T.sh(self.env .. "squeue -h -j " .. id .. " -o '%i %T'")
    local node = self:node()
    if st ~= 0 then return nil, "squeue: " .. tostring(err) .. "\n" .. self:logs() end
    if node:find("drain") or node:find("down") or node:find("fail") then
      return nil, "the node is " .. node .. ": slurmd: " .. why(self.dir, "slurmd")
    end
    if queue == "" then return true end
    if sys.clock() - t0 > seconds then
      return nil, string.format("job %s is not done after %d s; squeue:\n%s\nthe logs:\n%s",
        id, seconds, queue, self:logs())
    end
    os.execute("sleep 0.2")
  end
end

-- The processes whose working folder is inside d: what is left of this
-- Slurm (a slurmstepd, a task) after its daemons are gone.
local function left_in(d)
  local pids = {}
  local list = sh_out("for p in /proc/[0-9]*; do case $(readlink $p/cwd 2>/dev/null) in " ..
    Q(d) .. "|" .. Q(d) .. '/*) echo "${p#/proc/}" ;; esac; done')
  for pid in list:gmatch("%d+") do if alive(pid) then pids[#pids + 1] = pid end end
  return pids
end

local function wait_gone(pids, seconds)
  local t0 = sys.clock()
  repeat
    local any = false
    for _, pid in ipairs(pids) do any = any or alive(pid) end
    if not any then return true end
    os.execute("sleep 0.1")
  until sys.clock() - t0 > seconds
  return false
end

-- Cancels the array (and gives its tasks time to end while slurmd is
-- there), stops every daemon started (by its pid file, else through its
-- timeout wrapper), waits for them to end, then kills, by pid, whatever is
-- left with its working folder in ours.
function Slurm:down()
  if self.job then
    os.execute(self.env .. "scancel " .. self.job .. " >/dev/null 2>&1")
    local t0 = sys.clock()
    while sh_out(self.env .. "squeue -h -j " .. self.job .. " 2>/dev/null") ~= "" and sys.clock() - t0 < 10 do
      os.execute("sleep 0.2")
    end
  end
  local pids = {}
  for _, name in ipairs({ "slurmd", "slurmctld", "munged" }) do
    local wrapper = self.wrappers[name]
    if wrapper then
      local pid = (T.slurp(self.dir .. "/" .. name .. ".pid") or ""):match("%d+")
      if not alive(pid) then pid = wrapper end
      os.execute("kill " .. pid .. " 2>/dev/null")
      pids[#pids + 1] = wrapper
    end
  end
  if not wait_gone(pids, 10) then
    for _, pid in ipairs(pids) do os.execute("kill -KILL " .. pid .. " 2>/dev/null") end
  end
  local left = left_in(self.dir)
  if #left > 0 then
    os.execute("kill -KILL " .. table.concat(left, " ") .. " 2>/dev/null")
    wait_gone(left, 5)
  end
end

-- The last lines of the daemons' logs, for a failure message.
function Slurm:logs()
  return sh_out("cd " .. Q(self.dir) .. " && tail -n 15 slurmctld.log slurmd.log 2>&1")
end

-- ---- comparing tables -----------------------------------------------------------

-- The fields of one CSV line (quoted fields may hold commas).
local function fields(line)
  local out, i = {}, 1
  while i <= #line + 1 do
    if line:sub(i, i) == '"' then
      local j, v = i + 1, {}
      while true do
        local c = line:sub(j, j)
        if c == '"' and line:sub(j + 1, j + 1) == '"' then v[#v + 1] = '"'; j = j + 2
        elseif c == '"' or c == "" then break
        else v[#v + 1] = c; j = j + 1 end
      end
      out[#out + 1] = table.concat(v)
      i = j + 2
    else
      local j = line:find(",", i, true) or #line + 1
      out[#out + 1] = line:sub(i, j - 1)
      i = j + 1
    end
  end
  return out
end

-- runs.csv as rows of fields, without the column `seconds`: the wall time
-- of each run, which differs from one run to the next. No other column
-- holds a time, a host or a path.
local function runs_table(path)
  local rows, skip = {}, nil
  for n, l in ipairs(T.lines(T.slurp(path))) do
    local f = fields(l)
    if n == 1 then
      for i, name in ipairs(f) do if name == "seconds" then skip = i end end
      assert(skip, "no column seconds in " .. path .. ": " .. l)
    end
    table.remove(f, skip)
    rows[#rows + 1] = f
  end
  return rows
end

local function column(rows, name)
  for i, v in ipairs(rows[1]) do if v == name then return i end end
  error("no column " .. name)
end

-- The run folder name each emitted command writes into (its --out).
local function run_names(jobs)
  local names = {}
  for _, l in ipairs(T.lines(jobs)) do
    names[#names + 1] = l:match("%-%-out '?[^ ']*/([^/ ']+)'? %-%-") or ("(no --out in: " .. l .. ")")
  end
  table.sort(names)
  return names
end

-- ---- the test -------------------------------------------------------------------

local function the_recipe(slurm, r)
  local d = slurm.dir .. "/work"
  local in_work = "cd " .. Q(d) .. " && " .. slurm.env
  -- `luagrad` in the README's lines is the binary under test
  local as_luagrad = "luagrad() { " .. Q(EXE) .. ' "$@"; }\n'
  os.execute("mkdir -p " .. Q(d .. "/examples") .. " && cp examples/sgd.lua " .. Q(d .. "/examples/"))
  T.write(d .. "/sweep.sbatch", r.script)
  T.write(d .. "/submit.sh", as_luagrad .. r.submit)
  T.write(d .. "/after.sh", as_luagrad .. r.after)

  local t0 = sys.clock()
  local st, out, err = T.sh(in_work .. "sh -e submit.sh")
  T.eq(st, 0, "the README's sweep --emit-jobs and sbatch: " .. tostring(err))
  slurm.job = out:match("Submitted batch job (%d+)")
  T.truthy(slurm.job, "sbatch says which job: " .. out)
  local jobs = T.slurp(d .. "/jobs.txt")
  local n = #T.lines(jobs)
  T.truthy(n > 1, "jobs.txt lists the runs: " .. jobs)

  local done, late = slurm:wait(slurm.job, ARRAY_DEADLINE)
  if not done then error("the array job: " .. late, 0) end
  local array_seconds = sys.clock() - t0

  -- every task ran its line: its output file (the script's --output) and
  -- the run's run.json are there
  local lines = T.lines(jobs)
  for i = 1, n do
    local outfile = string.format("%s/slurm-%s_%d.out", d, slurm.job, i)
    T.truthy(T.exists(outfile), "the array task's output " .. outfile)
    local dir = lines[i]:match("%-%-out '?([^ ']+)'? %-%-")
    T.truthy(dir and T.exists(dir .. "/run.json"), "task " .. i .. " wrote a run.json: " .. lines[i])
  end

  st, _, err = T.sh(in_work .. "sh -e after.sh")
  T.eq(st, 0, "the README's collect and the second --emit-jobs: " .. tostring(err))
  local local_st = T.sh(in_work .. Q(EXE) .. " sweep -q --out near " .. r.grid)
  T.truthy(local_st == 0 or local_st == 1, "the local sweep ran (status " .. local_st .. ")")

  local far, near = runs_table(d .. "/out/sgd/runs.csv"), runs_table(d .. "/near/sgd/runs.csv")
  T.eq(#far, n + 1, "collect's runs.csv: a header and a row per job")
  T.eq(#near, #far, "as many rows as the local sweep")
  for i = 1, #near do
    T.eq(table.concat(far[i], "|"), table.concat(near[i], "|"), "runs.csv row " .. i .. " (but seconds)")
  end
  T.eq(T.slurp(d .. "/out/sgd/curves.csv"), T.slurp(d .. "/near/sgd/curves.csv"), "curves.csv")
  -- (sweep_<figure>.csv may differ, as the README says: collect puts the
  -- parameters on the x axis in name order, epochs before lr, not in the
  -- order they were swept in)

  -- the second --emit-jobs lists again exactly the runs that failed
  local failed = {}
  local status, run = column(near, "status"), column(near, "run")
  for i = 2, #near do if near[i][status] ~= "0" then failed[#failed + 1] = near[i][run] end end
  table.sort(failed)
  T.eq(table.concat(run_names(T.slurp(d .. "/jobs.txt")), " "), table.concat(failed, " "),
    "the runs listed again")
  io.stdout:write(string.format("# Slurm: %d array tasks (%d failed, listed again) in %.1f s\n",
    n, #failed, array_seconds))
end

local function main(r)
  if sh_out("id -u") ~= "0" then
    return T.skip(NAME, "needs root (munged, slurmctld and slurmd are started here as root)")
  end
  local missing = T.missing({ "munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel" })
  -- make does not install them (system daemons): CI does, a user may
  if missing then return T.skip(NAME, missing .. "; make test does not install these daemons") end
  local t0 = sys.clock()
  local slurm = setmetatable({ dir = T.tmpdir(), wrappers = {} }, Slurm)
  local called, ok, err = pcall(up, slurm.dir, slurm)
  if not (called and ok) then
    slurm:down()
    -- an error raised while starting is this test's fault, not the machine's
    if not called then return T.test(NAME, function() error(ok, 0) end) end
    return T.skip(NAME, "Slurm cannot start here: " .. err)
  end
  io.stdout:write(string.format("# Slurm: munged, slurmctld and slurmd up, a first job run, in %.1f s\n",
    sys.clock() - t0))
  T.test(NAME, function() the_recipe(slurm, r) end)
  slurm:down()
  io.stdout:write(string.format("# Slurm: %.1f s in all\n", sys.clock() - t0))
end

local found, r = pcall(recipe)
T.test("README.md has the Slurm recipe this test runs", function() if not found then error(r, 0) end end)
if found then main(r) end
T.done()
