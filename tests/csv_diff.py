#!/usr/bin/python3
"""tests/csv_diff.py LUAGRAD WORKDIR [FILES]: the CSV reader against Python.

Generates FILES (default 2000) random CSV files (seeded: the same every run)
with numeric and text columns, quoted fields holding separators, quotes, CR
and LF, the three line ends, a byte order mark, blank lines, spaces around
numbers, every spelling of inf and nan, long and tiny numbers, and the
separators , ; and tab; reads them all with one luagrad run
(tests/csv_diff_dump.lua), and compares with what Python's csv module
parses from the same bytes under the rules of csv.read (README, "Reading"):
blank lines skipped; a column is numeric when every non-blank value is a
number (empty values are then nan), numbers converted by Python's float()
(correctly rounded, as strtod) and compared bit for bit; a column holding an
integer no double holds exactly (past 2^53) is a list of numbers, its
integer literals exact integers; any other column is text, every value as
written. Prints the counts; exits 1 and lists the differences if any.
"""
import csv
import io
import os
import random
import re
import struct
import subprocess
import sys

INTEGER = re.compile(r"[+-]?\d+\Z")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
WORDS = {"inf": float("inf"), "infinity": float("inf"), "nan": float("nan")}


def number(text):
    """The value of text by csv.read's rule, or None."""
    t = text.strip(" \t")
    if NUMBER.match(t):
        return float(t)
    sign = -1.0 if t[:1] == "-" else 1.0
    w = t[1:] if t[:1] in "+-" else t
    if w.lower() in WORDS:
        return sign * WORDS[w.lower()]
    return None


def lua_integer(text):
    """The integer Lua reads from text (spaces around allowed), or None when
    it is not an integer literal within 64 bits."""
    t = text.strip(" \t")
    if not INTEGER.match(t):
        return None
    v = int(t)
    return v if -2**63 <= v < 2**63 else None


def wide(text):
    """An integer Lua holds that no double holds exactly."""
    v = lua_integer(text)
    return v is not None and abs(v) > 2**53 and int(float(v)) != v


def blank(text):
    return text.strip(" \t") == ""


# ---- generating ---------------------------------------------------------------

def random_number(rng):
    r = rng.randrange(8)
    if r == 0:
        return repr(struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0])
    if r == 1:
        return rng.choice(["inf", "-inf", "INF", "+Infinity", "-infinity", "nan", "NaN", "-nan",
                           "1e400", "-1e400", "1e-400", "4.9e-324", "2.4703282292062328e-324",
                           "9007199254740993", "123456789012345678901234567890", ".5", "5.",
                           "-0", "+0.0", "0.1000000000000000055511151231257827", "007",
                           "1E5", "1e+05", "2.2250738585072011e-308"])
    if r == 2:
        return str(rng.randrange(-10**rng.randrange(1, 25), 10**rng.randrange(1, 25)))
    if r == 3:
        return "%.*e" % (rng.randrange(0, 20), rng.uniform(-1, 1) * 10 ** rng.randrange(-300, 300))
    if r == 4:
        return " " * rng.randrange(3) + repr(rng.random()) + "\t" * rng.randrange(2)
    return repr(round(rng.uniform(-1000, 1000), rng.randrange(0, 6)))


PIECES = ["a", "b", "Z", " ", "\t", ",", ";", '"', "\n", "\r", "\r\n", "#", "é", "∑", "x y",
          "1", "-", "e", "'", "\\", "nan?"]


def random_text(rng):
    r = rng.randrange(10)
    if r == 0:
        return rng.choice(["1", " 2", "inf", "-3.5", "1e5"])   # looks like a number
    if r == 1:
        return " " * rng.randrange(1, 3)
    if r == 2:
        return ""
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6)))


def field(rng, value, sep):
    """value as a field: quoted when it must be, and now and then anyway."""
    must = any(c in value for c in (sep, '"', "\r", "\n")) or value.strip(" \t") == "" and value != ""
    if must or rng.random() < 0.15:
        return '"' + value.replace('"', '""') + '"'
    return value


def generate(rng):
    sep = rng.choice([",", ",", ";", "\t"])
    eol = rng.choice(["\n", "\r\n", "\r"])
    ncols, nrows = rng.randrange(1, 5), rng.randrange(0, 15)
    header = rng.random() < 0.85
    kinds = [rng.choice(["num", "num", "text"]) for _ in range(ncols)]
    columns = []
    for k in kinds:
        col = []
        for _ in range(nrows):
            if k == "num":
                col.append("" if rng.random() < 0.1 else random_number(rng))
            else:
                col.append(random_text(rng))
        if ncols == 1:   # one column: a blank value would be a blank line
            col = [v if not blank(v) or v == "" else "x" + v for v in col]
        columns.append(col)
    if rng.random() < 0.05 and nrows > 1:   # a non-number in a numeric column
        columns[0][rng.randrange(1, nrows)] = "lots"
    lines = []
    if header:
        names = ["c%d%s" % (j, rng.choice(["", " x", ",y", '"q"'])) for j in range(ncols)]
        lines.append(sep.join(field(rng, n, sep) for n in names))
    for i in range(nrows):
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "  ", " \t" if sep != "\t" else " "]))   # a blank line
        cells = [field(rng, columns[j][i], sep) for j in range(ncols)]
        if all(blank(c) for c in cells):
            # only spaces and tabs: a blank line, by the rule; quote one to keep the record
            cells[0] = '""' if columns[0][i] == "" else field(rng, columns[0][i], "")
            cells[0] = cells[0] if cells[0].startswith('"') else '"%s"' % cells[0]
        lines.append(sep.join(cells))
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    if not lines or (not header and nrows == 0):
        text = "h" + eol
        header = True
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text, sep, header


