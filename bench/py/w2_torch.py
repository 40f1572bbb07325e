"""W2 with PyTorch (float64, CPU): the MSE of y_hat = w*x + b over a grid.

    /usr/bin/python3 bench/py/w2_torch.py [n=10000] [grid=201] [threads=1]

threads=0 keeps PyTorch's default thread count. Same method as the NumPy
version: one row of the grid per w, vectorised over b and the samples.
"""
import torch

import common

a = common.args({"n": 10000, "grid": 201, "threads": 1})
common.torch_threads(a["threads"])
x, y = common.data_torch(a["n"])
ws = common.linspace_torch(a["grid"])
bs = common.linspace_torch(a["grid"])

t0 = common.clock()
mse = torch.empty((len(ws), len(bs)), dtype=torch.float64)
for j in range(len(ws)):
    r = ws[j] * x - y
    d = r + bs[:, None]                  # (grid, n)
    mse[j] = (d ** 2).mean(dim=1)
t1 = common.clock()

best = int(torch.argmin(mse))
common.seconds(t0, t1)
common.show("min", mse.flatten()[best])
common.show("argmin_w", ws[best // len(bs)])
common.show("argmin_b", bs[best % len(bs)])
common.show("total", sum(mse.flatten().tolist()))
