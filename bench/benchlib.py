"""benchlib.py: the parts of the benchmark runner that do not run anything:
rows, parsing the programs' key=value output, checking that implementations
agree, the table, the targets of the issue, the CSV and the chart.
bench/test_benchlib.py tests them.
"""
import csv
import math
import os
import re
import shutil
import statistics
import subprocess

REL_TOL = 1e-9       # results of W2..W4 must agree with the C reference to this
# WT5/WT6: the same arithmetic in every row; only the order of the sums
# differs (C left to right, luagrad in 8 chains, NumPy pairwise), which
# moves the results by a few 1e-15 relative.
WORKLOAD_REL_TOL = {"WT5": 1e-12, "WT6": 1e-12}
CSV_REL_TOL = 1e-12  # the W1 CSV files, which hold short exact computations

UNITS = {"W1": "process", "W2": "grid-point-sample", "W3": "sample-epoch", "W4": "update",
         "WX": "read", "WF": "call",
         "WT5": "sample-epoch", "WT6": "sample-epoch",
         "CSV": "row", "MM64": "multiply-add", "MM256": "multiply-add",
         "MM1024": "multiply-add", "W5": "sample-epoch", "W5b": "sample-epoch",
         "W6": "sample-epoch", "W7": "operation"}
TITLES = {
    "W1": "the course's w-scan, whole process, CSV written, no plot",
    "W2": "MSE over a (w, b) grid",
    "W3": "full-batch gradient descent, y = w*x + b",
    "W4": "per-sample SGD, y = w*x + b, one epoch",
    "WX": "x[i] read in a Lua loop, every element once, summed",
    "WF": "m:forward(x_i) of an affine model in a Lua loop, one number a call, summed",
    "WT5": "full-batch GD written as tensor expressions (the tensor issue's loop)",
    "WT6": "full-batch GD written as tensor expressions (the tensor issue's loop)",
    "CSV": "read a CSV file of n rows x 2 numeric columns (17-digit numbers) into columns",
    "W5": "the lecture-7 network 8-6-4-1 sigmoids, BCE, full batch, SGD (generated data)",
    "W5b": "the same network shape 30-16-8-1 (generated data)",
    "W6": "digits classifier 64-32-10 ReLU, cross-entropy, mini-batches of 64",
    "W7": "scalar autograd, one-element tensors, forward and backward (4 ops a sample)",
    "MM64": "matrix product C = A·B, n x n doubles",
    "MM256": "matrix product C = A·B, n x n doubles",
    "MM1024": "matrix product C = A·B, n x n doubles",
}


class Impl:
    """One row of the table: an implementation of a workload and what its
    runs gave."""

    def __init__(self, workload, name, base=False, reference=False, note="", check=True,
                 env=None, csv_dir=None):
        self.workload, self.name = workload, name
        self.base = base            # the luagrad row the ratios refer to
        self.reference = reference  # the C row the results are checked against
        self.note, self.check, self.csv_dir = note, check, csv_dir
        self.env = env or {}
        self.argv = None
        self.skip = None            # why it cannot run here (not a failure)
        self.error = None           # why it failed
        self.times = []             # seconds, one per repetition
        self.results = []           # Result, one per repetition (W2..W4)
        self.rss_kb = None          # peak resident memory of the process
        self.verdict = None         # does its result agree with the reference
        self.timer = "self"         # who measured: the program, hyperfine, wait4
        self.units = 1
        self.unit = "process"
        self.data_bytes = 0

    def runnable(self):
        return self.argv is not None and not self.skip and not self.error

    def median(self):
        return statistics.median(self.times) if self.times and not self.error else None

    def ns_per_unit(self):
        m = self.median()
        return None if m is None else m * 1e9 / self.units


class Result:
    def __init__(self):
        self.values = {}  # key=number lines
        self.words = {}   # key=word lines (method=closed)


LINE = re.compile(r"^([A-Za-z_]\w*)=(\S+)$")


def parse_result(text):
    """The key=value lines of a program's output; other lines are ignored
    (luagrad prints its parameters first)."""
    r = Result()
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        key, value = m.groups()
        try:
            r.values[key] = float(value)
        except ValueError:
            r.words[key] = value
    return r


