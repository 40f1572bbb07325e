-- doc/tutorial_steps.lua: reads doc/tutorial.md into the steps a learner
-- follows, and runs them. Shared by tests/test_tutorial.lua (the tutorial
-- says what the program does) and doc/tutorial_pictures.lua (make
-- tutorial-pictures, which redraws doc/tutorial/*.png).
--
-- What the tutorial's markdown means here:
--   ```sh          every line is a command the learner types, and each must
--                  start with ./luagrad; a line that is only ./luagrad is the
--                  interactive prompt
--   ```text        what the commands of the ```sh block before it print:
--                  lines compared exactly; a line "..." stands for lines
--                  left out (without one at the start or the end, the excerpt
--                  starts or ends where the output does). After a prompt,
--                  the lines "> code" are what the learner types.
--   ![alt](tutorial/NAME.png "out/DIR/FILE.png")
--                  a picture: doc/tutorial/NAME.png is a copy of the file
--                  that the command before it writes (the title says which,
--                  relative to the top folder, where the learner types).
local M = {}

local function fail(line, msg) error(string.format("doc/tutorial.md:%d: %s", line, msg), 0) end

-- The steps of the tutorial's text, in order: { line, command, input?,
-- excerpt?, excerpt_line?, pictures = { { file, from, line } } }. A ```sh
-- block of several commands gives one step each; an excerpt belongs to a
-- block of one command.
function M.parse(text)
  local steps, block, last = {}, nil, nil   -- last: the commands of the latest ```sh block
  local n = 0
  for line in (text .. (text:sub(-1) == "\n" and "" or "\n")):gmatch("([^\n]*)\n") do
    n = n + 1
    if block then
      if line:match("^```%s*$") then
        if block.kind == "sh" then
          if #block.lines == 0 then fail(block.line, "an empty ```sh block") end
          last = {}
          for i, cmd in ipairs(block.lines) do
            local step = { line = block.line + i, command = cmd, pictures = {} }
            steps[#steps + 1] = step
            last[#last + 1] = step
          end
        elseif block.kind == "text" then
          if not last then fail(block.line, "an output excerpt before any command") end
          if #last > 1 then
            fail(block.line, "an output excerpt after a block of " .. #last
              .. " commands: give the command it belongs to a block of its own")
          end
          local step = last[1]
          if step.excerpt then fail(block.line, "a second excerpt for the command of line " .. step.line) end
          local lines = block.lines
          if step.command:match("^%./luagrad%s*$") then   -- the prompt: "> code" is typed
            local input, shown = {}, {}
            for _, l in ipairs(lines) do
              if l:sub(1, 2) == "> " then input[#input + 1] = l:sub(3) else shown[#shown + 1] = l end
            end
            if #input == 0 then fail(block.line, "a prompt session with nothing typed (no '> ' line)") end
            step.input, lines = table.concat(input, "\n") .. "\n", shown
          end
          local real = 0
          for _, l in ipairs(lines) do if l ~= "..." then real = real + 1 end end
          if real == 0 then fail(block.line, "an output excerpt with no line of output") end
          step.excerpt, step.excerpt_line = lines, block.line
        end
        block = nil
      else
        if block.kind == "sh" and not line:match("^%./luagrad%f[%s\0]") then
          fail(n, "a ```sh line that is not a luagrad command (the test runs each): " .. line)
        end
        block.lines[#block.lines + 1] = line
      end
    elseif line:match("^```") then
      local kind = line:match("^```%s*(%S*)")
      block = { kind = kind, line = n, lines = {} }
    else
      for file, from in line:gmatch('!%[[^%]]*%]%((tutorial/[^%s%)]+)%s+"([^"]*)"%)') do
        if not last then fail(n, "a picture before any command") end
        if not from:match("%.png$") or from:sub(1, 1) == "/" then
          fail(n, "a picture's title must be the relative path of the PNG the command writes, not " .. from)
        end
        local p = last[#last].pictures
        p[#p + 1] = { file = file, from = from, line = n }
      end
      if line:match("!%[[^%]]*%]%(tutorial/[^%s%)]+%)") then
        fail(n, 'a picture without a title "out/.../FILE.png" saying which file the command writes')
      end
    end
  end
  if block then fail(block.line, "a code block that is never closed") end
  return steps
end

local function q(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
M.quote = q

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- A folder laid out like the top of a clone for the commands: examples/ is
-- a link to the real one, and out/ does not exist yet.
function M.prepare(dir, top)
  local ok = os.execute("ln -s " .. q(top .. "/examples") .. " " .. q(dir .. "/examples"))
  if not ok then error("cannot link " .. top .. "/examples into " .. dir, 0) end
end

-- Runs one step in dir with exe in place of ./luagrad. The progress line is
-- off: on a terminal it is erased when the work ends, so the learner never
-- sees it in the final text. Returns the exit status, stdout and stderr.
function M.run(step, exe, dir)
  local args = step.command:gsub("^%./luagrad", "")
  local stdin = ""
  if step.input then
    local f = assert(io.open(dir .. "/.typed", "wb"))
    f:write(step.input)
    f:close()
    stdin = " <" .. q(dir .. "/.typed")
  end
  local cmd = string.format("cd %s && LUAGRAD_PROGRESS=off %s%s%s >%s 2>%s", q(dir), q(exe), args, stdin,
    q(dir .. "/.stdout"), q(dir .. "/.stderr"))
  local _, how, code = os.execute(cmd)
  if how == "signal" then code = 128 + code end
  local out, err = slurp(dir .. "/.stdout"), slurp(dir .. "/.stderr")
  os.remove(dir .. "/.stdout")
  os.remove(dir .. "/.stderr")
  os.remove(dir .. "/.typed")
  return code, out, err
end

local function lines_of(s)
  local t = {}
  for l in (s or ""):gmatch("([^\n]*)\n") do t[#t + 1] = l end
  local tail = (s or ""):match("[^\n]+$")
  if tail then t[#t + 1] = tail end
  return t
end

-- The one line a run prints that depends on the machine, not the program:
-- that gnuplot or dot is missing (then the picture checks are skipped).
local function machine_note(l)
  return l:find("^luagrad: gnuplot not found") or l:find("^luagrad: Graphviz's dot not found")
end

-- Whether the excerpt's chunks (its lines between "..." lines) appear in
-- the lines, in order, each as consecutive lines; anchored at the start
-- and the end unless the excerpt begins or ends with "...". Returns true,
-- or nil and which excerpt line was not found.
local function match_lines(excerpt, lines)
  local chunks, cur = {}, {}
  for _, l in ipairs(excerpt) do
    if l == "..." then
      chunks[#chunks + 1] = cur
      cur = {}
    else
      cur[#cur + 1] = l
    end
  end
  chunks[#chunks + 1] = cur
  local function at(chunk, pos)
    for k = 1, #chunk do if lines[pos + k - 1] ~= chunk[k] then return false end end
    return true
  end
  local pos = 1
  for c, chunk in ipairs(chunks) do
    if #chunk > 0 then
      local lo, hi = pos, #lines - #chunk + 1
      if c == 1 then hi = math.min(hi, 1) end                          -- starts the output
      if c == #chunks then lo = math.max(lo, #lines - #chunk + 1) end  -- ends it
      local found
      for p = lo, hi do
        if at(chunk, p) then found = p break end
      end
      if not found then return nil, chunk[1] end
      pos = found + #chunk
    end
  end
  return true
end

-- Whether the excerpt is in the output. The terminal shows stdout and
-- stderr interleaved line by line; into files they are apart, so the
-- excerpt may match stdout then stderr (a script that fails) or stderr
-- then stdout (a sweep's progress lines, then its table).
function M.match(excerpt, stdout, stderr)
  local out, err = lines_of(stdout), {}
  for _, l in ipairs(lines_of(stderr)) do
    if not machine_note(l) then err[#err + 1] = l end
  end
  local both = {}
  for _, l in ipairs(out) do both[#both + 1] = l end
  for _, l in ipairs(err) do both[#both + 1] = l end
  local ok, missing = match_lines(excerpt, both)
  if ok then return true end
  local other = {}
  for _, l in ipairs(err) do other[#other + 1] = l end
  for _, l in ipairs(out) do other[#other + 1] = l end
  if match_lines(excerpt, other) then return true end
  return nil, string.format("the excerpt's lines from %q on are not in the output where the"
    .. " excerpt puts them", missing)
end

-- Whether a command's exit status is what the tutorial shows: 0, or a
-- failure whose error line ("luagrad: ...") the excerpt quotes.
function M.status_ok(step, status)
  if status == 0 then return true end
  for _, l in ipairs(step.excerpt or {}) do
    if l:find("^luagrad: ") then return true end
  end
  return false
end

-- A PNG's width and height, or nil when the file is not a PNG.
function M.png_size(path)
  local s = slurp(path)
  if not s or s:sub(1, 8) ~= "\137PNG\r\n\26\n" or #s < 24 then return nil end
  return string.unpack(">I4", s, 17), string.unpack(">I4", s, 21)
end

-- The program that draws a picture: dot for the .dot files of plot.graph,
-- gnuplot for the rest (the run writes NAME.dot or NAME.gp beside it).
function M.drawer(dir, from)
  local base = from:gsub("%.png$", "")
  local f = io.open(dir .. "/" .. base .. ".dot", "rb")
  if f then f:close() return "dot" end
  return "gnuplot"
end

M.slurp = slurp
return M
