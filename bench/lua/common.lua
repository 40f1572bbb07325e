-- common.lua: what the plain Lua 5.4 versions share (loaded with dofile, so
-- each script stays runnable as `lua5.4 bench/lua/w2.lua n=1000`).
--
-- The data ("the seed") is the same as in every other implementation:
--   x_i = (i * 0.6180339887498949) % 1.0
--   y_i = 2 * x_i + 1 + ((i * 0.7548776662466927) % 1.0 - 0.5) * 0.2
-- Lua's float % is fmod (exact) for these positive operands.
local M = {}

-- key=value words from the command line; numbers where def is a number.
function M.args(defaults)
  local a = {}
  for k, v in pairs(defaults) do a[k] = v end
  for _, word in ipairs(arg) do
    local k, v = word:match("^([%w_]+)=(.*)$")
    if not k or a[k] == nil then error("unknown argument '" .. word .. "'", 0) end
    a[k] = tonumber(v) or error("argument '" .. word .. "' is not a number", 0)
  end
  return a
end

function M.data(n)
  local x, y = {}, {}
  for i = 0, n - 1 do
    local xi = (i * 0.6180339887498949) % 1.0
    x[i + 1] = xi
    y[i + 1] = 2 * xi + 1 + ((i * 0.7548776662466927) % 1.0 - 0.5) * 0.2
  end
  return x, y
end

-- os.clock is CPU time, the only sub-second clock of plain Lua; for a
-- single-threaded loop it is the wall time less waiting.
M.clock = os.clock

function M.show(key, v)
  io.write(key, "=", string.format("%.17g", v), "\n")
end

return M