def set_units(rows, workload, sizes):
    s = sizes.get(workload, {})
    n = s.get("n", 0)
    if workload.startswith("MM"):  # n x n matrices: n^3 multiply-adds, A, B, C
        units, data = n ** 3, 24 * n * n
    elif workload in ("W5", "W5b", "W6", "W7"):
        ep = s.get("epochs", 0)
        units = {"W5": n * ep, "W5b": n * ep, "W6": 1797 * ep, "W7": 4 * n}[workload]
        data = 0
    else:
        units = {"W1": 1, "W2": s.get("grid", 0) ** 2 * n, "W3": n * s.get("epochs", 0),
                 "W4": n, "WX": n, "WF": n, "WT5": n * s.get("epochs", 0), "WT6": n * s.get("epochs", 0),
                 "CSV": n}[workload]
        data = {"W1": 0, "W2": 16 * n + 8 * s.get("grid", 0) ** 2 + 16 * s.get("grid", 0),
                "W3": 16 * n, "W4": 16 * n, "WX": 16 * n, "WF": 0, "WT5": 16 * n, "WT6": 16 * n,
                "CSV": 16 * n}[workload]
    for r in rows:
        r.units, r.unit, r.data_bytes = units, UNITS[workload], data


def rel_diff(a, b):
    if a == b:
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    return abs(a - b) / max(abs(a), abs(b))


def compare_results(ref, results, tol=REL_TOL):
    """A verdict on results (one per repetition) against the reference's:
    'same bits', 'ok (rel 2e-15)', or 'DIFF ...' when a value differs by
    more than tol, a value is missing, or the repetitions disagree."""
    if not results:
        return None
    first = results[0]
    for r in results[1:]:
        keys = set(first.values) - {"seconds"}
        if any(r.values.get(k) != first.values[k] for k in keys):
            return "DIFF: the repetitions gave different results"
    if ref is None:
        return "no reference"
    worst = 0.0
    for key, want in ref.values.items():
        if key == "seconds":
            continue
        if key not in first.values:
            return f"DIFF: no {key}= line"
        d = rel_diff(want, first.values[key])
        if d > tol:
            return f"DIFF {key}: {first.values[key]!r} vs {want!r} (rel {d:.1e})"
        worst = max(worst, d)
    return "same bits" if worst == 0 else f"ok (rel {worst:.0e})"


def find_csv(folder):
    """The w_scan.csv in folder, else its only CSV file, else None."""
    if not folder or not os.path.isdir(folder):
        return None
    if os.path.exists(os.path.join(folder, "w_scan.csv")):
        return os.path.join(folder, "w_scan.csv")
    found = [f for f in sorted(os.listdir(folder)) if f.endswith(".csv")]
    return os.path.join(folder, found[0]) if len(found) == 1 else None


def compare_csv_dirs(ref_dir, folder):
    ref, got = find_csv(ref_dir), find_csv(folder)
    if ref is None:
        return "no reference"
    if got is None:
        return "DIFF: no CSV written"
    with open(ref) as f:
        want_text = f.read()
    with open(got) as f:
        got_text = f.read()
    if want_text == got_text:
        return "same bytes"
    want_rows = list(csv.reader(want_text.splitlines()))
    got_rows = list(csv.reader(got_text.splitlines()))
    if not got_rows or got_rows[0] != want_rows[0]:
        return f"DIFF: header {got_rows[0] if got_rows else None} vs {want_rows[0]}"
    if len(got_rows) != len(want_rows):
        return f"DIFF: {len(got_rows) - 1} rows vs {len(want_rows) - 1}"
    worst = 0.0
    for i, (a, b) in enumerate(zip(got_rows[1:], want_rows[1:]), start=2):
        try:
            ds = [rel_diff(float(x), float(y)) for x, y in zip(a, b)]
        except ValueError:
            return f"DIFF: line {i} is not numbers"
        if len(a) != len(b) or max(ds, default=0) > CSV_REL_TOL:
            return f"DIFF: line {i}: {','.join(a)} vs {','.join(b)}"
        worst = max([worst] + ds)
    return f"ok (rel {worst:.0e})" if worst else "same numbers"


# ---- formatting ---------------------------------------------------------------

def sig(v, digits=3):
    """v with about `digits` significant digits and no exponent."""
    if v is None:
        return "-"
    if v == 0:
        return "0"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(v)))))
    return f"{v:.{decimals}f}"


def ratio(row, base):
    m, b = row.median(), base.median() if base else None
    return None if m is None or not b else m / b


def status_text(row):
    if row.skip:
        return "skipped: " + row.skip
    if row.error:
        return "FAILED: " + row.error
    return row.verdict or "-"


def short(text, width=40):
    return text if len(text) <= width else text[:width - 3] + "..."


