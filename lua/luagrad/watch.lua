-- luagrad.watch: under `luagrad --watch` (src/host/watch.c), writes the path
-- of every file the script reads to the file named by LUAGRAD_WATCH_LIST,
-- one a line, as it is read (a run that fails half-way has told what it read
-- so far), so that the watcher runs the script again when one is saved.
-- Reads through io.open (for reading), io.lines and io.input with a file
-- name, csv.read, csv.matrix, csv.rows, dofile, loadfile and require count.
local M = {}

function M.track(list)
  local open, seen = io.open, {}
  local function note(path)
    if type(path) ~= "string" or seen[path] then return end
    seen[path] = true
    local f = open(list, "a")
    if f then
      f:write(path, "\n")
      f:close()
    end
  end
  io.open = function(path, mode, ...)
    local m = mode == nil and "r" or tostring(mode)
    if m:sub(1, 1) == "r" and not m:find("+", 1, true) then note(path) end
    return open(path, mode, ...)
  end
  local function wrap(tbl, name)
    local fn = tbl[name]
    tbl[name] = function(path, ...)
      note(path)
      return fn(path, ...)
    end
  end
  wrap(io, "lines")
  wrap(io, "input")
  wrap(csv, "read")
  wrap(csv, "matrix")
  wrap(csv, "rows")
  wrap(_G, "dofile")
  wrap(_G, "loadfile")
  -- the searcher of Lua files: after package.preload and luagrad's own
  -- (src/host/lazy.c), which finds no file
  local search_file = package.searchers[3]
  package.searchers[3] = function(name, ...)
    local loader, path = search_file(name, ...)
    if type(loader) == "function" then note(path) end
    return loader, path
  end
end

return M
