"""WX with NumPy: reading every element of an array in a Python loop,
x[i] for i in 0 .. n-1, summed left to right (x.sum() would sum pairwise:
this row measures the reads a per-sample loop makes, as luagrad's x[i]).

    /usr/bin/python3 bench/py/wx_numpy.py [n=1000000]
"""
import common

a = common.args({"n": 1000000})
x, _ = common.data_numpy(a["n"])

t0 = common.clock()
s = 0.0
for i in range(len(x)):
    s += x[i]
t1 = common.clock()

common.seconds(t0, t1)
common.show("sum", float(s))
