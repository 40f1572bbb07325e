"""W1, the course's w-scan (lecture 2) in plain Python, timed as a whole
process (start-up included).

    /usr/bin/python3 bench/py/w1.py OUT.csv [import=numpy|torch]

import=numpy (or torch) imports that library first and does nothing else
with it: the row then shows what the import alone costs at start-up, which
is what a course script that begins with `import numpy as np` or
`import torch` pays. Prints each sample's x, y, y_hat, loss and the MSE for
w = 0.0, 0.1, ..., 4.0 and writes OUT.csv (w,mse), numbers as luagrad
writes them.
"""
import sys

if len(sys.argv) not in (2, 3):
    sys.exit("usage: w1.py OUT.csv [import=numpy|torch]")
if len(sys.argv) == 3:
    module = sys.argv[2].partition("import=")[2]
    if module not in ("numpy", "torch"):
        sys.exit(f"w1.py: '{sys.argv[2]}': expected import=numpy or import=torch")
    __import__(module)


def num(v):
    """The first of %.15g, %.16g, %.17g that reads back exactly."""
    for digits in (15, 16, 17):
        s = "%.*g" % (digits, v)
        if float(s) == v:
            return s
    return s


x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]
w = 0.0


def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


with open(sys.argv[1], "w") as f:
    f.write("w,mse\n")
    for k in range(41):
        w = k * 0.1
        print("w=", num(w))
        l_sum = 0.0
        for x_val, y_val in zip(x_data, y_data):
            loss_val = loss(x_val, y_val)
            l_sum += loss_val
            print(num(x_val), num(y_val), num(forward(x_val)), num(loss_val))
        print("MSE=", num(l_sum / 3))
        f.write(f"{num(w)},{num(l_sum / 3)}\n")
