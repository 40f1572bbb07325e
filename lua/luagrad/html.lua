-- luagrad.html: `luagrad collect --html DIR` writes DIR/index.html, a page
-- that needs no server and no network (nothing is fetched from elsewhere:
-- the style and the few lines of script are inline, the pictures are the
-- runs' own PNG files, linked by relative paths):
--   - the overlaid curves (curves.png) and the sweep plots (sweep_*.png);
--   - the runs table, one row per run (its parameters, figures, status,
--     seconds), sortable by clicking a column's header, failed runs marked;
--   - per run, its pictures and links to its CSV files and run.json.
local M = {}

local numstr = require("luagrad.sys").numstr

local function esc(s)
  return (tostring(s):gsub("[&<>\"']", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["'"] = "&#39;" }))
end

-- A relative path as a URL: each byte outside the safe set %-encoded.
local function url(path)
  return (path:gsub("[^%w%-%._~/=,]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function cell(v)
  if v == nil then return "" end
  if math.type(v) == "float" then return (numstr(tonumber(string.format("%.6g", v))):gsub("%.0$", "")) end
  if type(v) == "table" then return "" end
  return tostring(v)
end

local STYLE = [[
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #eee; cursor: pointer; user-select: none; }
th.sorted-up::after { content: " \25B2"; } th.sorted-down::after { content: " \25BC"; }
td.name, th.name { text-align: left; }
tr.failed td { background: #fde8e8; } tr.failed td.status { color: #b00; font-weight: bold; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.3em 0.3em 0.3em 0; }
section.run { border-top: 1px solid #ccc; margin-top: 1.2em; }
section.run.failed h3 { color: #b00; }
.pictures img { width: 420px; }
]]

-- Sorts the table by a column: numbers by value, the rest as text; a
-- second click reverses. Empty cells go last.
local SCRIPT = [[
function sortBy(th) {
  var table = th.closest("table"), body = table.tBodies[0];
  var col = Array.prototype.indexOf.call(th.parentNode.children, th);
  var up = !th.classList.contains("sorted-up");
  Array.prototype.forEach.call(th.parentNode.children, function (h) {
    h.classList.remove("sorted-up", "sorted-down"); });
  th.classList.add(up ? "sorted-up" : "sorted-down");
  var rows = Array.prototype.slice.call(body.rows);
  function key(r) { var t = r.cells[col].textContent; var n = Number(t);
    return t === "" ? null : isNaN(n) ? t : n; }
  rows.sort(function (a, b) {
    var x = key(a), y = key(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0)
                                  : (typeof x === "number" ? -1 : 1);
    return up ? c : -c; });
  rows.forEach(function (r) { body.appendChild(r); });
}
// Once loaded, the body says how many pictures could be shown
// (data-pictures="loaded/all"), and a missing one is marked.
window.addEventListener("load", function () {
  var imgs = document.images, ok = 0;
  for (var i = 0; i < imgs.length; i++) {
    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    else imgs[i].alt = "missing: " + imgs[i].alt;
  }
  document.body.setAttribute("data-pictures", ok + "/" + imgs.length);
});
]]

-- records: runs.entry tables in runs.csv order; header: runs.csv's columns
-- (run, the parameters, the figures, status, seconds); names: the
-- parameter and figure of each header column, { kind, key }.
function M.write(dir, records, columns, pictures)
  local out = {}
  local function add(...) for _, s in ipairs({ ... }) do out[#out + 1] = s end end
  local failed = 0
  for _, r in ipairs(records) do if r.status ~= 0 then failed = failed + 1 end end
  add("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<title>luagrad runs: ", esc(dir), "</title>\n<style>\n", STYLE, "</style>\n<script>\n",
    SCRIPT, "</script>\n</head>\n<body>\n")
  add("<h1>Runs in ", esc(dir), "</h1>\n<p>", #records, " run", #records == 1 and "" or "s",
    failed > 0 and (", <strong>" .. failed .. " failed</strong>") or "",
    ". The table is also <a href=\"runs.csv\">runs.csv</a>; click a header to sort.</p>\n")
  -- a row of pictures, each a link to itself
  local function gallery(list)
    add("<div class=\"pictures\">\n")
    for _, p in ipairs(list) do
      add("<a href=\"", esc(url(p)), "\"><img src=\"", esc(url(p)), "\" alt=\"", esc(p), "\"></a>\n")
    end
    add("</div>\n")
  end
  if #pictures > 0 then
    add("<h2>Curves and figures</h2>\n")
    gallery(pictures)
  end
  add("<h2>Runs</h2>\n<table id=\"runs\">\n<thead><tr>")
  for i, c in ipairs(columns) do
    add("<th", i == 1 and " class=\"name\"" or "", " onclick=\"sortBy(this)\">", esc(c.title), "</th>")
  end
  add("</tr></thead>\n<tbody>\n")
  for _, r in ipairs(records) do
    local bad = r.status ~= 0
    add("<tr", bad and " class=\"failed\"" or "", ">")
    for i, c in ipairs(columns) do
      local v = c.get(r)
      local text = cell(v)
      if c.title == "status" then
        text = r.status == 0 and "ok" or r.status == nil and "not run"
          or ("failed (" .. cell(r.status) .. ")")
      end
      if i == 1 then
        add("<td class=\"name\"><a href=\"#run-", esc(url(r.run)), "\">", esc(text), "</a></td>")
      else
        add("<td", c.title == "status" and " class=\"status\"" or "", ">", esc(text), "</td>")
      end
    end
    add("</tr>\n")
  end
  add("</tbody>\n</table>\n")
  for _, r in ipairs(records) do
    local folder = r.run == "." and "" or r.run .. "/"
    add("<section class=\"run", r.status ~= 0 and " failed" or "", "\" id=\"run-", esc(url(r.run)),
      "\">\n<h3>", esc(r.run), r.status ~= 0 and " (failed)" or "", "</h3>\n<p>")
    local links = { "<a href=\"" .. esc(url(folder .. "run.json")) .. "\">run.json</a>" }
    local pics = {}
    for _, f in ipairs(r.files or {}) do
      if type(f) == "string" then
        if f:match("%.[cC][sS][vV]$") then
          links[#links + 1] = "<a href=\"" .. esc(url(folder .. f)) .. "\">" .. esc(f) .. "</a>"
        elseif f:match("%.png$") then
          pics[#pics + 1] = folder .. f
        end
      end
    end
    add(table.concat(links, " &middot; "), "</p>\n")
    if #pics > 0 then gallery(pics) end
    add("</section>\n")
  end
  add("</body>\n</html>\n")
  local path = dir .. "/index.html"
  local f, why = io.open(path, "w")
  if not f then error("cannot write " .. path .. ": " .. tostring(why), 0) end
  f:write(table.concat(out))
  f:close()
  return path
end

return M
