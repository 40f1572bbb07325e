-- Comparing runs: the overlaid curves (lua/luagrad/curves.lua), collect
-- --html (lua/luagrad/html.lua) opened in headless Chromium, and the README's
-- recipe for GNU parallel (sweep --emit-jobs, then collect).
local T = dofile("tests/check.lua")
local Q, EXE = T.quote, T.exe

-- Gradient descent on (w - 3)^2 from w = 0: loss_e = 9 (1 - 2 lr)^(2(e-1)),
-- so lr = 1.05 grows by 1.21 an epoch and lr = 1.5 by 4; lr = 3 fails.
local SCRIPT = [[
local P = params{ lr = 0.1, epochs = 30 }
if P.lr > 2 then error("lr too large") end
local f <close> = csv.writer("curve.csv", { "epoch", "loss" })
local w, l = 0, 0
for e = 1, P.epochs do l = (w - 3)^2; f:row(e, l); w = w - P.lr * 2 * (w - 3) end
f:close()
plot.line{ csv = "curve.csv", x = "epoch", y = "loss" }
report{ loss = l }
]]

local function sweep(d, args)
  return T.sh("cd " .. Q(d) .. " && " .. Q(EXE) .. " sweep -q " .. args)
end

T.test("curves: one line per run labelled by what varies; diverged runs cut and said so", function()
  local d = T.folder{ ["gd.lua"] = SCRIPT }
  local st = sweep(d, "--plot none gd.lua lr=0.1,0.2,1.05,1.5 epochs=30")
  T.eq(st, 0, "the sweep")
  local lines = T.lines(T.slurp(d .. "/out/gd/curves.csv"))
  T.eq(lines[1], "epoch,lr=0.1,lr=0.2,lr=1.05 (diverged at epoch 14),lr=1.5 (diverged at epoch 3)",
    "the header: epochs is constant, so not in the labels")
  -- by hand: lr = 0.2: 9 * 0.36 = 3.24 at epoch 2; lr = 1.5: 9 * 4 = 36 at epoch 2,
  -- 576 > 10 * 9 at epoch 3; lr = 1.05: 9 * 1.21^12 = 88.6 at epoch 13, 107 at 14
  T.eq(lines[2], "1,9,9,9,9", "epoch 1")
  local e2 = {}
  for v in lines[3]:gmatch("[^,]+") do e2[#e2 + 1] = tonumber(v) end
  for i, want in ipairs({ 2, 5.76, 3.24, 10.89, 36 }) do T.near(e2[i], want, 1e-12, "epoch 2, column " .. i) end
  T.truthy(lines[4]:match(",$"), "lr = 1.5 cut from epoch 3: " .. lines[4])
  T.truthy(lines[14]:match("^13,.*,88%.6%d*,$"), "lr = 1.05 still there at 13: " .. lines[14])
  T.truthy(lines[15]:match("^14,[^,]+,[^,]+,,$"), "cut at 14: " .. lines[15])
  local gp = T.slurp(d .. "/out/gd/curves.gp")
  T.truthy(gp:find("set logscale y", 1, true), "log scale: 9 down to 1e-6 is positive and spans decades")
end)

T.test("curves: a linear axis where a value is zero; nothing without a CSV with an epoch column", function()
  local d = T.folder{ ["gd.lua"] = SCRIPT, ["flat.lua"] = 'local P = params{ k = 1 }\nreport{ k = P.k }\n' }
  T.eq((sweep(d, "--plot none gd.lua lr=0.1,0.5")), 0, "a sweep")
  T.truthy(not T.slurp(d .. "/out/gd/curves.gp"):find("logscale", 1, true), "lr = 0.5 reaches 0")
  T.eq((sweep(d, "--plot none flat.lua k=1,2")), 0, "a sweep without curves")
  T.truthy(not T.exists(d .. "/out/flat/curves.csv"), "no curves.csv")
end)

-- A sweep with a failed run, collected with --html.
local function report_folder()
  local d = T.folder{ ["gd.lua"] = SCRIPT }
  local st = sweep(d, "gd.lua lr=0.01,0.1,0.3,1.05,3")
  T.eq(st, 1, "the sweep (lr = 3 fails)")
  local cst, _, err = T.sh("cd " .. Q(d) .. " && " .. Q(EXE) .. " collect --html out/gd")
  T.eq(cst, 1 - 1, "collect: " .. err)
  T.contains(err, "luagrad collect: the report is out/gd/index.html")
  return d, T.slurp(d .. "/out/gd/index.html")
end

T.needs({ "gnuplot" }, "collect --html: the table, failed runs marked, pictures and files, nothing from elsewhere", function()
  local d, html = report_folder()
  T.truthy(not html:find("https?://"), "no address elsewhere")
  T.truthy(not html:find("<script src", 1, true) and not html:find("<link", 1, true), "nothing fetched")
  T.contains(html, '<tr class="failed">', '<td class="status">failed (1)</td>', "1 failed",
    '<img src="curves.png"', '<img src="sweep_loss.png"', '<img src="lr=0.1/curve.png"',
    '<a href="lr=0.1/curve.csv">curve.csv</a>', '<a href="lr=3.0/run.json">run.json</a>',
    'onclick="sortBy(this)"')
  local rows = 0
  for _ in html:gmatch("<tr[ >]") do rows = rows + 1 end
  T.eq(rows, 6, "a header and five runs")
  for src in html:gmatch('<img src="([^"]+)"') do
    T.truthy(T.exists(d .. "/out/gd/" .. src), "the picture exists: " .. src)
  end
end)

T.needs({ "gnuplot", "chromium" }, "collect --html: headless Chromium shows the table and every picture", function()
  local d = report_folder()
  local page = "file://" .. d .. "/out/gd/index.html"
  local chrome = "timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "
  local t0 = os.time()
  local st, dom, err = T.sh(chrome .. "--virtual-time-budget=5000 --dump-dom " .. Q(page))
  T.eq(st, 0, "chromium: " .. err)
  -- the page's own script writes how many pictures loaded (naturalWidth > 0)
  local loaded, all = dom:match('data%-pictures="(%d+)/(%d+)"')
  T.truthy(loaded, "the load script ran:\n" .. dom:sub(1, 400))
  T.eq(all, "6", "curves, sweep_loss and one picture per successful run (4)")
  T.eq(loaded, all, "every picture loaded")
  T.truthy(dom:find('<table id="runs">', 1, true), "the table")
  local shot = d .. "/report.png"
  st, _, err = T.sh(chrome .. "--window-size=1000,1200 --screenshot=" .. Q(shot) .. " " .. Q(page))
  T.eq(st, 0, "the screenshot: " .. err)
  T.eq(T.slurp(shot):sub(1, 8), "\137PNG\r\n\26\n", "a PNG")
  -- kept in the test's output folder (make test: a temporary one); doc/report.png is one
  local keep = luagrad.out .. "/report.png"
  os.execute("mkdir -p " .. Q(luagrad.out) .. " && cp " .. Q(shot) .. " " .. Q(keep))
  io.stdout:write(string.format("# chromium: %d s; screenshot kept as %s\n", os.time() - t0, keep))
end)

-- ---- past one machine -------------------------------------------------------------

-- runs.csv without the seconds column (the one thing that differs).
local function table_of(path)
  local out = {}
  for _, l in ipairs(T.lines(T.slurp(path))) do out[#out + 1] = (l:gsub(",[^,]*$", "")) end
  return table.concat(out, "\n")
end

T.needs({ "parallel" }, "the README's GNU parallel recipe: --emit-jobs | parallel, collect equals a local sweep", function()
  local d = T.folder{ ["gd.lua"] = SCRIPT }
  local t0 = os.time()
  local st, _, err = T.sh("{ cd " .. Q(d) .. " && " .. Q(EXE) .. " sweep -q --emit-jobs --out far --plot none " ..
    "gd.lua lr=0.01,0.1,0.3 epochs=5,10 | parallel -j 2 && " .. Q(EXE) .. " collect -q --plot none far/gd; }")
  T.eq(st, 0, "parallel and collect: " .. err)
  T.eq((sweep(d, "--out near --plot none gd.lua lr=0.01,0.1,0.3 epochs=5,10")), 0, "the local sweep")
  local far, near = table_of(d .. "/far/gd/runs.csv"), table_of(d .. "/near/gd/runs.csv")
  T.eq(#T.lines(far .. "\n"), 7, "a header and six runs")
  T.eq(far, near, "the same table")
  T.eq(T.slurp(d .. "/far/gd/curves.csv"), T.slurp(d .. "/near/gd/curves.csv"), "the same curves")
  io.stdout:write(string.format("# GNU parallel recipe: %d s\n", os.time() - t0))
end)

T.done()
