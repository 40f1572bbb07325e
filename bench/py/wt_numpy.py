"""WT5/WT6 with NumPy: the tensor-expression loop of the tensor issue,
expression by expression as a NumPy user writes it (full-batch gradient
descent on y_hat = w*x + b, MSE; w = b = 0 at the start).

    /usr/bin/python3 bench/py/wt_numpy.py [n=100000] [epochs=300] [lr=0.1]

Printed: the final w, b and the last epoch's cost.
"""
import common

a = common.args({"n": 100000, "epochs": 300, "lr": 0.1})
x, y = common.data_numpy(a["n"])
lr = a["lr"]

t0 = common.clock()
w = b = cost = 0.0
for _ in range(a["epochs"]):
    r = x * w + b - y
    cost = (r * r).mean()
    w = w - lr * 2 * (r * x).mean(); b = b - lr * 2 * r.mean()
t1 = common.clock()

common.seconds(t0, t1)
common.show("w", w)
common.show("b", b)
common.show("cost", cost)
