-- tests/check.lua: the small test library of luagrad's Lua tests.
--
--   local T = dofile("tests/check.lua")
--   T.test("mse of a perfect fit is 0", function()
--     T.near(loss.mse(tensor{1, 2}, tensor{1, 2}), 0, 0)
--   end)
--   T.done()
--
-- Each test prints "ok - name" or "not ok - name" and the reason, or, when
-- it cannot run here, "skip - name: reason" (T.skip, T.needs); T.done()
-- prints "# N passed, N failed, N skipped", which tests/run.sh adds up. A
-- skip is never a pass. Output goes through io.stdout, so tests run with -q.
--
-- One test file runs by hand with the binary to test:
--   build/luagrad -q tests/test_plot.lua
local T = {}
local passed, failed, skipped = 0, 0, 0

local function out(...) io.stdout:write(...) end

local function show(v)
  if math.type(v) == "float" then return string.format("%.17g", v) end
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end
T.show = show

function T.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out("ok - ", name, "\n")
  else
    failed = failed + 1
    out("not ok - ", name, "\n    ", tostring(err):gsub("\n", "\n    "), "\n")
  end
end

-- A test that cannot run on this machine: counted apart, with the reason.
function T.skip(name, reason)
  skipped = skipped + 1
  out("skip - ", name, ": ", reason, "\n")
end

-- The Debian package of each program some test needs beyond the base system
-- (the Makefile installs them for make test when run as root).
local PACKAGE = { gnuplot = "gnuplot-nox", script = "bsdutils", setpriv = "util-linux",
                  man = "man-db", groff = "groff-base", dot = "graphviz",
                  chromium = "chromium", parallel = "parallel",
                  munged = "munge", slurmctld = "slurm-wlm", slurmd = "slurm-wlm",
                  sbatch = "slurm-wlm", squeue = "slurm-wlm", sinfo = "slurm-wlm",
                  scancel = "slurm-wlm" }

