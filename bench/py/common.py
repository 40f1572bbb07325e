"""What the Python versions of the benchmark share.

The data ("the seed") is the same as in every other implementation:
    x_i = fmod(i * 0.6180339887498949, 1.0)
    y_i = 2 * x_i + 1 + (fmod(i * 0.7548776662466927, 1.0) - 0.5) * 0.2
each step one IEEE double operation, so NumPy, PyTorch, C and Lua agree
bit for bit. Arguments are key=value words; results are printed as key=value
lines, the computation's wall time as seconds=.
"""
import sys
import time

G1 = 0.6180339887498949
G2 = 0.7548776662466927

clock = time.perf_counter


def args(defaults):
    a = dict(defaults)
    for word in sys.argv[1:]:
        key, eq, value = word.partition("=")
        if not eq or key not in a:
            sys.exit(f"{sys.argv[0]}: unknown argument '{word}'")
        try:
            a[key] = type(defaults[key])(float(value))
        except ValueError:
            sys.exit(f"{sys.argv[0]}: argument '{word}' is not a number")
    return a


def data_numpy(n):
    import numpy as np
    i = np.arange(n, dtype=np.float64)
    x = np.fmod(i * G1, 1.0)
    y = 2 * x + 1 + (np.fmod(i * G2, 1.0) - 0.5) * 0.2
    return x, y


def data_torch(n):
    import torch
    i = torch.arange(n, dtype=torch.float64)
    x = torch.fmod(i * G1, 1.0)
    y = 2 * x + 1 + (torch.fmod(i * G2, 1.0) - 0.5) * 0.2
    return x, y


def linspace_numpy(n):
    """linspace(0, 4, n) by numpy's rule (a + i*step, the last exactly 4)."""
    import numpy as np
    return np.linspace(0.0, 4.0, n)


def linspace_torch(n):
    # torch.linspace fills from both ends, which differs from numpy (and
    # luagrad) in the last bit: build the same grid by numpy's rule.
    import torch
    step = 4.0 / (n - 1)
    g = torch.arange(n, dtype=torch.float64) * step
    g[-1] = 4.0
    return g


def torch_threads(threads):
    """threads=0 keeps PyTorch's default; prints the count used."""
    import torch
    default = torch.get_num_threads()
    if threads > 0:
        torch.set_num_threads(threads)
    print(f"threads={torch.get_num_threads()}")
    print(f"default_threads={default}")


def show(key, value):
    print(f"{key}={float(value)!r}")


def seconds(t0, t1):
    print(f"seconds={t1 - t0:.9f}")
