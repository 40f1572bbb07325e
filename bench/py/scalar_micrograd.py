"""W7 with micrograd.py's Value: per sample r = x*w + b - y, l = r*r,
l.backward(), w.data -= lr*w.grad, w.grad = 0 (and b).
    python3 scalar_micrograd.py [n=250000] [lr=0.01]
Timed: the loop. Printed: w, b and the last sample's loss."""
import common
from micrograd import Value

a = common.args({"n": 250000, "lr": 0.01})
n, lr = a["n"], a["lr"]
xs = [(i * common.G1) % 1.0 for i in range(n)]
ys = [2 * x + 1 + ((i * common.G2) % 1.0 - 0.5) * 0.2 for i, x in enumerate(xs)]
w, b = Value(0.0), Value(0.0)

t0 = common.clock()
for x, y in zip(xs, ys):
    r = w * x + b - y
    l = r * r
    l.backward()
    w.data -= lr * w.grad
    b.data -= lr * b.grad
    w.grad = 0.0
    b.grad = 0.0
t1 = common.clock()

print(f"seconds={t1 - t0:.9f}")
print(f"w={w.data!r}\nb={b.data!r}\nloss={l.data!r}")