def failures(rows):
    """The full messages of the rows that failed or disagree."""
    bad = [r for r in rows if r.error or (r.verdict or "").startswith("DIFF")]
    return [f"  {r.workload} {r.name}: {status_text(r)}" for r in bad]


def table(rows):
    head = ["workload", "implementation", "median s", "ns/unit", "x luagrad", "peak MB",
            "check", "note"]
    lines = []
    by_w = {}
    for r in rows:
        by_w.setdefault(r.workload, []).append(r)
    body = []
    for w, rs in by_w.items():
        base = next((r for r in rs if r.base), None)
        for r in rs:
            rt = ratio(r, base)
            body.append([w, r.name, sig(r.median(), 4), sig(r.ns_per_unit()),
                         (sig(rt) + "x") if rt else "-",
                         sig(r.rss_kb / 1024) if r.rss_kb else "-", short(status_text(r)),
                         r.note])
    widths = [max(len(str(x[i])) for x in body + [head]) for i in range(len(head) - 1)]
    fmt = "  ".join(f"{{:{'>' if i in (2, 3, 4, 5) else '<'}{wd}}}"
                    for i, wd in enumerate(widths))
    lines.append(fmt.format(*head[:-1]) + "  " + head[-1])
    last = None
    for b in body:
        if last and b[0] != last:
            lines.append("")
        last = b[0]
        lines.append(fmt.format(*b[:-1]) + "  " + b[-1])
    return lines


# ---- the targets of the issue --------------------------------------------------

def find(rows, workload, *names):
    """The first row of workload named one of names that has a time."""
    for name in names:
        for r in rows:
            if r.workload == workload and r.name == name and r.median() is not None:
                return r
    return None


