"""W4 with NumPy data: per-sample SGD on y_hat = w*x + b, one epoch in order.

    /usr/bin/python3 bench/py/w4_numpy.py [n=1000000] [lr=0.01]

Each update depends on the previous one, so there is nothing to vectorise:
a competent NumPy user loops in Python over plain floats (tolist() first;
indexing the array per sample is several times slower). The conversion is
timed: it is part of the method.
"""
import common

a = common.args({"n": 1000000, "lr": 0.01})
x, y = common.data_numpy(a["n"])
lr = a["lr"]

t0 = common.clock()
w = b = 0.0
for xi, yi in zip(x.tolist(), y.tolist()):
    r = w * xi + b - yi
    w -= lr * (2 * r * xi)
    b -= lr * (2 * r)
t1 = common.clock()

common.seconds(t0, t1)
common.show("w", w)
common.show("b", b)
