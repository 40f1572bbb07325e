#!/bin/sh
# bench/run.sh: luagrad's benchmark suite, run by `make bench` after the
# build. The runner is bench/bench.py (see bench/README.md for what it
# measures and the environment variables BENCH_REPS, BENCH_QUICK,
# BENCH_ONLY, LUAGRAD). It needs only a Python 3 standard library: Debian's
# /usr/bin/python3 when present (the one that has NumPy and PyTorch, which
# the Python rows of the table need), else python3 on PATH.
cd "$(dirname "$0")/.." || exit 1
if [ -x /usr/bin/python3 ]; then
  py=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then
  py=python3
else
  echo "bench: needs python3 to run the suite (apt-get install python3)" >&2
  exit 1
fi
exec "$py" bench/bench.py "$@"
