-- luagrad.report: a script's final figures, the global report{...}.
--
--   report{ loss = l, w = m.w }
--
-- records numbers, strings or booleans under names; several calls merge (a
-- later value of the same name replaces the earlier one). The figures go
-- into the run's run.json and, for a sweep, into runs.csv, one column each.
-- Each call prints what it recorded (unless -q).
local M = {}

M.figures = {}

-- Numbers in full (shortest round trip), strings quoted: as params{} prints.
local show = require("luagrad.params").show

function M.report(figures)
  if type(figures) ~= "table" then
    error(string.format("report: expected a table like report{ loss = 0.1 }, got %s",
      type(figures)), 2)
  end
  local names = {}
  for k, v in pairs(figures) do
    if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then
      error(string.format("report: figure names must be identifiers, got %s",
        type(k) == "string" and string.format("%q", k) or tostring(k)), 2)
    end
    local t = type(v)
    if t ~= "number" and t ~= "string" and t ~= "boolean" then
      error(string.format("report: '%s' must be a number, string or boolean, got %s", k, t), 2)
    end
    names[#names + 1] = k
  end
  table.sort(names)
  local parts = {}
  for i, k in ipairs(names) do
    M.figures[k] = figures[k]
    parts[i] = k .. "=" .. show(figures[k])
  end
  if #parts > 0 then print("report: " .. table.concat(parts, " ")) end
end

return M
