-- tests/test_limits.lua: --timeout and --max-mem, through the real binary.
-- A timeout ends the run with status 124 wherever the script is (a Lua
-- loop, a pcall, a coroutine, a long C primitive); the memory cap makes an
-- allocation fail with a message naming the cap. Either way the output
-- files are finalized as after any failure (NAME.incomplete, run.json).
local T = dofile("tests/check.lua")
local json = require("luagrad.json")
local sys = require("luagrad.sys")

local function run(script, args)
  local d = T.folder{ ["x.lua"] = script }
  local t0 = sys.clock()
  local status, out, err = T.run_in(d, args .. " --out out x.lua")
  return status, out, err, sys.clock() - t0, d
end

local function record(d)
  return json.decode(T.slurp(d .. "/out/run.json"), "run.json")
end

local TIMEOUT = "timeout: the run's limit of 0.5 s (--timeout) was reached"

-- script -> where it spends its time
local LOOPS = {
  ["a Lua loop"] = "while true do end",
  ["pcall in a loop"] = "while true do pcall(function() while true do end end) end",
  ["xpcall with a handler"] = "while true do xpcall(function() while true do end end, function(e) return e end) end",
  ["error caught and ignored"] = "for i = 1, math.huge do pcall(error, 'x') end",
  ["a coroutine.wrap"] = "coroutine.wrap(function() while true do end end)()",
  ["a coroutine.resume in a loop"] =
    "local co = coroutine.create(function() while true do end end)\nwhile true do coroutine.resume(co) end",
  ["a coroutine inside a coroutine"] =
    "coroutine.wrap(function() coroutine.wrap(function() while true do pcall(function() while true do end end) end end)() end)()",
  ["a coroutine that loops after resuming another"] =
    "coroutine.wrap(function() local c = coroutine.create(function() coroutine.yield() end)\n"
    .. "coroutine.resume(c) while true do end end)()",
  -- about 8e11 operations (minutes): only the cancel flag can stop it
  ["scan.mse, a long C primitive, under pcall"] = [[
local x = rng.normal(200000)
local ok, e = pcall(scan.mse, { x = x, y = x * 2, w = tensor.range(-10, 10, 0.001),
  b = tensor.range(-1, 1, 0.01), method = "direct" })
while true do end]],
}

for what, loop in pairs(LOOPS) do
  T.test("--timeout stops " .. what .. ": status 124, files finalized", function()
    local script = "local w <close> = csv.writer('log.csv', {'i'})\nw:row(1)\n" .. loop .. "\n"
    local status, _, err, seconds, d = run(script, "--timeout 0.5")
    T.eq(status, 124, "exit status; stderr: " .. err)
    T.contains(err, TIMEOUT)
    T.truthy(seconds < 4, string.format("stopped after %.2f s", seconds))
    T.eq(T.slurp(d .. "/out/log.csv.incomplete"), "i\n1\n", "log.csv.incomplete")
    T.eq(T.exists(d .. "/out/log.csv"), false, "no log.csv")
    local r = record(d)
    T.eq(r.status, 124, "run.json status")
    T.eq(r.timeout, 0.5, "run.json timeout")
  end)
end

T.test("a script that ends in time is not affected by --timeout", function()
  local status, out, err, _, d = run("local s = 0 for i = 1, 1e5 do s = s + i end print(s)\n",
    "--timeout 30 --max-mem 100")
  T.eq(status, 0, "exit status; stderr: " .. err)
  T.eq(out, "5000050000\n", "output")
  local r = record(d)
  T.eq(r.timeout, 30, "run.json timeout")
  T.eq(r.max_mem_mb, 100, "run.json max_mem_mb")
  T.eq(r.status, 0, "run.json status")
end)

local CAP = "the run's cap of 50 MB (--max-mem) was reached"
local MEMORY = {
  -- 1e8 tables of ~60 bytes: 6 GB without the cap
  ["Lua tables"] = { "local t = {} for i = 1, 1e8 do t[i] = {i} end",
    "luagrad: not enough memory: " .. CAP },
  ["a Lua string"] = { "local s = string.rep('x', 100 * 1024 * 1024)",
    "luagrad: not enough memory: " .. CAP },
  -- 20 tensors of 4e6 numbers (32 MB each)
  ["tensors"] = { "local x = tensor.zeros(4000000) local k = {} for i = 1, 20 do k[i] = x + i end",
    "x.lua:3: tensor: not enough memory for 4000000 numbers (" .. CAP .. ")" },
  ["autograd"] = { "local x = rng.normal(4000000):requires_grad_() local k = {} "
    .. "for i = 1, 20 do k[i] = x * i end",
    "tensor: not enough memory for 4000000 numbers (" .. CAP .. ")" },
  ["one huge tensor"] = { "local x = tensor.zeros(1e9)",
    "tensor.zeros: not enough memory for 1000000000 numbers (" .. CAP .. ")" },
}

