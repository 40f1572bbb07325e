-- luagrad.show: a value as the prompt prints it. A plain table shows its
-- contents on one line, { 1, 2, 3 } or { lr = 0.1, name = "run" }, instead
-- of Lua's "table: 0x55d0c8a2b0": the list part first, then the other keys
-- sorted; nested tables two levels deep; at most MAX entries per table.
-- Values with a __tostring (tensors, models) show as tostring does.
local MAX = 20

local show

local function key_text(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  return "[" .. show(k, 0) .. "]"
end

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

function show(v, depth)
  local t = type(v)
  if t == "string" then return (string.format("%q", v):gsub("\\\n", "\\n")) end
  if t ~= "table" or getmetatable(v) and getmetatable(v).__tostring then return tostring(v) end
  if depth <= 0 then return "{...}" end
  local parts, n = {}, #v
  for i = 1, math.min(n, MAX) do parts[#parts + 1] = show(v[i], depth - 1) end
  local keys = {}
  for k in next, v do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, key_less)
  for _, k in ipairs(keys) do
    if #parts >= MAX then break end
    parts[#parts + 1] = key_text(k) .. " = " .. show(v[k], depth - 1)
  end
  local more = n + #keys - #parts
  if more > 0 then parts[#parts + 1] = string.format("... (%d more)", more) end
  if #parts == 0 then return "{}" end
  return "{ " .. table.concat(parts, ", ") .. " }"
end

return function(v) return show(v, 2) end