# ---- what csv.read should give ------------------------------------------------

def expected(text, sep, header):
    """[(name, kind, values)]: kind "N" (numbers), "T" (texts) or "W" (a
    list of numbers: ("i", integer) or ("f", float) each)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)
            if r and not (len(r) == 1 and r[0] != "" and blank(r[0]))]
    names = rows[0] if header else [str(j + 1) for j in range(len(rows[0]))]
    data = rows[1:] if header else rows
    result = []
    for j, name in enumerate(names):
        vals = [r[j] for r in data]
        # an empty value is nan in a numeric column; one of only spaces is
        # text (the generator always quotes those, and the reader takes a
        # quoted field of spaces as that text)
        nums = [float("nan") if v == "" else number(v) for v in vals]
        if any(n is None for n in nums):
            result.append((name, "T", vals))
        elif any(wide(v) for v in vals):
            result.append((name, "W", [("f", float("nan")) if v == "" else
                                       ("i", lua_integer(v)) if lua_integer(v) is not None else
                                       ("f", number(v)) for v in vals]))
        else:
            result.append((name, "N", nums))
    return result


def bits(x):
    return struct.pack("<d", x).hex()


def main():
    luagrad, work = sys.argv[1], sys.argv[2]
    nfiles = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    rng = random.Random(20240612)
    files = []
    with open(os.path.join(work, "files.txt"), "w") as listing:
        for i in range(nfiles):
            text, sep, header = generate(rng)
            path = os.path.join(work, "d%d.csv" % i)
            with open(path, "wb") as f:
                f.write(text.encode("utf-8"))
            files.append((path, text, sep, header))
            listing.write("%s\t%02x\t%d\n" % (path, ord(sep), header))
    env = dict(os.environ, CSV_DIFF_LIST=os.path.join(work, "files.txt"))
    run = subprocess.run([luagrad, "-q", "--out", work, "tests/csv_diff_dump.lua"],
                         capture_output=True, env=env)
    if run.returncode != 0:
        print(run.stderr.decode(errors="replace"))
        return 1
    blocks = run.stdout.decode().split("F\n")[1:]
    if len(blocks) != nfiles:
        print("luagrad read %d files of %d" % (len(blocks), nfiles))
        return 1
    diffs, values = [], 0
    for (path, text, sep, header), block in zip(files, blocks):
        lines = block.strip("\n").split("\n")
        got_error = lines[0].startswith("E ")
        message = bytes.fromhex(lines[0][2:]).decode(errors="replace") if got_error else ""
        want = expected(text, sep, header)
        if got_error:
            diffs.append("%s: %s" % (path, message))
            continue
        got = []
        for line in lines:
            _, name, kind, vals = (line.split(" ") + [""])[:4]
            vals = vals.split(",") if vals else []
            got.append((bytes.fromhex(name).decode(), kind,
                        [bytes.fromhex(v) for v in vals]))
        if [g[0] for g in got] != [w[0] for w in want]:
            diffs.append("%s: names %r, expected %r" % (path, [g[0] for g in got], [w[0] for w in want]))
            continue
        for (name, kind, gv), (_, wkind, wv) in zip(got, want):
            values += len(wv)
            if kind != wkind or len(gv) != len(wv):
                diffs.append("%s: column %r: %s x %d, expected %s x %d" % (path, name, kind, len(gv), wkind, len(wv)))
                continue
            for i, (g, w) in enumerate(zip(gv, wv)):
                if kind == "N":
                    g = struct.unpack("<d", g)[0]
                    same = (g != g and w != w) or bits(g) == bits(w)
                elif kind == "W":
                    if g[:1] == b"i":
                        g = ("i", int(g[1:].decode()))
                        same = g == w
                    else:
                        g = ("f", struct.unpack("<d", g[1:])[0])
                        same = w[0] == "f" and ((g[1] != g[1] and w[1] != w[1]) or
                                                bits(g[1]) == bits(w[1]))
                else:
                    g = g.decode(errors="replace")
                    same = g == w
                if not same:
                    diffs.append("%s: column %r row %d: %r, expected %r" % (path, name, i + 1, g, w))
    print("# csv_diff: %d files, %d values compared with Python's csv module" % (nfiles, values))
    for d in diffs[:30]:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
