"""W3 with NumPy: full-batch gradient descent on y_hat = w*x + b, MSE.

    /usr/bin/python3 bench/py/w3_numpy.py [n=1000000] [epochs=100] [lr=0.1]

Each epoch: r = w*x + b - y; dL/dw = 2*(r . x)/n, dL/db = 2*mean(r); then
the update. w = b = 0 at the start.
"""
import common

a = common.args({"n": 1000000, "epochs": 100, "lr": 0.1})
x, y = common.data_numpy(a["n"])
lr = a["lr"]

t0 = common.clock()
w = b = 0.0
for _ in range(a["epochs"]):
    r = w * x + b - y
    gw = 2 * (r @ x) / len(x)
    gb = 2 * r.mean()
    w -= lr * gw
    b -= lr * gb
t1 = common.clock()

common.seconds(t0, t1)
common.show("w", w)
common.show("b", b)