def targets(rows, extras):
    """(target, measured, verdict) for each target of the issue."""
    out = []

    def verdict(ok):
        return "met" if ok else "MISSED"

    def na(why):
        return "not measured: " + why

    base = {w: next((r for r in rows if r.workload == w and r.base), None)
            for w in ("W1", "W2", "W3", "W4", "CSV")}
    c = {w: find(rows, w, "c") for w in ("W1", "W2", "W3", "W4")}

    b = base["W1"]
    if b and b.median() is not None:
        ms = b.median() * 1e3
        what = f"{ms:.2f} ms ({b.name})"
        out.append(("W1 whole process < 5 ms", what, verdict(ms < 5)))
    else:
        out.append(("W1 whole process < 5 ms", "-", na(status_text(b) if b else "not run")))

    direct = find(rows, "W2", "luagrad direct, 1 thread", "luagrad direct")
    if direct and c["W2"]:
        r = direct.median() / c["W2"].median()
        out.append(("W2 direct within 1.3x of C", f"{r:.2f}x C ({direct.name}: "
                    f"{sig(direct.ns_per_unit())} ns vs {sig(c['W2'].ns_per_unit())} ns)",
                    verdict(r <= 1.3)))
    else:
        out.append(("W2 direct within 1.3x of C", "-", na("no luagrad direct or C time")))
    closed = find(rows, "W2", "luagrad closed")
    if closed and direct:
        r = direct.median() / closed.median()
        out.append(("W2 closed form >= 100x faster than direct",
                    f"{sig(r)}x ({sig(closed.median() * 1e3)} ms vs "
                    f"{sig(direct.median() * 1e3)} ms)", verdict(r >= 100)))
    else:
        out.append(("W2 closed form >= 100x faster than direct", "-",
                    na("no luagrad closed or direct time")))
    agree = extras.get("agree")
    if agree and "max_rel_diff" in agree:
        d = agree["max_rel_diff"]
        out.append(("W2 closed agrees with direct to 1e-9 (every grid point)",
                    f"max rel diff {d:.2g}", verdict(d <= 1e-9)))
    else:
        out.append(("W2 closed agrees with direct to 1e-9 (every grid point)", "-",
                    na(agree.get("error", "not run") if agree else "not run")))
    b = base["W2"]
    if b and b.results:
        m = b.results[0].words.get("method")
        out.append(("W2 scan picks the closed form itself and says so", f"method={m}",
                    verdict(m == "closed")))
    else:
        out.append(("W2 scan picks the closed form itself and says so", "-",
                    na(status_text(b) if b else "not run")))

    one = find(rows, "W3", "luagrad 1 thread")
    if one:
        ns = one.ns_per_unit()
        out.append(("W3 <= 0.8 ns per sample-epoch on one thread", f"{sig(ns)} ns",
                    verdict(ns <= 0.8)))
    else:
        b = base["W3"]
        why = "no 1-thread row (LUAGRAD_THREADS)"
        if b and b.median() is not None:
            why += f"; default threads: {sig(b.ns_per_unit())} ns"
        out.append(("W3 <= 0.8 ns per sample-epoch on one thread", "-", na(why)))
    floor = find(rows, "W3", "c read floor")
    if floor:
        out.append(("W3 (context) reading the data alone, this machine",
                    f"{sig(floor.ns_per_unit())} ns per sample-epoch", "info"))
    lg3 = one or find(rows, "W3", "luagrad")
    if lg3 and c["W3"]:
        r = c["W3"].median() / lg3.median()
        out.append(("W3 faster than the C reference", f"C takes {r:.2f}x as long as "
                    f"{lg3.name} ({sig(c['W3'].ns_per_unit())} vs {sig(lg3.ns_per_unit())} ns)",
                    verdict(r > 1)))
    else:
        out.append(("W3 faster than the C reference", "-", na("no luagrad or C time")))

    b = base["W4"]
    if b and b.median() is not None and c["W4"]:
        r = b.median() / c["W4"].median()
        out.append(("W4 within 1.3x of C", f"{r:.2f}x C ({sig(b.ns_per_unit())} vs "
                    f"{sig(c['W4'].ns_per_unit())} ns)", verdict(r <= 1.3)))
    else:
        out.append(("W4 within 1.3x of C", "-", na(status_text(b) if b else "not run")))

    # issue 4: "reads 1,000,000 rows x 2 columns in well under a second"
    b = base["CSV"]
    if b and b.median() is not None:
        out.append((f"CSV read of {b.units:,} rows x 2 columns well under a second (< 0.5 s)",
                    f"{sig(b.median())} s", verdict(b.median() < 0.5)))

    for w in ("W1", "W2", "W3", "W4", "CSV"):
        b = base[w]
        others = [r for r in rows if r.workload == w and r.median() is not None and
                  (r.name.startswith("numpy") or r.name.startswith("torch") or
                   r.name.startswith("python +"))]
        if not others:
            continue
        if not b or b.median() is None:
            out.append((f"{w} faster than NumPy and PyTorch", "-",
                        na(status_text(b) if b else "not run")))
            continue
        rs = [(r.name, r.median() / b.median()) for r in others]
        out.append((f"{w} faster than NumPy and PyTorch",
                    ", ".join(f"{n} {sig(x)}x" for n, x in rs),
                    verdict(all(x > 1 for _, x in rs))))
        if w == "W2" and direct:  # the same without the closed form
            rs = [(r.name, r.median() / direct.median()) for r in others]
            out.append((f"W2 direct ({direct.name}) faster than NumPy and PyTorch",
                        ", ".join(f"{n} {sig(x)}x" for n, x in rs),
                        verdict(all(x > 1 for _, x in rs))))

    out += limit_targets(rows)
    out += lua_loop_targets(rows)
    out += net_targets(rows)
    out += wt_targets(rows)

    for r in rows:
        if (r.name.startswith("luagrad") and r.rss_kb and r.data_bytes
                and not r.workload.startswith("WT")):
            extra = r.rss_kb / 1024 - r.data_bytes / 2 ** 20
            out.append((f"{r.workload} {r.name}: peak memory <= data + 10 MB",
                        f"{sig(r.rss_kb / 1024)} MB = data {sig(r.data_bytes / 2 ** 20)} MB "
                        f"+ {sig(extra)} MB", verdict(extra <= 10)))

    for w, one_name, two_name in (("W2", "luagrad direct, 1 thread", "luagrad direct, 2 threads"),
                                  ("W3", "luagrad 1 thread", "luagrad 2 threads")):
        t1, t2 = find(rows, w, one_name), find(rows, w, two_name)
        if not (t1 and t2):
            out.append((f"{w} speed-up from 1 to 2 threads", "-",
                        na("LUAGRAD_THREADS rows missing")))
            continue
        same = t1.results and t2.results and all(
            t1.results[0].values.get(k) == v for k, v in t2.results[0].values.items()
            if k != "seconds")
        speedup = t1.median() / t2.median()
        out.append((f"{w} speed-up from 1 to 2 threads, bit-identical results",
                    f"{sig(speedup)}x; results {'bit-identical' if same else 'DIFFER'}",
                    verdict(bool(same) and speedup > 1)))
    out += matmul_targets(rows)
    ran = {r.workload for r in rows}
    return [t for t in out if t[0][:2] not in ("W1", "W2", "W3", "W4") or t[0][:2] in ran]


