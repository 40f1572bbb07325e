-- tests/test_tutorial.lua: doc/tutorial.md shows what the program does.
-- Every command of its ```sh blocks runs through the real binary, in order,
-- in one fresh folder laid out like a clone (as a learner types them);
-- every ```text excerpt must be in that command's real output (lines
-- compared exactly, "..." for lines left out); every picture it shows must
-- be in doc/tutorial/ and be written by its command. The rules of the
-- markdown are in doc/tutorial_steps.lua, shared with make
-- tutorial-pictures, which redraws the pictures.
--
-- The picture checks need gnuplot (and dot for the computational graph);
-- without them they are skipped, and the text is still checked.
local T = dofile("tests/check.lua")
local tut = dofile("doc/tutorial_steps.lua")
local sys = require("luagrad.sys")

local text = T.slurp("doc/tutorial.md")
local ok_parse, steps = pcall(tut.parse, text or "")

T.test("doc/tutorial.md walks the course: every lecture's script, a sweep, collect, help()", function()
  T.truthy(text, "doc/tutorial.md exists")
  if not ok_parse then error(steps, 0) end
  local all = {}
  for _, s in ipairs(steps) do all[#all + 1] = s.command end
  all = table.concat(all, "\n")
  local at = 0
  -- The lectures' order: each script's first command comes after the last.
  for _, name in ipairs({ "w_scan", "wb_scan", "batch_gd", "sgd", "backprop", "linear_regression",
                          "logistic_regression", "multi_input", "minibatch", "softmax" }) do
    local pos = all:find("./luagrad examples/" .. name .. ".lua", at + 1, true)
    T.truthy(pos, "a command running examples/" .. name .. ".lua after the previous lecture's")
    at = pos
  end
  T.contains(all, "./luagrad sweep ", "./luagrad collect ")
  local prompt
  for _, s in ipairs(steps) do if s.input then prompt = s end end
  T.truthy(prompt and prompt.input:find("help(", 1, true), "a prompt session calling help()")
  T.truthy(T.slurp("README.md"):find("(doc/tutorial.md)", 1, true), "README.md links to doc/tutorial.md")
end)

-- doc/tutorial/NAME.png is shown once, so that one command owns it.
T.test("each picture of doc/tutorial/ is shown once, and every one there is shown", function()
  if not ok_parse then error(steps, 0) end
  local shown = {}
  for _, s in ipairs(steps) do
    for _, pic in ipairs(s.pictures) do
      T.truthy(not shown[pic.file], pic.file .. " shown twice (line " .. pic.line .. ")")
      shown[pic.file] = true
    end
  end
  local ls = io.popen("ls doc/tutorial")
  for name in ls:lines() do
    T.truthy(shown["tutorial/" .. name], "doc/tutorial/" .. name .. " is not in the tutorial (make tutorial-pictures removes it)")
  end
  ls:close()
end)

if not ok_parse then T.done() end

local dir = T.tmpdir()
tut.prepare(dir, sys.cwd())
local outputs = {}
for i, step in ipairs(steps) do
  -- Gone before the command runs: if it is there after, the command wrote it.
  for _, pic in ipairs(step.pictures) do os.remove(dir .. "/" .. pic.from) end
  local status, out, err = tut.run(step, T.exe, dir)
  outputs[i] = { out = out, err = err }
  T.test(string.format("line %d: %s", step.line, step.command), function()
    if not tut.status_ok(step, status) then
      error(string.format("exit status %s; stderr:\n%s", tostring(status), err), 0)
    end
    if step.excerpt then
      local ok, why = tut.match(step.excerpt, out, err)
      if not ok then
        error(string.format("doc/tutorial.md:%d: %s.\nstdout:\n%s\nstderr:\n%s", step.excerpt_line, why,
          out, err), 0)
      end
    end
  end)
  for _, pic in ipairs(step.pictures) do
    local drawer = tut.drawer(dir, pic.from)
    T.needs({ drawer }, string.format("line %d: doc/%s is the %s the command writes", pic.line, pic.file,
      pic.from), function()
      local w, h = tut.png_size(dir .. "/" .. pic.from)
      T.truthy(w, pic.from .. " written by the command (a PNG)")
      local cw, ch = tut.png_size("doc/" .. pic.file)
      T.truthy(cw, "doc/" .. pic.file .. " committed (a PNG; make tutorial-pictures draws it)")
      T.eq(cw .. "x" .. ch, w .. "x" .. h, "size of doc/" .. pic.file .. " and of what " .. drawer .. " drew")
    end)
  end
end

-- The checks above must be able to fail: the same outputs against excerpts
-- changed the ways a tutorial drifts from the program.
T.test("an excerpt that drifted from the output is caught", function()
  local i, step
  for k, s in ipairs(steps) do
    local real = 0
    for _, l in ipairs(s.excerpt or {}) do if l ~= "..." then real = real + 1 end end
    if real >= 4 and not s.input then i, step = k, s break end
  end
  T.truthy(step, "a command with an excerpt of 4 lines or more")
  local o = outputs[i]
  T.truthy(tut.match(step.excerpt, o.out, o.err), "the excerpt as written matches")
  local function changed(fn)
    local e = {}
    for k, l in ipairs(step.excerpt) do e[k] = l end
    fn(e)
    return e
  end
  local real = {}
  for k, l in ipairs(step.excerpt) do if l ~= "..." then real[#real + 1] = k end end
  local first, second = real[1], real[2]
  local digit
  for _, k in ipairs(real) do if step.excerpt[k]:find("%d") then digit = k break end end
  T.truthy(digit, "an excerpt line with a digit")
  local cases = {
    ["a digit changed"] = changed(function(e) e[digit] = e[digit]:gsub("%d", function(d)
      return tostring((tonumber(d) + 1) % 10) end, 1) end),
    ["two lines swapped"] = changed(function(e) e[first], e[second] = e[second], e[first] end),
    ["a space added"] = changed(function(e) e[second] = e[second] .. " " end),
    ["a line that is not printed"] = changed(function(e) table.insert(e, second, "epoch 1000") end),
  }
  for what, e in pairs(cases) do
    T.truthy(not tut.match(e, o.out, o.err), what .. " is not caught")
  end
  -- Without a "..." at its start, an excerpt starts where the output does.
  T.truthy(not tut.match({ "b" }, "a\nb\n", ""), "an unanchored start is caught")
  T.truthy(not tut.match({ "a" }, "a\nb\n", ""), "an unanchored end is caught")
  T.truthy(tut.match({ "...", "b" }, "a\nb\n", ""), "'...' leaves lines out")
  T.truthy(tut.match({ "a", "...", "c" }, "a\nb\nc\n", ""), "'...' between lines")
  T.truthy(tut.match({ "x", "...", "a" }, "a\n", "x\n"), "stderr before stdout")
end)

T.test("the tutorial's markdown rules are enforced (a ```sh line that is not luagrad, a picture without its source)",
  function()
  T.raises(function() tut.parse("```sh\nmake\n```\n") end, "doc/tutorial.md:2:", "not a luagrad command")
  T.raises(function() tut.parse("```sh\n./luagrad a.lua\n```\n![x](tutorial/a.png)\n") end,
    "doc/tutorial.md:4:", "without a title")
  T.raises(function() tut.parse("```text\nhi\n```\n") end, "before any command")
  T.raises(function() tut.parse("```sh\n./luagrad a.lua\n./luagrad b.lua\n```\n```text\nhi\n```\n") end,
    "after a block of 2 commands")
  T.raises(function() tut.parse("```sh\n./luagrad a.lua\n```\n```text\n...\n```\n") end, "no line of output")
  T.raises(function() tut.parse("```sh\n./luagrad a.lua\n") end, "never closed")
  T.raises(function() tut.parse("```sh\n```\n") end, "doc/tutorial.md:1:", "an empty ```sh block")
  T.raises(function() tut.parse("```sh\n./luagrad a.lua\n```\n```text\nx\n```\n```text\ny\n```\n") end,
    "doc/tutorial.md:7:", "a second excerpt for the command of line 2")
  T.raises(function() tut.parse('![x](tutorial/a.png "out/a/a.png")\n') end, "a picture before any command")
  T.raises(function() tut.parse('```sh\n./luagrad a.lua\n```\n![x](tutorial/a.png "/tmp/a.png")\n') end,
    "relative path of the PNG", "/tmp/a.png")
  T.raises(function() tut.parse("```sh\n./luagrad\n```\n```text\nhelp\n```\n") end, "nothing typed")
end)

T.test("make tutorial-pictures needs the absolute path of the luagrad to run", function()
  local status, _, err = T.run({ "-q", "--out", T.tmpdir(), "doc/tutorial_pictures.lua", "exe=build/luagrad" })
  T.eq(status, 1, "exit status")
  T.contains(err, "tutorial_pictures: exe must be the absolute path of the luagrad to run, got 'build/luagrad'")
end)

T.done()
