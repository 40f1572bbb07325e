-- threads.lua: full-batch gradient descent as in w3.lua, timing each epoch
-- (from one on_epoch call to the next), for bench/threads.sh. A median over
-- epochs shrugs off a burst of other work on the machine better than the
-- time of a whole run does.
--   luagrad bench/luagrad/threads.lua [n=1000000] [epochs=300]
-- Printed: fastest and median epoch in microseconds, then w and b.
local P = params{ n = 1000000, epochs = 300, lr = 0.1 }
local sys = require("luagrad.sys")
local x, y = dofile(luagrad.script:match("^(.*/)") .. "data.lua")(P.n)
local m = model.affine{ w = 0, b = 0 }

local times, last = {}, sys.clock()
fit(m, x, y, { epochs = P.epochs, lr = P.lr, batch = "full", shuffle = false,
               on_epoch = function()
                 local now = sys.clock()
                 times[#times + 1] = now - last
                 last = now
               end })
table.sort(times)
print(string.format("min_us=%.1f\nmedian_us=%.1f", times[1] * 1e6, times[(#times + 1) // 2] * 1e6))
print(string.format("w=%.17g\nb=%.17g", m.w, m.b))