def same_results(a, b):
    """Do rows a and b give the same bits in every result (not seconds)?"""
    if not (a.results and b.results):
        return False
    va, vb = a.results[0].values, b.results[0].values
    return all(vb.get(k) == v for k, v in va.items() if k != "seconds") and \
        a.results[0].words == b.results[0].words


def lua_loop_targets(rows):
    """Issue 14: code written by hand in Lua against plain Lua 5.4, NumPy and
    fit. Judged: the per-sample SGD loop (grad.se + opt:step) within 3x of
    plain Lua doing the arithmetic on numbers; the epoch loop (loss.mse +
    grad.mse + opt:step) faster than NumPy, as fit must be. For
    information: its cost over fit's, x[i] against a Lua table and
    m:forward against a Lua object's method."""
    out = []

    def ratio(w, a_name, b_name):
        a, b = find(rows, w, a_name), find(rows, w, b_name)
        if not (a and b):
            return None, "not measured: no " + (b_name if a else a_name) + " time"
        return a.median() / b.median(), (f"{sig(a.ns_per_unit())} vs {sig(b.ns_per_unit())} "
                                         f"ns per {a.unit}")

    if any(r.workload == "W4" for r in rows):
        r, text = ratio("W4", "luagrad, Lua loop", "lua5.4")
        title = "W4 per-sample SGD written in Lua (grad.se + opt:step) at most 3x plain Lua 5.4"
        out.append((title, f"{r:.2f}x ({text})", "met" if r <= 3 else "MISSED") if r else
                   (title, "-", text))
        r, text = ratio("W4", "luagrad, Lua loop", "luagrad")
        if r:
            out.append(("W4 the Lua loop against fit(batch = 1)", f"{r:.2f}x ({text})", "info"))
    if any(r.workload == "W3" for r in rows):
        r, text = ratio("W3", "luagrad, Lua loop", "numpy")
        title = "W3 epochs written in Lua (loss.mse + grad.mse + opt:step) faster than NumPy"
        out.append((title, f"NumPy takes {1 / r:.2f}x as long ({text})",
                    "met" if r < 1 else "MISSED") if r else (title, "-", text))
        r, text = ratio("W3", "luagrad, Lua loop", "luagrad")
        if r:
            out.append(("W3 the Lua loop against fit (two passes an epoch where fit makes one)",
                        f"{r:.2f}x ({text})", "info"))
    for w, what in (("WX", "x[i] of a tensor against a Lua table's"),
                    ("WF", "m:forward(number) against a Lua object's method")):
        if any(r.workload == w for r in rows):
            r, text = ratio(w, "luagrad", "lua5.4")
            out.append((f"{w} {what}", f"{r:.2f}x ({text})" if r else "-",
                        "info" if r else text))
    return out


def net_targets(rows):
    """Issue 14: the networks (W5, W5b, W6) against plain C and PyTorch,
    scalar autograd (W7) against PyTorch and micrograd."""
    out = []
    goals = {"W5": [("c", 1.5, "at most"), ("torch 1 thread", 3, "faster")],
             "W5b": [("c", 1.5, "at most"), ("torch 1 thread", 1.5, "faster")],
             "W6": [("c", 1.5, "at most"), ("torch 1 thread", 2, "faster")],
             "W7": [("torch 1 thread", 20, "faster"), ("micrograd (python)", 20, "faster")]}
    for w, gs in goals.items():
        if not any(r.workload == w for r in rows):
            continue
        lg = find(rows, w, "luagrad")
        for name, bound, kind in gs:
            other = find(rows, w, name)
            title = (f"{w} luagrad at most {bound}x {name}" if kind == "at most" else
                     f"{w} luagrad at least {bound}x faster than {name}")
            if not (lg and other):
                out.append((title, "-", "not measured: " + ("no luagrad time" if not lg else
                                                            f"no {name} time")))
                continue
            r = lg.median() / other.median()
            if kind == "at most":
                out.append((title, f"{r:.2f}x ({sig(lg.ns_per_unit())} vs "
                            f"{sig(other.ns_per_unit())} ns per {lg.unit})",
                            "met" if r <= bound else "MISSED"))
            else:
                out.append((title, f"{1 / r:.2f}x faster ({sig(lg.ns_per_unit())} vs "
                            f"{sig(other.ns_per_unit())} ns per {lg.unit})",
                            "met" if 1 / r >= bound else "MISSED"))
    return out


