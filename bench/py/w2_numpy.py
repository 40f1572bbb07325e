"""W2 with NumPy: the MSE of y_hat = w*x + b over a grid of (w, b).

    /usr/bin/python3 bench/py/w2_numpy.py [n=10000] [grid=201]

Vectorised over b and the samples, one row of the grid per w (the whole
grid at once would need grid*grid*n doubles, 3.2 GB), the residual w*x - y
computed once per w. (w*x - y) + b rounds differently from (w*x + b) - y in
the last bit; the results agree to ~1e-15. w2_numpy_tuned.py is the same
with a preallocated buffer and einsum.
"""
import numpy as np

import common

a = common.args({"n": 10000, "grid": 201})
x, y = common.data_numpy(a["n"])
ws = common.linspace_numpy(a["grid"])
bs = common.linspace_numpy(a["grid"])

t0 = common.clock()
mse = np.empty((len(ws), len(bs)))
for j, w in enumerate(ws):
    r = w * x - y
    d = r + bs[:, None]                  # (grid, n): every b, every sample
    mse[j] = (d ** 2).mean(axis=1)
t1 = common.clock()

best = int(np.argmin(mse))               # first minimum, row-major (w outer)
common.seconds(t0, t1)
common.show("min", mse.flat[best])
common.show("argmin_w", ws[best // len(bs)])
common.show("argmin_b", bs[best % len(bs)])
common.show("total", sum(mse.ravel().tolist()))
