"""W7 in PyTorch eager (float64, one thread): one-element tensors w and b
requiring gradients, per sample l = (x*w + b - y) * (x*w + b - y),
l.backward(), then w -= lr * w.grad under no_grad and w.grad.zero_().
    python3 scalar_torch.py [n=250000] [lr=0.01]
Timed: the loop. Printed: w, b and the last sample's loss."""
import torch

import common

a = common.args({"n": 250000, "lr": 0.01})
torch.set_num_threads(1)
n, lr = a["n"], a["lr"]
xs = [(i * common.G1) % 1.0 for i in range(n)]
ys = [2 * x + 1 + ((i * common.G2) % 1.0 - 0.5) * 0.2 for i, x in enumerate(xs)]
w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)

t0 = common.clock()
for x, y in zip(xs, ys):
    r = x * w + b - y
    l = r * r
    l.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
t1 = common.clock()

print(f"seconds={t1 - t0:.9f}")
print(f"w={w.item()!r}\nb={b.item()!r}\nloss={l.item()!r}")