for what, case in pairs(MEMORY) do
  T.test("--max-mem caps " .. what .. ": a message naming the cap, status 1, files finalized",
    function()
    local script = "local w <close> = csv.writer('log.csv', {'i'})\nw:row(1)\n" .. case[1] .. "\n"
    local status, _, err, _, d = run(script, "--max-mem 50")
    T.eq(status, 1, "exit status; stderr: " .. err)
    T.contains(err, case[2])
    T.eq(T.slurp(d .. "/out/log.csv.incomplete"), "i\n1\n", "log.csv.incomplete")
    local r = record(d)
    T.eq(r.status, 1, "run.json status")
    T.eq(r.max_mem_mb, 50, "run.json max_mem_mb")
  end)
end

T.test("--max-mem caps csv.read; a caught failure lets the script go on", function()
  local rows = {}
  for i = 1, 200000 do rows[i] = i .. "," .. (i / 7) end
  local d = T.folder{ ["big.csv"] = "a,b\n" .. table.concat(rows, "\n") .. "\n", ["x.lua"] = [[
local ok, e = pcall(csv.read, "big.csv")
print(ok, e)
local ok2, e2 = pcall(tensor.zeros, 1e8)
print(ok2, e2)
print(#tensor.zeros(1000))
]] }
  local status, out, err = T.run_in(d, "--max-mem 5 x.lua")
  T.eq(status, 0, "exit status; stderr: " .. err)
  T.eq(out, "false\tcsv.read: big.csv: not enough memory\n"
    .. "false\ttensor.zeros: not enough memory for 100000000 numbers\n1000\n", "output")
end)

T.test("--timeout and --max-mem on the command line", function()
  local d = T.folder{ ["x.lua"] = "print(1)\n" }
  for _, case in ipairs({
    { "--timeout abc", "--timeout: 'abc' is not a number of seconds above 0 (like 60 or 0.5)" },
    { "--timeout 0", "--timeout: '0' is not a number of seconds above 0" },
    { "--timeout -1", "--timeout: '-1' is not a number of seconds above 0" },
    { "--timeout nan", "--timeout: 'nan' is not a number" },
    { "--max-mem 0", "--max-mem: '0' is not a number of megabytes above 0 (like 500)" },
    { "--max-mem 1e99", "--max-mem: '1e99' is not a number of megabytes above 0" },
    { "--timeout", "--timeout needs a number of seconds" },
  }) do
    local status, _, err = T.run_in(d, "x.lua " .. case[1])
    T.eq(status, 2, case[1])
    T.contains(err, "luagrad: " .. case[2])
  end
end)

T.test("run and sweep pass --timeout and --max-mem on, and run.json records them", function()
  local d = T.folder{ ["x.lua"] = "local P = params{ k = 1 }\nwhile P.k > 1 do end\n" }
  local status, _, err = T.run_in(d, "sweep -q --timeout 0.5 --max-mem 64 --out sw x.lua k=1,2")
  T.eq(status, 1, "the second run times out; stderr: " .. err)
  local r1 = json.decode(T.slurp(d .. "/sw/x/k=1/run.json"), "k=1")
  local r2 = json.decode(T.slurp(d .. "/sw/x/k=2/run.json"), "k=2")
  T.eq(r1.status, 0, "k=1 status")
  T.eq(r2.status, 124, "k=2 status")
  T.eq(r1.timeout, 0.5, "k=1 timeout")
  T.eq(r1.max_mem_mb, 64, "k=1 max_mem_mb")
  status, _, err = T.run_in(d, "run -q --timeout 0.5 --out r x.lua")
  T.eq(status, 0, "run; stderr: " .. err)
  T.eq(json.decode(T.slurp(d .. "/r/x/run.json"), "run").timeout, 0.5, "run: timeout")
end)

T.done()