def limit_targets(rows):
    """Issue 14: W2 direct and W3 on one thread against the C limit (-O3
    -march=native -ffast-math): at most 1.3x in the portable build, 1.1x
    with make NATIVE=1, and the two builds' results bit-identical."""
    out = []
    for w, port_name, nat_name in (("W2", "luagrad direct, 1 thread",
                                    "luagrad native direct, 1 thread"),
                                   ("W3", "luagrad 1 thread", "luagrad native, 1 thread")):
        if not any(r.workload == w for r in rows):
            continue
        limit = find(rows, w, "c limit")
        for name, bound, build in ((port_name, 1.3, "portable"), (nat_name, 1.1, "NATIVE=1")):
            title = f"{w} luagrad ({build}, 1 thread) <= {bound}x the C limit"
            lg = find(rows, w, name)
            if not (lg and limit):
                why = "no C limit time" if lg else f"no '{name}' row"
                out.append((title, "-", "not measured: " + why))
                continue
            r = lg.median() / limit.median()
            out.append((title, f"{r:.2f}x ({sig(lg.ns_per_unit())} vs "
                        f"{sig(limit.ns_per_unit())} ns per {lg.unit})",
                        "met" if r <= bound else "MISSED"))
        a, b = find(rows, w, port_name), find(rows, w, nat_name)
        title = f"{w} portable and NATIVE=1 builds give bit-identical results"
        if a and b:
            same = same_results(a, b)
            out.append((title, "bit-identical" if same else "DIFFER",
                        "met" if same else "MISSED"))
        else:
            out.append((title, "-", "not measured: a build's row is missing"))
    return out


def wt_targets(rows):
    """Issues 10 and 14: the tensor-expression loop, unchanged, in no more
    time than NumPy's and in less peak memory."""
    out = []
    for w in ("WT5", "WT6"):
        if not any(r.workload == w for r in rows):
            continue
        lg, np_ = find(rows, w, "luagrad"), find(rows, w, "numpy")
        if not (lg and np_):
            why = "no luagrad time" if not lg else "no NumPy time"
            out.append((f"{w} luagrad no slower than NumPy", "-", "not measured: " + why))
            continue
        r = lg.median() / np_.median()
        out.append((f"{w} luagrad no slower than NumPy",
                    f"{r:.2f}x NumPy's time ({sig(lg.ns_per_unit())} vs "
                    f"{sig(np_.ns_per_unit())} ns per {lg.unit})", "met" if r <= 1 else "MISSED"))
        if lg.rss_kb and np_.rss_kb:
            out.append((f"{w} luagrad peak memory below NumPy's",
                        f"{sig(lg.rss_kb / 1024)} MB vs {sig(np_.rss_kb / 1024)} MB "
                        f"(data {sig(lg.data_bytes / 2 ** 20)} MB)",
                        "met" if lg.rss_kb < np_.rss_kb else "MISSED"))
    return out


def gflops(row):
    """GFLOP/s of a matmul row: two floating-point operations per
    multiply-add."""
    return 2 / row.ns_per_unit()


def matmul_targets(rows):
    """Issue 14: luagrad's matmul at least half of OpenBLAS's dgemm on one
    thread at n = 256 and 1024 (64: for information). The measured text
    gives GFLOP/s, luagrad's micro-kernel and OpenBLAS's core."""
    out = []
    for w in ("MM64", "MM256", "MM1024"):
        if not any(r.workload == w for r in rows):
            continue
        title = f"{w} luagrad 1 thread >= 0.5x OpenBLAS dgemm 1 thread (GFLOP/s)"
        lg, ob = find(rows, w, "luagrad 1 thread"), find(rows, w, "openblas 1 thread")
        c = find(rows, w, "c")
        if not (lg and ob):
            why = "no luagrad time" if not lg else "no OpenBLAS time"
            out.append((title, "-", "not measured: " + why))
            continue
        kernel = lg.results[0].words.get("kernel", "?") if lg.results else "?"
        core = ob.results[0].words.get("core", "?") if ob.results else "?"
        r = ob.median() / lg.median()
        text = (f"{r:.2f}x ({sig(gflops(lg))} vs {sig(gflops(ob))} GFLOP/s"
                + (f"; plain loop {sig(gflops(c))}" if c else "")
                + f"; kernel {kernel}, OpenBLAS core {core})")
        out.append((title, text, "info" if w == "MM64" else ("met" if r >= 0.5 else "MISSED")))
    return out


