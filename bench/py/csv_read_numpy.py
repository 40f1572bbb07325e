"""csv_read_numpy.py: the CSV workload with NumPy's loadtxt, the reader a
NumPy user reaches for (pandas is not part of this comparison).

    python3 bench/py/csv_read_numpy.py file=PATH
"""
import sys
import time

import numpy as np

path = next((a[5:] for a in sys.argv[1:] if a.startswith("file=")), None)
if not path:
    sys.exit("usage: csv_read_numpy.py file=PATH")
t0 = time.perf_counter()
data = np.loadtxt(path, delimiter=",", skiprows=1)
t1 = time.perf_counter()
print(f"seconds={t1 - t0:.9f}")
print(f"rows={data.shape[0]}")
print(f"sum_x={data[:, 0].sum()!r}")
print(f"sum_y={data[:, 1].sum()!r}")
