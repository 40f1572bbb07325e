"""W3 with PyTorch (float64, CPU): full-batch gradient descent, MSE.

    /usr/bin/python3 bench/py/w3_torch.py [n=1000000] [epochs=100] [lr=0.1] [threads=1]

The gradient written out, as in the NumPy version (autograd would add the
cost of recording the graph).
"""
import common

a = common.args({"n": 1000000, "epochs": 100, "lr": 0.1, "threads": 1})
common.torch_threads(a["threads"])
x, y = common.data_torch(a["n"])
lr = a["lr"]

t0 = common.clock()
w = b = 0.0
for _ in range(a["epochs"]):
    r = w * x + b - y
    gw = 2 * (r @ x).item() / len(x)
    gb = 2 * r.mean().item()
    w -= lr * gw
    b -= lr * gb
t1 = common.clock()

common.seconds(t0, t1)
common.show("w", w)
common.show("b", b)