def render(rows, cfg, info, command, extras):
    lines = ["luagrad benchmark, " + info["date"], "command: " + command]
    mode = "QUICK (small sizes: not comparable with the targets)" if cfg.quick else "full"
    lines.append(f"mode: {mode}; {cfg.reps} repetitions (W1: {cfg.w1_runs} runs), median")
    lines += [f"{k}: {v}" for k, v in info.items() if k != "date"]
    lines.append("machine load: " + load_text(extras))
    lines.append("")
    for w, title in TITLES.items():
        if any(r.workload == w for r in rows):
            lines.append(f"{w}: {title}; unit: {UNITS[w]}" +
                         (f"; {size_text(cfg.sizes[w])}" if w in cfg.sizes else ""))
    lines.append("")
    lines += table(rows)
    bad = failures(rows)
    if bad:
        lines += ["", "failures:"] + bad
    lines += [""] + target_lines(rows, extras, cfg.quick)
    return "\n".join(lines)


def target_lines(rows, extras, quick):
    """The targets section of the report. With BENCH_QUICK the sizes are too
    small to compare with the targets: the figures are shown, not judged."""
    if quick:
        lines = ["targets (issues 6, 10 and 14): not judged, QUICK sizes are not comparable:"]
    else:
        lines = ["targets (issues 6, 10 and 14):"]
    tg = targets(rows, extras)
    wt = max(len(t[0]) for t in tg)
    for t, measured, v in tg:
        if v.startswith("not measured: "):
            v, measured = "n/a", short(v[len("not measured: "):], 80)
        elif quick:
            v = "-"
        lines.append(f"  {t:<{wt}}  {v:<6}  {measured}")
    return lines


def load_text(extras):
    """What bench/tools/cpucheck saw before and after the workloads."""
    parts = []
    for when in ("before", "after"):
        m = extras.get("machine_" + when) or {}
        if "add_ns" in m and "speedup2" in m:
            parts.append(f"{when}: add {m['add_ns']:.2f} ns, 2 threads {m['speedup2']:.2f}x")
    if not parts:
        return "not measured"
    return "; ".join(parts) + " (quiet machine: add ~0.68 ns, 2 threads ~2x)"


def size_text(s):
    return " ".join(f"{k}={v}" for k, v in s.items())


# ---- files --------------------------------------------------------------------

