"""bench.py: luagrad's benchmark suite (make bench -> sh bench/run.sh -> here).

Runs every workload (W1..W4, the tensor expressions WT5 and WT6, CSV and
matmul MM64..MM1024, see bench/README.md) with every implementation
in the same run, a few repetitions each, interleaved (repetition 1 of every
implementation, then repetition 2, ...) so that a slow spell of this shared
machine does not land on one implementation only. Prints the table and the
targets of the issue, and writes bench/out/bench.csv, bench.txt and, with
gnuplot, bench.png.

Environment:
  BENCH_REPS=n     repetitions (default 5; 1 with BENCH_QUICK)
  BENCH_QUICK=1    small sizes: a fast smoke run, numbers not comparable
  BENCH_ONLY=W2,W3 only these workloads (MM: the three matmul sizes; WT: WT5
                   and WT6)
  LUAGRAD=path     the luagrad binary to measure (default ./luagrad)
  BENCH_OUT=dir    where the results go (default bench/out)
  BENCH_PYTHON=p   the Python of the Python rows (default /usr/bin/python3)
  CC=cc            the compiler of the C references

  bench/run.sh --profile   instruction counts with callgrind instead

Only the standard library: this runs even where NumPy and PyTorch do not.
"""
import datetime
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import benchlib as lib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
# The C references get the flags the Makefile always gives luagrad.
C_FLAGS = ["-std=c99", "-O2", "-ffp-contract=off"]
# The limit rows: the fastest honest C on this machine (issue 14's flags).
C_LIMIT_FLAGS = ["-O3", "-march=native", "-ffast-math"]
# NumPy rows run without these: the environment may set them for old
# OpenBLAS builds, and they slow a current NumPy (see bench/README.md).
NO_OPENBLAS_PINS = {"OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None}
TIMEOUT = 900  # seconds for one run of one implementation


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- the configuration -------------------------------------------------------

class Config:
    def __init__(self):
        env = os.environ
        self.quick = env.get("BENCH_QUICK", "") not in ("", "0")
        self.reps = int(env.get("BENCH_REPS", "1" if self.quick else "5"))
        if self.reps < 1:
            sys.exit("bench: BENCH_REPS must be >= 1")
        only = env.get("BENCH_ONLY", "")
        self.only = {w.strip().upper() for w in only.split(",") if w.strip()}
        self.luagrad = os.path.abspath(env.get("LUAGRAD", os.path.join(ROOT, "luagrad")))
        self.out = os.path.abspath(env.get("BENCH_OUT", os.path.join(BENCH, "out")))
        self.build = os.path.join(ROOT, "build", "bench-ref")
        self.cc = env.get("CC", "cc")
        # Debian's Python, the one with python3-numpy and python3-torch.
        self.python = env.get("BENCH_PYTHON") or (
            "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else None)
        self.lua = shutil.which("lua5.4")
        # W1 runs are cheap: more of them.
        self.w1_runs = 3 if self.quick else max(10, 2 * self.reps)
        if self.quick:
            self.sizes = {"W2": {"n": 1000, "grid": 51}, "W3": {"n": 100000, "epochs": 10},
                          "W4": {"n": 20000}, "WX": {"n": 20000}, "WF": {"n": 20000},
                          "WT5": {"n": 10000, "epochs": 30},
                          "WT6": {"n": 100000, "epochs": 5}, "CSV": {"n": 100000},
                          "W5": {"n": 759, "epochs": 50}, "W5b": {"n": 569, "epochs": 50},
                          "W6": {"epochs": 2}, "W7": {"n": 5000},
                          "MM64": {"n": 64}, "MM256": {"n": 128}, "MM1024": {"n": 256}}
        else:
            self.sizes = {"W2": {"n": 10000, "grid": 201}, "W3": {"n": 1000000, "epochs": 100},
                          "W4": {"n": 1000000}, "WX": {"n": 1000000}, "WF": {"n": 1000000},
                          "WT5": {"n": 100000, "epochs": 300},
                          "WT6": {"n": 1000000, "epochs": 20}, "CSV": {"n": 1000000},
                          "W5": {"n": 759, "epochs": 1000}, "W5b": {"n": 569, "epochs": 1000},
                          "W6": {"epochs": 20}, "W7": {"n": 250000},
                          "MM64": {"n": 64}, "MM256": {"n": 256}, "MM1024": {"n": 1024}}

    def wants(self, workload):
        return (not self.only or workload.upper() in self.only or
                any(workload.startswith(g) and g in self.only for g in ("MM", "WT")))


# ---- what there is to run ---------------------------------------------------

class Skip(Exception):
    """An implementation that cannot run here (not a failure)."""


def python_has(cfg, module, cache={}):
    if not cfg.python:
        return False
    if module not in cache:
        r = subprocess.run([cfg.python, "-c", f"import {module}"], capture_output=True)
        cache[module] = r.returncode == 0
    return cache[module]


def luagrad_knows_threads(cfg):
    """LUAGRAD_THREADS is read by the binary when its name is in it."""
    try:
        with open(cfg.luagrad, "rb") as f:
            return b"LUAGRAD_THREADS" in f.read()
    except OSError:
        return False


def build_c(cfg, name, extra=(), exe_name=None):
    extra = list(extra)
    os.makedirs(cfg.build, exist_ok=True)
    srcs = [os.path.join(BENCH, "c", name + ".c")]
    if name != "w1":  # the others share the data of common.h
        srcs.append(os.path.join(BENCH, "c", "data.c"))
    exe = os.path.join(cfg.build, exe_name or name)
    cmd = [cfg.cc] + C_FLAGS + extra + ["-o", exe] + srcs + ["-lm"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return exe


def build_c_limit(cfg, name):
    """The limit row's program: the same source at -O3 -march=native
    -ffast-math (reassociated sums, vectorised, FMA where the CPU has it)."""
    return build_c(cfg, name, C_LIMIT_FLAGS, name + "_limit")


def native_luagrad(cfg, cache={}):
    """luagrad built with make NATIVE=1 in build/bench-native (once per
    run): the W2 and W3 limit targets compare both builds."""
    if "exe" not in cache:
        out = os.path.join("build", "bench-native")
        log("building " + out + "/luagrad (make NATIVE=1)")
        r = subprocess.run(["make", "--no-print-directory", "-j2", "BUILD=" + out, "NATIVE=1",
                            out + "/luagrad"], cwd=ROOT, capture_output=True, text=True)
        cache["exe"] = (os.path.join(ROOT, out, "luagrad") if r.returncode == 0 else
                        RuntimeError("make NATIVE=1 failed: " + (r.stderr or r.stdout)[-300:]))
    if isinstance(cache["exe"], RuntimeError):
        raise cache["exe"]
    return cache["exe"]


# The objects of luagrad's core that the matmul driver links (make builds
# them with luagrad's own flags, the portable build unless NATIVE=1).
MM_CORE = ["matmul", "par", "clock", "mem", "err"]


def build_mm(cfg, name):
    """bench/c/NAME.c of the matmul workload: mm (the plain loop),
    mm_luagrad (linked with build/src/core/*.o) or mm_openblas
    (-lopenblas)."""
    os.makedirs(cfg.build, exist_ok=True)
    exe = os.path.join(cfg.build, name)
    cmd = [cfg.cc] + C_FLAGS + ["-o", exe, os.path.join(BENCH, "c", name + ".c")]
    if name == "mm_luagrad":
        objs = [os.path.join(ROOT, "build", "src", "core", o + ".o") for o in MM_CORE]
        missing = [o for o in objs if not os.path.exists(o)]
        if missing:
            raise RuntimeError(f"{missing[0]} not found: run make first")
        cmd[1:1] = ["-I" + os.path.join(ROOT, "src")]
        cmd += objs + ["-lpthread"]
    if name == "mm_openblas":
        cmd += ["-lopenblas"]
    r = subprocess.run(cmd + ["-lm"], capture_output=True, text=True)
    if r.returncode != 0:
        if name == "mm_openblas" and ("cblas.h" in r.stderr or "lopenblas" in r.stderr):
            raise Skip("OpenBLAS is not installed (apt-get install libopenblas-dev)")
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return exe


def mm_rows(cfg, workload, add):
    """The matmul rows: luagrad's kernel on 1 thread (the base) and on 2,
    the plain loop (the reference) and OpenBLAS's dgemm on 1 thread."""
    size = sized(cfg, workload)
    one = {"LUAGRAD_THREADS": "1"}
    add("luagrad 1 thread", lambda: [build_mm(cfg, "mm_luagrad")] + size, base=True, env=one,
        note="matmul() of src/core/matmul.c")
    if cfg.sizes[workload]["n"] >= 256:
        add("luagrad 2 threads", lambda: [build_mm(cfg, "mm_luagrad")] + size,
            env={"LUAGRAD_THREADS": "2"}, note="matmul() of src/core/matmul.c")
    add("c", lambda: [build_mm(cfg, "mm")] + size, reference=True,
        note="triple loop i,p,j; " + " ".join(["cc"] + C_FLAGS))
    # OPENBLAS_CORETYPE is left as the environment has it: the row says
    # which core's kernels ran.
    add("openblas 1 thread", lambda: [build_mm(cfg, "mm_openblas")] + size,
        env={"OPENBLAS_NUM_THREADS": "1"}, note="cblas_dgemm, Debian's libopenblas")


def wt_rows(cfg, workload, add, tmp):
    """The tensor-expression rows (WT5, WT6): the loop of the tensor issue
    in luagrad, in NumPy, in C one loop per operation (the reference) and
    fused (the limit), in plain Lua."""
    size = sized(cfg, workload)
    add("luagrad", lambda: [cfg.luagrad, "--out", os.path.join(tmp, "luagrad-" + workload.lower()),
                            os.path.join(BENCH, "luagrad", "wt.lua")] + size, base=True,
        note="tensor expressions, unchanged")
    add("c", lambda: [build_c(cfg, "wt")] + size, reference=True,
        note="one loop per operation, temporaries allocated once; " + " ".join(["cc"] + C_FLAGS))
    add("c, malloc per operation", lambda: [build_c(cfg, "wt")] + size + ["alloc=1"],
        note="the same, each temporary malloc'd and freed")
    add("c fused (limit)",
        lambda: [build_c(cfg, "wt_fused", C_LIMIT_FLAGS)] + size,
        note="one loop per epoch; " + " ".join(["cc"] + C_FLAGS + C_LIMIT_FLAGS))
    add("lua5.4", lambda: [need_lua_exe(cfg), os.path.join(BENCH, "lua", "wt.lua")] + size,
        note="one loop per epoch, tables; os.clock (CPU time)")
    add("numpy", lambda: need_py_exe(cfg, "numpy") + [os.path.join(BENCH, "py", "wt_numpy.py")]
        + size, env=NO_OPENBLAS_PINS, note="the same expressions")


def call_rows(cfg, workload, add, tmp):
    """WX (x[i] reads in a Lua loop) and WF (m:forward(number) in a Lua
    loop): the single calls a per-sample loop written in Lua makes, against
    a Lua table and a Lua object in plain Lua 5.4, checked against C."""
    size = sized(cfg, workload)
    w = workload.lower()
    out = os.path.join(tmp, "luagrad-" + w)
    add("luagrad", lambda: [cfg.luagrad, "--out", out, os.path.join(BENCH, "luagrad", w + ".lua")]
        + size, base=True, note={"WX": "x[i] of a tensor", "WF": "m:forward(x_i), model.affine"}[workload])
    add("c", lambda: [build_c(cfg, w)] + size, reference=True,
        note="the same loop; " + " ".join(["cc"] + C_FLAGS))
    add("lua5.4", lambda: [need_lua_exe(cfg), os.path.join(BENCH, "lua", w + ".lua")] + size,
        note={"WX": "x[i] of a table; os.clock",
              "WF": "m:forward(x_i) of a Lua object (setmetatable); os.clock"}[workload])
    if workload == "WX":
        add("numpy", lambda: need_py_exe(cfg, "numpy") + [os.path.join(BENCH, "py", "wx_numpy.py")]
            + size, env=NO_OPENBLAS_PINS, note="x[i] of an ndarray in a Python loop")


# The network workloads (issue 14): shape argument of bench/*/mlp.*.
NET_SHAPES = {"W5": "8,6,4,1", "W5b": "30,16,8,1"}


def net_rows(cfg, workload, add, tmp):
    """W5, W5b, W6, W7: luagrad written with nn / autograd as a learner
    writes it, a plain C program with the same arithmetic (the reference),
    PyTorch float64 on one thread and, for W7, micrograd's Value."""
    size = sized(cfg, workload)
    if workload in NET_SHAPES:
        size = size + ["shape=" + NET_SHAPES[workload]]
        lg, c, t, note = "mlp.lua", "mlp", "mlp_torch.py", "nn.Sequential, BCELoss, optim.sgd"
    elif workload == "W6":
        lg, c, t, note = "digits.lua", "digits", "digits_torch.py", \
            "data.loader, CrossEntropyLoss, optim.sgd"
    else:
        lg, c, t, note = "scalar.lua", "scalar", "scalar_torch.py", \
            "one-element tensors, l:backward() per sample"
    out = os.path.join(tmp, "luagrad-" + workload.lower())
    add("luagrad", lambda: [cfg.luagrad, "--out", out, os.path.join(BENCH, "luagrad", lg)] + size,
        base=True, note=note)
    add("c", lambda: [build_c(cfg, c) if c == "scalar" else build_nets_c(cfg, c)] + size,
        reference=True, note="the same arithmetic, loops; " + " ".join(["cc"] + C_FLAGS))
    add("torch 1 thread", lambda: need_py_exe(cfg, "torch") + [
        os.path.join(BENCH, "py", t)] + size, note="float64, eager")
    if workload == "W7":
        add("micrograd (python)", lambda: need_py_exe(cfg, "math") + [
            os.path.join(BENCH, "py", "scalar_micrograd.py")] + size,
            note="bench/py/micrograd.py's Value")


def build_nets_c(cfg, name):
    """mlp.c and digits.c: header-only (nets.h), no data.c."""
    os.makedirs(cfg.build, exist_ok=True)
    exe = os.path.join(cfg.build, name)
    cmd = [cfg.cc] + C_FLAGS + ["-o", exe, os.path.join(BENCH, "c", name + ".c"), "-lm"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return exe


def need_lua_exe(cfg):
    if not cfg.lua:
        raise Skip("lua5.4 is not installed")
    return cfg.lua


def need_py_exe(cfg, module):
    if not cfg.python:
        raise Skip("no Python (/usr/bin/python3 or BENCH_PYTHON)")
    if not python_has(cfg, module):
        raise Skip(f"{module} not importable")
    return [cfg.python]


def sized(cfg, workload):
    return [f"{k}={v}" for k, v in cfg.sizes[workload].items()]


def csv_file(cfg, tmp):
    """The CSV workload's file: a header x,y and n rows of the seed's data,
    each number in the shortest text that reads back exactly (Python's
    repr, what luagrad's csv.writer writes too). Written once per run."""
    path = os.path.join(tmp, "data.csv")
    if not os.path.exists(path):
        n = cfg.sizes["CSV"]["n"]
        with open(path, "w") as f:
            f.write("x,y\n")
            for i in range(n):
                x = math.fmod(i * 0.6180339887498949, 1.0)
                y = 2 * x + 1 + (math.fmod(i * 0.7548776662466927, 1.0) - 0.5) * 0.2
                f.write(f"{x!r},{y!r}\n")
    return path


def implementations(cfg, workload, tmp):
    """The rows of one workload: lib.Impl objects, luagrad's first. An
    implementation that cannot run here gets skip set (a note, not a
    failure)."""
    rows = []
    threads = luagrad_knows_threads(cfg)

    def add(name, argv_fn, **kw):
        impl = lib.Impl(workload, name, **kw)
        try:
            impl.argv = argv_fn()
        except Skip as s:
            impl.skip = str(s)
        except RuntimeError as err:
            impl.error = str(err)
        rows.append(impl)
        return impl

    def need_py(module):
        if not cfg.python:
            raise Skip("no Python (/usr/bin/python3 or BENCH_PYTHON)")
        if module and not python_has(cfg, module):
            raise Skip(f"{module} not importable")
        return [cfg.python]

    def need_lua():
        if not cfg.lua:
            raise Skip("lua5.4 is not installed")
        return [cfg.lua]

    def need_threads():
        if not threads:
            raise Skip("this luagrad build does not read LUAGRAD_THREADS")

    py = lambda f: os.path.join(BENCH, "py", f)
    lua = lambda f: os.path.join(BENCH, "lua", f)
    lgs = lambda f: os.path.join(BENCH, "luagrad", f)
    # No -q: it would silence the key=value lines the scripts print.
    lg = [cfg.luagrad]

    if workload == "W1":
        def out(name):
            d = os.path.join(tmp, "w1-" + name)
            os.makedirs(d, exist_ok=True)
            return d

        example = os.path.join(ROOT, "examples", "w_scan.lua")
        d = out("luagrad")

        def w_scan():
            if not os.path.exists(example):
                raise RuntimeError("examples/w_scan.lua not found")
            return lg + ["--plot=none", "--out", d, example]

        add("luagrad", w_scan, base=True, note="examples/w_scan.lua", csv_dir=d)
        d0 = out("luagrad-empty")
        add("luagrad (empty script)", lambda: lg + ["--plot=none", "--out", d0,
                                                    lgs("empty.lua")],
            note="start-up alone: no scan, no CSV", check=False)
        add("c", lambda: [build_c(cfg, "w1"), os.path.join(out("c"), "w_scan.csv")],
            reference=True, csv_dir=out("c"))
        add("lua5.4", lambda: need_lua() + [lua("w1.lua"), os.path.join(out("lua"), "w_scan.csv")],
            csv_dir=out("lua"))
        add("python", lambda: need_py(None) + [py("w1.py"),
                                               os.path.join(out("py"), "w_scan.csv")],
            csv_dir=out("py"))
        add("python + import numpy", lambda: need_py("numpy") + [
            py("w1.py"), os.path.join(out("np"), "w_scan.csv"), "import=numpy"],
            csv_dir=out("np"))
        add("python + import torch", lambda: need_py("torch") + [
            py("w1.py"), os.path.join(out("torch"), "w_scan.csv"), "import=torch"],
            csv_dir=out("torch"))
        return rows

    if workload.startswith("MM"):
        mm_rows(cfg, workload, add)
        return rows

    if workload.startswith("WT"):
        wt_rows(cfg, workload, add, tmp)
        return rows

    if workload in ("W5", "W5b", "W6", "W7"):
        net_rows(cfg, workload, add, tmp)
        return rows

    if workload in ("WX", "WF"):
        call_rows(cfg, workload, add, tmp)
        return rows

    if workload == "CSV":
        path = csv_file(cfg, tmp)
        arg = ["file=" + path]
        d = os.path.join(tmp, "luagrad-csv")
        add("luagrad", lambda: lg + ["--out", d, lgs("csv_read.lua")] + arg, base=True,
            note="csv.read")
        add("c", lambda: [build_c(cfg, "csv_read")] + arg, reference=True,
            note="fgets + strtod")
        add("lua5.4", lambda: need_lua() + [lua("csv_read.lua")] + arg,
            note="io.lines + match + tonumber; os.clock")
        add("numpy", lambda: need_py("numpy") + [py("csv_read_numpy.py")] + arg,
            note="np.loadtxt")
        return rows

    size = sized(cfg, workload)
    w = workload.lower()
    outdir = os.path.join(tmp, "luagrad-" + w)
    lgrun = lambda script, extra=(): lg + ["--out", outdir, lgs(script)] + size + list(extra)

    def lgrun_threads(script, extra=()):
        need_threads()
        return lgrun(script, extra)

    if workload == "W2":
        add("luagrad", lambda: lgrun("w2.lua"), base=True, note="scan.mse, method=auto")
        add("luagrad direct, 1 thread", lambda: lgrun_threads("w2.lua", ["method=direct"]),
            env={"LUAGRAD_THREADS": "1"}, note="scan.mse, method=direct")
        add("luagrad direct, 2 threads", lambda: lgrun_threads("w2.lua", ["method=direct"]),
            env={"LUAGRAD_THREADS": "2"}, note="scan.mse, method=direct")
        if not threads:  # one direct row still: the 1.3x target needs it
            add("luagrad direct", lambda: lgrun("w2.lua", ["method=direct"]),
                note="scan.mse, method=direct (default threads)")
        add("luagrad closed", lambda: lgrun("w2.lua", ["method=closed"]),
            note="scan.mse, method=closed")
        add("luagrad native direct, 1 thread",
            lambda: [native_luagrad(cfg)] + lgrun_threads("w2.lua", ["method=direct"])[1:],
            env={"LUAGRAD_THREADS": "1"}, note="make NATIVE=1; scan.mse, method=direct")
    elif workload == "W3":
        add("luagrad", lambda: lgrun("w3.lua"), base=True, note="fit, batch=full")
        add("luagrad 1 thread", lambda: lgrun_threads("w3.lua"),
            env={"LUAGRAD_THREADS": "1"}, note="fit, batch=full")
        add("luagrad 2 threads", lambda: lgrun_threads("w3.lua"),
            env={"LUAGRAD_THREADS": "2"}, note="fit, batch=full")
        add("luagrad native, 1 thread", lambda: [native_luagrad(cfg)] + lgrun_threads("w3.lua")[1:],
            env={"LUAGRAD_THREADS": "1"}, note="make NATIVE=1; fit, batch=full")
        add("luagrad, Lua loop", lambda: lgrun("w3_lua.lua"),
            note="loss.mse + grad.mse + opt:step() per epoch, in Lua")
    else:
        add("luagrad", lambda: lgrun("w4.lua"), base=True, note="fit, batch=1")
        add("luagrad, Lua loop", lambda: lgrun("w4_lua.lua"),
            note="grad.se(m, x[i], y[i]) + opt:step() per sample, in Lua")

    add("c", lambda: [build_c(cfg, w)] + size, reference=True,
        note=" ".join(["cc"] + C_FLAGS))
    if workload in ("W2", "W3"):
        add("c limit", lambda: [build_c_limit(cfg, w)] + size,
            note=" ".join(["cc"] + C_FLAGS + C_LIMIT_FLAGS))
    if workload == "W3":
        add("c read floor", lambda: [build_c(cfg, "w3_floor")] + size, check=False,
            note="only reads x and y each epoch: the data's streaming cost")
    add("lua5.4", lambda: need_lua() + [lua(w + ".lua")] + size,
        note="os.clock (CPU time)")
    np_note = {"W2": "one (b, sample) block per w", "W3": "r @ x",
               "W4": "Python loop over floats"}[workload]
    add("numpy", lambda: need_py("numpy") + [py(w + "_numpy.py")] + size, note=np_note)
    if workload == "W2":
        add("numpy tuned", lambda: need_py("numpy") + [py("w2_numpy_tuned.py")] + size,
            note="einsum into one buffer")
    t_note = {"W2": "as numpy", "W3": "r @ x", "W4": "Python loop of tensor ops"}[workload]
    add("torch 1 thread", lambda: need_py("torch") + [py(w + "_torch.py"), "threads=1"] + size,
        note=t_note)
    if workload != "W4":
        add("torch 2 threads",
            lambda: need_py("torch") + [py(w + "_torch.py"), "threads=2"] + size, note=t_note)
    return rows


# ---- running ----------------------------------------------------------------

def build_tool(cfg, name, flags=()):
    """bench/tools/NAME.c, the runner's own helpers."""
    os.makedirs(cfg.build, exist_ok=True)
    exe = os.path.join(cfg.build, name)
    src = os.path.join(BENCH, "tools", name + ".c")
    r = subprocess.run([cfg.cc, "-std=c99", "-O2", *flags, "-o", exe, src], capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.exit(f"bench: cannot build {src}: {r.stderr.strip()}")
    return exe


def cpucheck(cfg):
    """The machine's state now: add latency and 2-thread speed-up."""
    r = subprocess.run([cfg.cpucheck], capture_output=True, text=True)
    return lib.parse_result(r.stdout).values if r.returncode == 0 else {}


def run_once(cfg, impl, cwd):
    """Runs impl once. Returns (wall seconds, lib.Result, peak RSS in KB);
    raises RuntimeError with the program's own message when it fails."""
    env = dict(os.environ)
    env.update(impl.env)
    for k in [k for k, v in env.items() if v is None]:  # None: unset
        del env[k]
    with tempfile.TemporaryDirectory() as d:
        paths = [os.path.join(d, f) for f in ("out", "err", "rss")]
        with open(paths[0], "w") as fout, open(paths[1], "w") as ferr:
            t0 = time.perf_counter()
            # peakrss (bench/tools/peakrss.c) measures the peak memory; its
            # own session, so that a timeout ends the whole group.
            p = subprocess.Popen([cfg.peakrss, paths[2]] + impl.argv, cwd=cwd, env=env,
                                 stdin=subprocess.DEVNULL, stdout=fout, stderr=ferr,
                                 start_new_session=True)
            # A blocking wait, the timeout by a timer thread: Popen.wait with
            # a timeout polls with sleeps of 0.5, 1, 2, 4 ms..., which rounded
            # a 3.5 ms process up to 7.5 ms.
            killed = []

            def kill():
                killed.append(True)
                os.killpg(p.pid, signal.SIGKILL)

            timer = threading.Timer(TIMEOUT, kill)
            timer.start()
            try:
                p.wait()
            finally:
                timer.cancel()
            wall = time.perf_counter() - t0
            if killed:
                raise RuntimeError(f"no result after {TIMEOUT} s (killed)")
        with open(paths[0], errors="replace") as f:
            out = f.read()
        with open(paths[1], errors="replace") as f:
            err_text = f.read()
        try:
            with open(paths[2]) as f:
                rss_kb = int(f.read())
        except (OSError, ValueError):
            rss_kb = None
    if p.returncode != 0:
        msg = (err_text.strip() or out.strip()).splitlines()
        code = p.returncode
        why = f"killed by signal {code - 128}" if code > 128 else f"exit status {code}"
        raise RuntimeError(why + (": " + msg[0] if msg else ""))
    return wall, lib.parse_result(out), rss_kb


def hyperfine(impls, runs, tmp):
    """Whole-process times of impls with hyperfine: {impl: [seconds]}."""
    cmds = [" ".join(shlex.quote(a) for a in i.argv) for i in impls]
    jpath = os.path.join(tmp, "hyperfine.json")
    argv = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--style", "none",
            "--export-json", jpath] + cmds
    r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("hyperfine failed: " + r.stderr.strip())
    with open(jpath) as f:
        data = json.load(f)["results"]
    return {impl: res["times"] for impl, res in zip(impls, data)}


def run_w1(cfg, rows, tmp):
    """W1: one checked run of each (exit status, CSV, peak memory), then the
    whole-process timing."""
    ready = []
    for impl in rows:
        if not impl.runnable():
            continue
        try:
            wall, _, rss = run_once(cfg, impl, ROOT)
        except RuntimeError as err:
            impl.error = str(err)
            continue
        impl.rss_kb = rss
        ready.append(impl)
    log(f"W1: {len(ready)} programs, {cfg.w1_runs} runs each")
    times = None
    if shutil.which("hyperfine"):
        try:
            times = hyperfine(ready, cfg.w1_runs, tmp)
        except (RuntimeError, OSError, ValueError, KeyError) as err:
            log(f"W1: {err}; timing the processes here instead")
    if times:
        for impl in ready:
            impl.times = times[impl]
            impl.timer = "hyperfine"
    else:
        for _ in range(cfg.w1_runs):
            for impl in ready:
                if impl.error:
                    continue
                try:
                    wall, _, _ = run_once(cfg, impl, ROOT)
                except RuntimeError as err:
                    impl.error = str(err)
                    continue
                impl.times.append(wall)
                impl.timer = "runner"  # includes starting peakrss, ~1 ms
    ref = next((i for i in rows if i.reference and i.times), None)
    for impl in rows:
        if impl.times and impl.check and impl.csv_dir:
            impl.verdict = lib.compare_csv_dirs(ref.csv_dir if ref else None, impl.csv_dir)
        elif impl.times and not impl.check:
            impl.verdict = "-"


def run_compute(cfg, rows):
    """W2..W4: each program times its own computation (seconds=...)."""
    live = [i for i in rows if i.runnable()]
    for rep in range(cfg.reps):
        for impl in live:
            if impl.error:
                continue
            t = time.perf_counter()
            try:
                wall, result, rss = run_once(cfg, impl, ROOT)
                if "seconds" not in result.values:
                    raise RuntimeError("printed no seconds= line")
            except RuntimeError as err:
                impl.error = str(err)
                log(f"{impl.workload} {impl.name}: FAILED: {err}")
                continue
            impl.times.append(result.values["seconds"])
            impl.results.append(result)
            impl.rss_kb = max(impl.rss_kb or 0, rss or 0)
            log(f"{impl.workload} rep {rep + 1}/{cfg.reps} {impl.name:28s} "
                f"{result.values['seconds']:10.4f} s  (process {time.perf_counter() - t:.2f} s)")
    ref = next((i for i in rows if i.reference and i.results), None)
    for impl in rows:
        if impl.results and impl.check:
            impl.verdict = lib.compare_results(
                ref.results[0] if ref else None, impl.results,
                lib.WORKLOAD_REL_TOL.get(impl.workload, lib.REL_TOL))
        elif impl.results:
            impl.verdict = "-"


# ---- reporting ----------------------------------------------------------------

def machine_info(cfg):
    def first_line(argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            return (r.stdout.strip() or r.stderr.strip()).splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    info = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "kernel": platform.release(),
        "cc": first_line([cfg.cc, "--version"]),
        "luagrad": first_line([cfg.luagrad, "--version"]),
        "commit": first_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
    }
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "lua"],
                           capture_output=True, text=True).stdout.strip()
    if dirty:
        info["commit"] += " + uncommitted changes in src/ or lua/"
    if cfg.lua:
        info["lua"] = first_line([cfg.lua, "-v"])
    if cfg.python:
        info["python"] = first_line([cfg.python, "-c", "import sys; print(sys.version.split()[0])"])
        for m in ("numpy", "torch"):
            if python_has(cfg, m):
                info[m] = first_line([cfg.python, "-c", f"import {m}; print({m}.__version__)"])
        if python_has(cfg, "torch"):
            info["torch default threads"] = first_line(
                [cfg.python, "-c", "import torch; print(torch.get_num_threads())"])
    return info


def main(argv):
    cfg = Config()
    if not os.access(cfg.luagrad, os.X_OK):
        sys.exit(f"bench: {cfg.luagrad} not found: run make first (or set LUAGRAD=path)")
    if argv == ["--profile"]:
        return profile(cfg)
    if argv:
        sys.exit("usage: bench/run.sh [--profile]   (see bench/README.md)")
    os.makedirs(cfg.out, exist_ok=True)
    cfg.peakrss = build_tool(cfg, "peakrss")
    cfg.cpucheck = build_tool(cfg, "cpucheck", ["-pthread"])
    extras = {"machine_before": cpucheck(cfg)}
    command = " ".join(f"{k}={os.environ[k]}" for k in
                       ("BENCH_QUICK", "BENCH_REPS", "BENCH_ONLY", "LUAGRAD")
                       if k in os.environ)
    command = (command + " make bench").strip()
    all_rows = []
    with tempfile.TemporaryDirectory(prefix="luagrad-bench-") as tmp:
        for workload in ("W1", "W2", "W3", "W4", "WX", "WF", "W5", "W5b", "W6", "W7", "WT5",
                         "WT6", "CSV",
                         "MM64", "MM256", "MM1024"):
            if not cfg.wants(workload):
                continue
            rows = implementations(cfg, workload, tmp)
            lib.set_units(rows, workload, cfg.sizes)
            if workload == "W1":
                run_w1(cfg, rows, tmp)
            else:
                run_compute(cfg, rows)
            all_rows.extend(rows)
        if cfg.wants("W2"):
            extras["agree"] = w2_agreement(cfg, tmp)
    extras["machine_after"] = cpucheck(cfg)
    info = machine_info(cfg)
    report = lib.render(all_rows, cfg, info, command, extras)
    print(report)
    with open(os.path.join(cfg.out, "bench.txt"), "w") as f:
        f.write(report + "\n")
    lib.write_csv(all_rows, os.path.join(cfg.out, "bench.csv"))
    note = lib.chart(all_rows, cfg.out, cfg.quick)
    if note:
        print(note)
    bad = [r for r in all_rows if r.error or (r.verdict or "").startswith("DIFF")]
    return 1 if bad else 0


# ---- instruction counts (bench/run.sh --profile) --------------------------------

PROFILE_SIZES = {"W2": {"n": 10000, "grid": 51}, "W3": {"n": 1000000, "epochs": 10},
                 "W4": {"n": 1000000}}


def profile(cfg):
    """Instructions per unit of work of the C references and of luagrad,
    counted by callgrind: repeatable on a busy machine, where times are not.
    C: main's own instructions (the data comes from data.c, outside main);
    luagrad: everything under scan_mse or fit_run (--toggle-collect)."""
    for tool in ("valgrind", "callgrind_annotate"):
        if not shutil.which(tool):
            sys.exit(f"bench: --profile needs {tool} (apt-get install valgrind)")
    os.makedirs(cfg.out, exist_ok=True)
    if "LUAGRAD" not in os.environ:
        # The same code as ./luagrad (-g changes no instruction), with the
        # line numbers the annotation needs, in its own build folder.
        log("profile: building build/bench-prof/luagrad (-O2 -g)")
        r = subprocess.run(["make", "--no-print-directory", "BUILD=build/bench-prof",
                            "CFLAGS=-O2 -g", "build/bench-prof/luagrad"], cwd=ROOT,
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("bench: cannot build build/bench-prof/luagrad:\n" + r.stdout + r.stderr)
        cfg.luagrad = os.path.join(ROOT, "build", "bench-prof", "luagrad")
    lg = [cfg.luagrad, "--out", os.path.join(cfg.out, "profile-luagrad")]
    script = lambda w: os.path.join(BENCH, "luagrad", w + ".lua")
    cases = []
    w1_out = os.path.join(cfg.out, "profile-w1")
    os.makedirs(w1_out, exist_ok=True)
    cases.append(("W1", "c", [build_c(cfg, "w1", ["-g"]), os.path.join(w1_out, "c.csv")], "*"))
    if cfg.lua:
        cases.append(("W1", "lua5.4", [cfg.lua, os.path.join(BENCH, "lua", "w1.lua"),
                                       os.path.join(w1_out, "lua.csv")], "*"))
    cases.append(("W1", "luagrad (empty)", [cfg.luagrad, "--plot=none", "--out", w1_out,
                                             os.path.join(BENCH, "luagrad", "empty.lua")], "*"))
    cases.append(("W1", "luagrad", [cfg.luagrad, "--plot=none", "--out", w1_out,
                                     os.path.join(ROOT, "examples", "w_scan.lua")], "*"))
    for w in ("W2", "W3", "W4"):
        size = [f"{k}={v}" for k, v in PROFILE_SIZES[w].items()]
        exe = build_c(cfg, w.lower(), ["-g"])
        cases.append((w, "c", [exe] + size, None))
        fn = "scan_mse" if w == "W2" else "fit_run"
        if w == "W2":
            cases.append((w, "luagrad direct", lg + [script("w2")] + size + ["method=direct"], fn))
            cases.append((w, "luagrad closed", lg + [script("w2")] + size + ["method=closed"], fn))
        else:
            cases.append((w, "luagrad", lg + [script(w.lower())] + size, fn))
            # the whole fit() call: also its checks of the data
            cases.append((w, "luagrad fit()", lg + [script(w.lower())] + size, "l_fit"))
    lines = ["luagrad benchmark, instruction counts (valgrind --tool=callgrind), "
             + datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
             "sizes: " + "; ".join(f"{w} {lib.size_text(s)}" for w, s in PROFILE_SIZES.items()),
             "luagrad: " + cfg.luagrad + ", with LUAGRAD_THREADS=1 (callgrind runs "
             "threads one at a time)", ""]
    hot = []
    for w, name, argv, fn in cases:
        units = lib.Impl(w, name)
        lib.set_units([units], w, PROFILE_SIZES)
        slug = re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-")
        cg = os.path.join(cfg.out, f"callgrind.{w}.{slug}")
        vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg]
        if fn and fn != "*":  # "*": the whole process
            vg.append("--toggle-collect=" + fn)
        log(f"profile: {w} {name}")
        env = dict(os.environ, LUAGRAD_THREADS="1")
        r = subprocess.run(vg + argv, cwd=ROOT, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            lines.append(f"{w}  {name}: FAILED: {r.stderr.strip().splitlines()[-1:]}")
            continue
        ann = subprocess.run(["callgrind_annotate", "--auto=yes", "--threshold=100", cg],
                             capture_output=True, text=True).stdout
        count = lib.callgrind_count(ann, None if fn else "main")
        where = {None: "main", "*": "the whole process"}.get(fn, fn)
        per = count / units.units
        per_text = f"{per:,.0f}" if per >= 1000 else f"{per:.2f}"
        lines.append(f"{w}  {name:16s} {per_text:>10} instructions per {units.unit}"
                     f"  ({count:,} in {where})")
        if fn == "*":
            if name.startswith("luagrad"):
                inc = subprocess.run(["callgrind_annotate", "--inclusive=yes", cg],
                                     capture_output=True, text=True).stdout
                hot.append((w, name, lib.callgrind_functions(inc, 0.05, count, "/src/")))
            continue
        if fn == "l_fit":
            inc = subprocess.run(["callgrind_annotate", "--inclusive=yes", cg],
                                 capture_output=True, text=True).stdout
            hot.append((w, name, lib.callgrind_functions(inc, 0.05, count, "/src/")))
            continue
        only = None if fn else f"bench/c/{w.lower()}.c"
        hot.append((w, name, lib.callgrind_hot_lines(ann, 0.03, count, only)))
    lines += startup_check(cfg)
    lines += ["", "where the instructions go: hot source lines (>= 3% of the counted"
              " instructions); for whole processes and fit(), luagrad's functions"
              " (>= 5%, inclusive of what they call)"]
    for w, name, hl in hot:
        lines.append(f"  {w} {name}:")
        lines += [f"    {pct:5.1f}%  {text}" for pct, text in hl]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(cfg.out, "profile.txt"), "w") as f:
        f.write(text + "\n")
    return 0


# Issue 14's start-up targets (W1): a whole luagrad process executes at most
# this many times the instructions of `lua5.4 -e ''`.
STARTUP_TARGETS = [("empty script", [os.path.join(BENCH, "luagrad", "empty.lua")], 1.5),
                   ("w_scan -q --plot=none", ["-q", os.path.join(ROOT, "examples", "w_scan.lua")],
                    2.5)]


def startup_check(cfg):
    """Whole-process instruction counts of luagrad against `lua5.4 -e ''`,
    each with its target ratio and whether it is met."""
    def count(argv):
        cg = os.path.join(cfg.out, "callgrind.startup")
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg] + argv,
                           cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, LUAGRAD_THREADS="1"))
        if r.returncode != 0:
            return None
        ann = subprocess.run(["callgrind_annotate", cg], capture_output=True, text=True).stdout
        return lib.callgrind_count(ann)
    lines = ["", "start-up (W1, whole processes, instructions against lua5.4 -e '')"]
    if not cfg.lua:
        return lines + ["  lua5.4 not found: no baseline (apt-get install lua5.4)"]
    base = count([cfg.lua, "-e", ""])
    if not base:
        return lines + ["  lua5.4 -e '' failed under callgrind"]
    lua_e = "lua5.4 -e ''"
    lines.append(f"  {lua_e:30s} {base:>11,}")
    out = os.path.join(cfg.out, "profile-startup")
    for name, args, target in STARTUP_TARGETS:
        n = count([cfg.luagrad, "--plot=none", "--out", out] + args)
        if n is None:
            lines.append(f"  luagrad {name}: FAILED")
            continue
        ratio = n / base
        verdict = "meets" if ratio <= target else "misses"
        lines.append(f"  {'luagrad ' + name:30s} {n:>11,}  {ratio:4.2f}x  "
                     f"(target {target}x: {verdict})")
    return lines


def w2_agreement(cfg, tmp):
    """Closed form against direct over the whole W2 grid (run once)."""
    argv = [cfg.luagrad, "--out", os.path.join(tmp, "agree"),
            os.path.join(BENCH, "luagrad", "w2_agree.lua")] + sized(cfg, "W2")
    impl = lib.Impl("W2", "agree")
    impl.argv = argv
    try:
        _, result, _ = run_once(cfg, impl, ROOT)
        return result.values | result.words
    except RuntimeError as err:
        return {"error": str(err)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