-- Why the given programs cannot be used here (the ones not on PATH), or nil
-- when all of them are there.
function T.missing(programs)
  local absent, packages = {}, {}
  for _, prog in ipairs(programs) do
    if not require("luagrad.sys").which(prog) then
      absent[#absent + 1] = prog
      local pkg = PACKAGE[prog] or prog
      if not packages[pkg] then packages[pkg] = true; packages[#packages + 1] = pkg end
    end
  end
  if #absent == 0 then return nil end
  return string.format("needs %s, not on PATH (Debian: apt-get install %s)",
    table.concat(absent, ", "), table.concat(packages, " "))
end

-- T.test when every program in the list is on PATH, else T.skip saying which
-- are missing.
function T.needs(programs, name, fn)
  local why = T.missing(programs)
  if why then T.skip(name, why) else T.test(name, fn) end
end

local function fail(msg, level) error(msg, (level or 1) + 2) end

function T.eq(got, want, what)
  if got ~= want then
    fail(string.format("%s: got %s, want %s", what or "value", show(got), show(want)))
  end
end

function T.truthy(v, what)
  if not v then fail((what or "condition") .. " is false") end
end

-- |got - want| <= tol * max(1, |want|): relative for big numbers, absolute
-- near zero. tol = 0 asks for bit equality.
function T.near(got, want, tol, what)
  if type(got) ~= "number" then
    fail(string.format("%s: got %s, want the number %s", what or "value", show(got), show(want)))
  end
  local scale = math.max(1, math.abs(want))
  if not (math.abs(got - want) <= tol * scale) and not (got == want) then
    fail(string.format("%s: got %s, want %s (tolerance %g, off by %g)",
      what or "value", show(got), show(want), tol, math.abs(got - want)))
  end
end

-- fn must raise an error whose message contains every given text (plain).
function T.raises(fn, ...)
  local ok, err = pcall(fn)
  if ok then fail("expected an error, but the call succeeded") end
  err = tostring(err)
  for _, text in ipairs({ ... }) do
    if not err:find(text, 1, true) then
      fail(string.format("error message %q does not contain %q", err, text))
    end
  end
  return err
end

-- s contains every given text (plain find).
function T.contains(s, ...)
  for _, text in ipairs({ ... }) do
    if not tostring(s):find(text, 1, true) then
      fail(string.format("%q does not contain %q", tostring(s), text))
    end
  end
end

function T.quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end
T.slurp = slurp

function T.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- A fresh temporary folder, removed when the test file ends.
local tmpdirs = {}
function T.tmpdir()
  local p = io.popen("mktemp -d")
  local d = p:read("l")
  p:close()
  tmpdirs[#tmpdirs + 1] = d
  return d
end

-- The program running this file: the shell io.popen starts is its child.
local function running_program()
  local p = io.popen("readlink /proc/$PPID/exe 2>/dev/null")
  if not p then return nil end
  local path = p:read("l")
  p:close()
  return path ~= "" and path or nil
end

-- The luagrad binary under test: $LUAGRAD (tests/run.sh sets it), else the
-- binary running this test file (build/luagrad tests/test_x.lua tests
-- build/luagrad), else ./luagrad.
T.luagrad = os.getenv("LUAGRAD") or running_program() or "./luagrad"

-- Runs a shell command line; returns exit status, stdout, stderr.
function T.sh(cmdline, stdin_text)
  local d = T.tmpdir()
  local input = ""
  if stdin_text then
    T.write(d .. "/stdin", stdin_text)
    input = " <" .. T.quote(d .. "/stdin")
  end
  local full = string.format("%s%s >%s 2>%s", cmdline, input,
    T.quote(d .. "/stdout"), T.quote(d .. "/stderr"))
  local ok, how, code = os.execute(full)
  if how == "signal" then code = 128 + code end
  return code, slurp(d .. "/stdout"), slurp(d .. "/stderr")
end

-- Runs luagrad with the given arguments (each quoted); returns exit status,
-- stdout, stderr.
function T.run(args, stdin_text)
  local words = { T.luagrad }
  for _, a in ipairs(args) do words[#words + 1] = T.quote(a) end
  return T.sh(table.concat(words, " "), stdin_text)
end

-- The binary under test as an absolute path, for commands run elsewhere.
T.exe = T.luagrad:sub(1, 1) == "/" and T.luagrad
  or require("luagrad.sys").cwd() .. "/" .. T.luagrad

-- A fresh folder holding the given files (name -> text); returns its path.
function T.folder(files)
  local d = T.tmpdir()
  for name, text in pairs(files or {}) do T.write(d .. "/" .. name, text) end
  return d
end

-- Runs luagrad inside dir with the given (already quoted) argument text;
-- returns exit status, stdout, stderr.
function T.run_in(dir, argtext, stdin_text)
  return T.sh("cd " .. T.quote(dir) .. " && " .. T.quote(T.exe) .. " " .. argtext, stdin_text)
end

-- The lines of a text, without their newlines.
function T.lines(text)
  local t = {}
  for l in (text or ""):gmatch("([^\n]*)\n") do t[#t + 1] = l end
  return t
end

function T.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- Runs code in a child luagrad (a crash must not take the test file down);
-- it must fail as a script error (exit 1) whose message has every text.
function T.child_raises(code, ...)
  local d = T.tmpdir()
  T.write(d .. "/child.lua", code)
  local status, _, err = T.sh(string.format("timeout 60 %s -q --out %s %s",
    T.quote(T.luagrad), T.quote(d .. "/out"), T.quote(d .. "/child.lua")))
  local what = ({ [124] = " (timed out: a hang)", [134] = " (aborted)",
                  [139] = " (segmentation fault)" })[status] or ""
  if status ~= 1 then
    fail(string.format("child exited with status %s%s, want 1 (a script error); stderr: %s",
      tostring(status), what, tostring(err)))
  end
  -- A sanitizer build also exits 1 on its first report: that is a crash.
  if err:find("Sanitizer", 1, true) or err:find("runtime error:", 1, true) then
    fail("the child stopped on a sanitizer report: " .. err)
  end
  T.contains(err, ...)
end

function T.done()
  for _, d in ipairs(tmpdirs) do os.execute("rm -rf " .. T.quote(d)) end
  out(string.format("# %d passed, %d failed, %d skipped\n", passed, failed, skipped))
  os.exit(failed == 0 and 0 or 1, true)
end

return T
