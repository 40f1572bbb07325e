"""W4 with PyTorch (float64, CPU): per-sample SGD, a Python loop of tensor
operations over the samples, one epoch in order.

    /usr/bin/python3 bench/py/w4_torch.py [n=1000000] [lr=0.01] [threads=1]

w and b are 0-d tensors updated with the gradient written out (no autograd:
recording a graph per sample would be slower still).
"""
import torch

import common

a = common.args({"n": 1000000, "lr": 0.01, "threads": 1})
common.torch_threads(a["threads"])
x, y = common.data_torch(a["n"])
lr = a["lr"]

t0 = common.clock()
w = torch.zeros((), dtype=torch.float64)
b = torch.zeros((), dtype=torch.float64)
for i in range(a["n"]):
    r = w * x[i] + b - y[i]
    w = w - lr * (2 * r * x[i])
    b = b - lr * (2 * r)
t1 = common.clock()

common.seconds(t0, t1)
common.show("w", w)
common.show("b", b)
