-- w1.lua: W1, the course's w-scan (lecture 2) in plain Lua 5.4, timed as a
-- whole process (start-up included).
--   lua5.4 bench/lua/w1.lua OUT.csv
-- Prints each sample's x, y, y_hat, loss and the MSE for w = 0.0, 0.1, ...,
-- 4.0 and writes OUT.csv (w,mse), numbers as luagrad writes them.
local out = assert(arg[1], "usage: lua5.4 w1.lua OUT.csv")

local function num(v)                      -- shortest of %.15g, %.16g, %.17g
  local s
  for digits = 15, 17 do
    s = string.format("%." .. digits .. "g", v)
    if tonumber(s) == v then break end
  end
  return s
end

local x_data, y_data = {1.0, 2.0, 3.0}, {2.0, 4.0, 6.0}
local w
local function forward(x) return x * w end
local function loss(x, y)
  local y_pred = forward(x)
  return (y_pred - y) * (y_pred - y)
end

local f = assert(io.open(out, "w"))
f:write("w,mse\n")
for k = 0, 40 do
  w = k * 0.1
  print("w= " .. num(w))
  local l_sum = 0.0
  for i = 1, #x_data do
    local l = loss(x_data[i], y_data[i])
    l_sum = l_sum + l
    print(num(x_data[i]), num(y_data[i]), num(forward(x_data[i])), num(l))
  end
  print("MSE= " .. num(l_sum / 3))
  f:write(num(w), ",", num(l_sum / 3), "\n")
end
assert(f:close())
