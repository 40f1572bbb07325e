"""The tensor loop of bench/tensor_loop.lua, written the same way in NumPy.

    /usr/bin/python3 bench/py/tensor_loop_numpy.py [n=100000] [epochs=300] [lr=0.1]
"""
import time

import common

a = common.args({"n": 100000, "epochs": 300, "lr": 0.1})
x, y = common.data_numpy(a["n"])
lr = a["lr"]

w = b = 0.0
cost = None
t0 = time.process_time()
for _ in range(a["epochs"]):
    r = x * w + b - y
    cost = (r * r).mean()
    w = w - lr * 2 * (r * x).mean(); b = b - lr * 2 * r.mean()
t1 = time.process_time()
print("seconds=%.6f" % (t1 - t0))
print("w=%.17g b=%.17g cost=%.17g" % (w, b, cost))
