-- luagrad.provenance: run.json, what a run was, written when it ends.
--
-- The host calls the run's _provenance(info) at the very end of every run of
-- a script (after the output files are closed), successful or not, with
--   info = { status = exit status, sha256 = hash of the script's text,
--            start = start time (seconds since 1970), seconds = duration }.
-- It writes OUT/run.json (OUT = the run's output folder):
--
--   { "luagrad_version": "0.1.0", "script": "examples/sgd.lua",
--     "sha256": "...", "params": { "lr": 0.1, ... }, "seed": 42,
--     "start": "2026-11-28T15:13:19Z", "seconds": 1.25, "status": 0,
--     "figures": { "loss": 0.01 }, "files": [ "sgd.csv", "sgd.png" ],
--     "host": "node7" }
--
-- Written to a new temporary file (PATH.<pid>.tmp) in the same folder and renamed, so run.json
-- is either complete or absent: a complete run.json is a complete run.
-- Not written for --params, nor when params{} refused a key=value (nothing
-- ran then); the prompt never writes one.
local run = require("luagrad.sys").info()  -- the run (the global luagrad is a copy)
local json = require("luagrad.json")
local sys = require("luagrad.sys")

-- params and report only when the script used them (they load on first
-- use, src/host/lazy.h): without them nothing was declared or reported.
local loaded = package.loaded
local NONE = {}
local function params() return loaded["luagrad.params"] or NONE end

local M = {}

-- The files a run wrote, relative to its output folder when inside it,
-- sorted.
local function files_written()
  local prefix = (run.out or ""):gsub("/+$", "") .. "/"
  local list = json.array({})
  for _, path in ipairs(sys.outputs()) do
    if prefix ~= "/" and path:sub(1, #prefix) == prefix then path = path:sub(#prefix + 1) end
    list[#list + 1] = path
  end
  table.sort(list)
  return list
end

function M.record(info)
  return {
    luagrad_version = run.version,
    script = run.script,
    sha256 = info.sha256,
    params = params().values or {},
    seed = run.seed,
    start = os.date("!%Y-%m-%dT%H:%M:%SZ", info.start),
    seconds = info.seconds,
    status = info.status,
    figures = (loaded["luagrad.report"] or NONE).figures or {},
    files = files_written(),
    host = sys.hostname(),
    -- what the run was allowed (luagrad --help: running scripts you did
    -- not write); timeout and max_mem_mb are absent without a limit
    sandbox = run.sandbox or false,
    sandbox_data = json.array(run.data or {}),
    timeout = run.timeout,
    max_mem_mb = run.max_mem,
  }
end

-- Writes text to path through a new temporary file (created exclusively,
-- so a planted symbolic link is not followed) and a rename.
function M.write_atomically(path, text)
  local ok, why = sys.write_atomic(path, text)
  if not ok then error("cannot write run.json: " .. why, 0) end
end

function M.write(info)
  if run.list_params or params().refused then return end
  local text = json.encode(M.record(info)) .. "\n"
  M.write_atomically(sys.outpath("run.json"), text)
end

return M
