-- tests/test_bufcache.lua: tensors whose buffers come back from the cache
-- of freed buffers (src/core/bufcache.h: buffers of 64 KiB or more, at most
-- 4 of them and 64 MiB in all). A reused buffer must never be shared by two
-- live tensors, the cache must stay within its bounds, and it must give its
-- buffers back before the memory cap refuses anything.
local T = dofile("tests/check.lua")
local sys = require("luagrad.sys")

local N = 20000          -- 160 KB: large enough to be kept
local KEPT_MAX = 4

local function all_equal(t, v)
  for i = 1, #t do
    if t[i] ~= v then return false, i, t[i] end
  end
  return true
end

local function check_all(t, v, what)
  local ok, i, got = all_equal(t, v)
  T.truthy(ok, string.format("%s: element %s is %s, want %s", what, i, got, v))
end

-- First in the file, while the collector's pacing starts from nothing: the
-- 10 MB product below makes it collect before allocating.
T.test("t:mean() of a temporary leaves no reference to it behind", function()
  local big = tensor.zeros(1250001)   -- a size no other test uses
  local x = tensor.ones(4000)         -- 32 KB: its temporaries are freed, not kept
  collectgarbage(); collectgarbage()
  local base = sys.memory()
  local m = (x + 1):mean()
  local y2 = big * 2                  -- the collector runs before this allocates
  local grown = sys.memory() - base - 8 * 1250001
  T.eq(m, 2, "mean")
  T.eq(y2[1], 0, "y2[1]")
  T.truthy(grown < 32000, string.format("%d bytes besides y2 still held: x + 1 was not freed", grown))
end)

T.test("live tensors made from freed buffers never share one: write one, read the others", function()
  local x = tensor.ones(N)
  local keep = {}
  for round = 1, 30 do
    -- temporaries die every round; some results are kept alive
    local tmp = x * round + 0
    tmp = tmp * 1
    if round % 3 == 0 then keep[#keep + 1] = { t = x * round, v = round } end
    collectgarbage()
  end
  -- each kept tensor still holds its own values ...
  for _, k in ipairs(keep) do check_all(k.t, k.v, "kept tensor " .. k.v) end
  -- ... and writing one changes none of the others
  for _, k in ipairs(keep) do k.t[1] = -1; k.t[N] = -1 end
  for _, k in ipairs(keep) do
    T.eq(k.t[1], -1, "written first element")
    T.eq(k.t[2], k.v, "unwritten element of " .. k.v)
    T.eq(k.t[N - 1], k.v, "unwritten element before the last of " .. k.v)
  end
  local a, b = x * 2, x * 3
  a[5] = 100
  T.eq(b[5], 3, "b after writing a")
  b[6] = 200
  T.eq(a[6], 2, "a after writing b")
end)

T.test("a freed buffer handed to tensor.zeros is zero; to a result, holds the result", function()
  local x = tensor.linspace(1, N, N)
  do local junk = x * 7 end
  collectgarbage()
  local z = tensor.zeros(N)
  check_all(z, 0, "zeros")
  do local junk = x * 7 end
  collectgarbage()
  local r = x - x
  check_all(r, 0, "x - x")
  local o = tensor.ones(N)
  check_all(o, 1, "ones")
end)

T.test("a view keeps its storage: its buffer is not reused while the view lives", function()
  local v
  do
    local big = tensor.ones(N) * 5
    v = big:narrow(1, 1, 10)
  end
  collectgarbage()
  local others = {}
  for i = 1, 6 do
    others[i] = tensor.ones(N) * (10 + i)   -- each would take a kept buffer of N
    collectgarbage()
  end
  check_all(v, 5, "the view")
  for i = 1, 6 do check_all(others[i], 10 + i, "tensor " .. i) end
end)

T.test("autograd: a graph's tensors keep their buffers until the graph is freed", function()
  local x = (tensor.ones(N) * 2):requires_grad_()
  for _ = 1, 3 do
    local loss = ((x * 3) * (x * 3)):mean()   -- d/dx mean(9 x^2) = 18 x / N
    collectgarbage()                        -- the intermediates live in the graph
    loss:backward()
    local g = x.grad
    for i = 1, N, 997 do T.near(g[i], 36 / N, 1e-12, "x.grad[" .. i .. "]") end
    x.grad = nil
    collectgarbage()
  end
end)

-- Memory after freeing tensors of many sizes: at most KEPT_MAX buffers kept,
-- never more than the largest sizes; nothing kept past 64 MiB.
T.test("the cache holds at most 4 buffers, and none above 64 MiB", function()
  collectgarbage(); collectgarbage()
  local base = sys.memory()
  local largest = 0
  for k = 1, 200 do
    local n = N + 1000 * k                   -- 200 distinct sizes, 168 KB to 1.8 MB
    local t = tensor.zeros(n)
    t = nil
    largest = 8 * n
    if k % 10 == 0 then collectgarbage() end
  end
  collectgarbage(); collectgarbage()
  local grown = sys.memory() - base
  T.truthy(grown <= KEPT_MAX * largest,
    string.format("memory grew by %d bytes, want at most %d (4 buffers)", grown, KEPT_MAX * largest))
  -- a buffer above the bound is given back at once
  collectgarbage(); collectgarbage()
  base = sys.memory()
  do local huge = tensor.zeros(9 * 1024 * 1024) end   -- 72 MiB
  collectgarbage(); collectgarbage()
  local left = sys.memory() - base
  T.truthy(left < 1e6, string.format("%d bytes still held after a 72 MiB tensor was freed", left))
end)

-- The course loop for many epochs: whatever the cache keeps, memory stays
-- near the live data (x, y) and does not grow with the epochs.
T.test("the tensor loop's memory does not grow with the epochs", function()
  local n = 100000
  local x = tensor.linspace(0, 1, n)
  local y = x * 2 + 1
  local w, b = 0, 0
  local function epochs(k)
    local peak = 0
    for _ = 1, k do
      local r = x * w + b - y
      w = w - 0.5 * 2 * (r * x):mean()
      b = b - 0.5 * 2 * r:mean()
      peak = math.max(peak, sys.memory())
    end
    return peak
  end
  local p1 = epochs(100)
  local p2 = epochs(2000)
  T.truthy(p2 <= p1 + 8 * n, string.format("peak after 2100 epochs %d, after 100 %d", p2, p1))
end)

-- Kept buffers count as memory in use, so under --max-mem they must go
-- before the cap refuses: after 5 dead tensors of 10 MB (40 MB kept), a
-- 30 MB tensor, or a 12 MB Lua string (string.rep holds 24 MB while it
-- copies), fit under a 50 MB cap.
for what, alloc in pairs{ ["a tensor of another size"] = "local big = tensor.zeros(3750000)",
                          ["a Lua string"] = "local s = string.rep('x', 12 * 1024 * 1024)" } do
  T.test("under --max-mem, kept buffers are given back before " .. what .. " is refused", function()
    local script = "local x = tensor.zeros(1250000)\n"
      .. "for i = 1, 4 do local t = x + i end\n"
      .. "collectgarbage()\n"
      .. "x = nil collectgarbage()\n"
      .. alloc .. "\nprint('done')\n"
    local d = T.folder{ ["x.lua"] = script }
    local status, out, err = T.run_in(d, "--max-mem 50 x.lua")
    T.eq(status, 0, "exit status; stderr: " .. err)
    T.eq(out, "done\n", "output")
  end)
end

T.done()
