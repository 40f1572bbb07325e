-- doc/tutorial_pictures.lua: redraws doc/tutorial/*.png, the pictures of
-- doc/tutorial.md, by running the tutorial's commands in order, as a
-- learner would, in a fresh folder, and copying each picture the tutorial
-- shows from where its command wrote it. Run by make tutorial-pictures:
--
--   build/luagrad -q doc/tutorial_pictures.lua exe=$PWD/build/luagrad
--
-- PNGs in doc/tutorial/ that the tutorial no longer shows are removed.
-- tests/test_tutorial.lua checks the commands, their output and that each
-- picture is written by its command.
local P = params{ exe = "", tutorial = "doc/tutorial.md", pictures = "doc/tutorial" }
local steps_lib = dofile("doc/tutorial_steps.lua")
local sys = require("luagrad.sys")
local q = steps_lib.quote

if P.exe == "" or P.exe:sub(1, 1) ~= "/" then
  error("tutorial_pictures: exe must be the absolute path of the luagrad to run, got '" .. P.exe .. "'", 0)
end
for _, prog in ipairs({ "gnuplot", "dot" }) do
  if not sys.which(prog) then
    error("tutorial_pictures: " .. prog .. " is not on PATH, so the pictures cannot be drawn", 0)
  end
end

local steps = steps_lib.parse(assert(steps_lib.slurp(P.tutorial), "cannot read " .. P.tutorial))
local top = sys.cwd()
local p = io.popen("mktemp -d")
local dir = p:read("l")
p:close()
steps_lib.prepare(dir, top)

local wanted = {}
for _, step in ipairs(steps) do
  local status, _, err = steps_lib.run(step, P.exe, dir)
  if not steps_lib.status_ok(step, status) then
    error(string.format("tutorial_pictures: %s (line %d) exited with %d:\n%s", step.command, step.line,
      status, err), 0)
  end
  for _, pic in ipairs(step.pictures) do
    local name = pic.file:match("^tutorial/(.+)$")
    local src = dir .. "/" .. pic.from
    if not steps_lib.png_size(src) then
      error(string.format("tutorial_pictures: %s (line %d) wrote no PNG %s", step.command, step.line, pic.from), 0)
    end
    assert(os.execute("cp " .. q(src) .. " " .. q(P.pictures .. "/" .. name)))
    wanted[name] = true
    io.stdout:write("  PNG   ", P.pictures, "/", name, "  (", step.command, ")\n")
  end
end
os.execute("rm -rf " .. q(dir))

local ls = io.popen("ls " .. q(P.pictures))
for name in ls:lines() do
  if name:match("%.png$") and not wanted[name] then
    os.remove(P.pictures .. "/" .. name)
    io.stdout:write("  RM    ", P.pictures, "/", name, " (no longer in the tutorial)\n")
  end
end
ls:close()