def write_csv(rows, path):
    cols = ["workload", "implementation", "unit", "units", "reps", "median_s", "min_s",
            "max_s", "ns_per_unit", "ratio_to_luagrad", "peak_rss_kb", "data_bytes", "check",
            "timer", "note"]
    with open(path + ".tmp", "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(cols)
        bases = {r.workload: r for r in rows if r.base}
        for r in rows:
            m = r.median()
            rt = ratio(r, bases.get(r.workload))
            wr.writerow([r.workload, r.name, r.unit, r.units, len(r.times) if m else 0,
                         repr(m) if m is not None else "",
                         repr(min(r.times)) if m is not None else "",
                         repr(max(r.times)) if m is not None else "",
                         repr(r.ns_per_unit()) if m is not None else "",
                         repr(rt) if rt else "", r.rss_kb or "", r.data_bytes,
                         status_text(r), r.timer if m is not None else "", r.note])
    os.replace(path + ".tmp", path)


FAMILY_COLOURS = [("luagrad", "#d62728"), ("c", "#7f7f7f"), ("lua5.4", "#1f77b4"),
                  ("numpy", "#2ca02c"), ("torch", "#ff7f0e"), ("python", "#9467bd"),
                  ("openblas", "#8c564b")]


def family(name):
    for i, (prefix, _) in enumerate(FAMILY_COLOURS):
        if name == prefix or name.startswith(prefix + " ") or name.startswith(prefix + ","):
            return i + 1
    return len(FAMILY_COLOURS)


def chart(rows, out, quick):
    """bench.png: one bar per row on a log scale; W1 (whole processes) in
    milliseconds on the left (data bench-w1.dat), W2..W4 in ns per unit of
    work on the right (bench.dat). Returns a note when the picture could not
    be drawn."""
    files = {1: os.path.join(out, "bench-w1.dat"), 2: os.path.join(out, "bench.dat")}
    counts = {1: 0, 2: 0}
    with open(files[1], "w") as f1, open(files[2], "w") as f2:
        for f in (f1, f2):
            f.write("# x  label  value  colour  (W1: ms per process; others: ns per unit)\n")
        last = None
        for r in rows:
            ns = r.ns_per_unit()
            if ns is None:
                continue
            panel = 1 if r.workload == "W1" else 2
            if panel == 2 and last and r.workload != last and counts[2]:
                counts[2] += 1  # a gap between workloads
            last = r.workload
            counts[panel] += 1
            label = f"{r.workload} {r.name}".replace('"', "'")
            value = ns / 1e6 if panel == 1 else ns
            (f1 if panel == 1 else f2).write(
                f'{counts[panel]} "{label}" {value!r} {family(r.name)}\n')
    gp = os.path.join(out, "bench.gp")
    title = "luagrad benchmark (log scales, lower is faster)"
    if quick:
        title += ": QUICK sizes, not comparable"
    colours = "\n".join(f'set linetype {i + 1} lc rgb "{c}"'
                        for i, (_, c) in enumerate(FAMILY_COLOURS))
    panels = []
    for panel, (left, right, ylabel) in {
            1: (0.06, 0.26, "W1: milliseconds per process"),
            2: (0.33, 0.96, "W2-W4, MM: nanoseconds per unit of work")}.items():
        if counts[panel]:
            panels.append(f"""set lmargin at screen {left}
set rmargin at screen {right}
set xrange [0.3:{counts[panel] + 0.7}]
set ylabel "{ylabel}"
plot "{files[panel]}" using 1:3:4:xtic(2) with boxes lc variable""")
    with open(gp, "w") as f:
        f.write(f"""# bench.gp: draws bench.png (written by bench/bench.py)
set terminal pngcairo size 1500,820 font ",10"
set output "{os.path.join(out, 'bench.png')}"
set multiplot title "{title}"
set tmargin at screen 0.93
set bmargin 14
set logscale y
set format y "10^{{%L}}"
set style fill solid 0.9 border -1
set boxwidth 0.8
set xtics rotate by -60 left nomirror
set grid ytics
set key off
{colours}
{chr(10).join(panels)}
unset multiplot
""")
    if not counts[1] and not counts[2]:
        return "nothing was measured: no bench.png"
    if not shutil.which("gnuplot"):
        return f"gnuplot is not installed: no bench.png (the script is {gp})"
    r = subprocess.run(["gnuplot", gp], capture_output=True, text=True)
    if r.returncode != 0:
        return "gnuplot failed: " + r.stderr.strip()
    return None


# ---- callgrind_annotate output ---------------------------------------------------

COUNT = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$")


def callgrind_count(text, function=None):
    """From callgrind_annotate's output: the program total, or the
    exclusive count of `function` (file:function lines)."""
    for line in text.splitlines():
        m = COUNT.match(line)
        if not m:
            continue
        what = m.group(2)
        if function is None and what.startswith("PROGRAM TOTALS"):
            return int(m.group(1).replace(",", ""))
        if function and re.search(r":%s \[" % re.escape(function), what):
            return int(m.group(1).replace(",", ""))
    return 0


def callgrind_hot_lines(text, share, total, only_file=None):
    """The annotated source lines holding at least `share` of total:
    [(percent, source text)], largest first; only those of files whose
    path ends with only_file when given."""
    out = []
    in_source = False
    for line in text.splitlines():
        if line.startswith("-- Auto-annotated source:"):
            path = line.split(":", 1)[1].strip()
            in_source = only_file is None or path.endswith(only_file)
            continue
        if not in_source:
            continue
        m = COUNT.match(line)
        if not m or m.group(2).startswith("=>") or m.group(2) == "events annotated":
            continue
        n = int(m.group(1).replace(",", ""))
        if total and n / total >= share:
            out.append((100 * n / total, m.group(2).strip()))
    return sorted(out, key=lambda p: -p[0])


def callgrind_functions(text, share, total, path_part):
    """From callgrind_annotate --inclusive=yes: the functions whose file
    path contains path_part and that account for at least `share` of total,
    as [(percent, "file:function")], largest first."""
    out, seen = [], set()
    for line in text.splitlines():
        m = COUNT.match(line)
        if not m or path_part not in m.group(2) or "=>" in m.group(2):
            continue
        what = m.group(2).split(" [")[0]
        what = what.split(path_part, 1)[1] if path_part in what else what
        n = int(m.group(1).replace(",", ""))
        if what in seen or "'" in what or not total or n / total < share:
            continue
        seen.add(what)
        out.append((100 * n / total, what))
    return sorted(out, key=lambda p: -p[0])
