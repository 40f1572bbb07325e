"""W2 with NumPy, tuned: as w2_numpy.py, but the (grid, n) block goes into
one preallocated buffer and the sums of squares are an einsum, which avoids
two temporaries per row and runs the dot products in compiled loops.

    /usr/bin/python3 bench/py/w2_numpy_tuned.py [n=10000] [grid=201]
"""
import numpy as np

import common

a = common.args({"n": 10000, "grid": 201})
x, y = common.data_numpy(a["n"])
ws = common.linspace_numpy(a["grid"])
bs = common.linspace_numpy(a["grid"])

t0 = common.clock()
mse = np.empty((len(ws), len(bs)))
d = np.empty((len(bs), len(x)))
for j, w in enumerate(ws):
    np.add(bs[:, None], w * x - y, out=d)
    mse[j] = np.einsum("ij,ij->i", d, d) / len(x)
t1 = common.clock()

best = int(np.argmin(mse))
common.seconds(t0, t1)
common.show("min", mse.flat[best])
common.show("argmin_w", ws[best // len(bs)])
common.show("argmin_b", bs[best % len(bs)])
common.show("total", sum(mse.ravel().tolist()))
