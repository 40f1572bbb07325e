"""The data and starting weights of the network workloads (W5, W5b, W6),
the same bits as bench/luagrad/nets.lua and bench/c/nets.h (see there for
the formulas), and the key=value arguments of those scripts (shape=8,6,4,1
is a list, the others numbers)."""
import math
import os
import sys

A = 0.6180339887498949
B = 0.7548776662466927
DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                      "data", "digits.csv")


def args(defaults):
    a = dict(defaults)
    for word in sys.argv[1:]:
        key, eq, value = word.partition("=")
        if not eq or key not in a:
            sys.exit(f"{sys.argv[0]}: unknown argument '{word}'")
        d = defaults[key]
        if isinstance(d, list):
            a[key] = [int(v) for v in value.split(",")]
        elif isinstance(d, str):
            a[key] = value
        else:
            a[key] = type(d)(float(value))
    return a


def init(nin, nout, l):
    """Layer l's weight (nout rows of nin) and bias, as lists."""
    s = 2 / math.sqrt(nin)
    w = [[((j * nin + k + 1 + 1000 * l) * A % 1.0 - 0.5) * s for k in range(nin)]
         for j in range(nout)]
    b = [((j + 1 + 500 + 1000 * l) * B % 1.0 - 0.5) * s for j in range(nout)]
    return w, b


def data(n, d):
    """The W5 data: n rows of d features and n labels 0 or 1."""
    X, y = [], []
    for i in range(n):
        r = [((i * d + k) * A % 1.0) * 2 - 1 for k in range(d)]
        t = r[0] - 0.5 * r[1] + r[2] * r[3]
        X.append(r)
        y.append(1.0 if t > 0 else 0.0)
    return X, y


def digits():
    """examples/data/digits.csv: pixels / 16 and digits."""
    X, y = [], []
    with open(DIGITS) as f:
        next(f)
        for line in f:
            v = [float(s) for s in line.split(",")]
            X.append([p / 16 for p in v[:-1]])
            y.append(int(v[-1]))
    return X, y
