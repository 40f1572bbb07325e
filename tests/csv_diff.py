#!/usr/bin/python3
"""tests/csv_diff.py LUAGRAD WORKDIR [FILES]: the CSV reader against Python.

Generates FILES (default 2000) random CSV files (seeded: the same every run)
with numeric and text columns, quoted fields holding separators, quotes, CR
and LF, the three line ends, a byte order mark, blank lines, spaces around
numbers, every spelling of inf and nan, long and tiny numbers, and the
separators , ; and tab; reads them all with one luagrad run
(tests/csv_diff_dump.lua), and compares with what Python's csv module
parses from the same bytes under the rules of csv.read (src/core/csv.h):
blank lines skipped, a column numeric when its first non-blank value is a
number (then empty values are nan and any other text is an error), numbers
converted by Python's float() (correctly rounded, as strtod) and compared
bit for bit. Prints the counts; exits 1 and lists the differences if any.

KNOWN DEFECTS (issue 12; fixed on another branch; accepted here so the test
passes now, delete the entry in KNOWN once the fix is in):
  numeric_first: a text column whose first non-blank value looks like a
      number cannot be read ("... is not a number, but column ... is
      numeric"); the file is accepted as that error or as the text column;
  leading_blank: a text value of only spaces before the column's first
      non-blank value reads as "" (accepted as "" or as itself).
"""
import csv
import io
import os
import random
import re
import struct
import subprocess
import sys

KNOWN = {"numeric_first", "leading_blank"}
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
    """[(name, kind, values)]: kind "N" (numbers), "T" (texts) or "M" (mixed:
    the first non-blank value a number, another one not: today an error,
    the known defect numeric_first; after its fix, a text column)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)
            if r and not (len(r) == 1 and r[0] != "" and blank(r[0]))]
    names = rows[0] if header else [str(j + 1) for j in range(len(rows[0]))]
    data = rows[1:] if header else rows
    result = []
    for j, name in enumerate(names):
        vals = [r[j] for r in data]
        first = next((v for v in vals if not blank(v)), None)
        if first is None or number(first) is not None:
            nums = [float("nan") if blank(v) else number(v) for v in vals]
            if any(n is None for n in nums):
                result.append((name, "M", vals))
            else:
                result.append((name, "N", nums))
        else:
            result.append((name, "T", vals))
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
    diffs, values, known = [], 0, {k: 0 for k in KNOWN}
    for (path, text, sep, header), block in zip(files, blocks):
        lines = block.strip("\n").split("\n")
        got_error = lines[0].startswith("E ")
        message = bytes.fromhex(lines[0][2:]).decode(errors="replace") if got_error else ""
        want = expected(text, sep, header)
        mixed = any(w[1] == "M" for w in want)
        if got_error:
            if mixed and "numeric_first" in KNOWN and "is not a number, but column" in message:
                known["numeric_first"] += 1
            else:
                diffs.append("%s: %s" % (path, message))
            continue
        if mixed and "numeric_first" in KNOWN:
            want = [(n, "T" if k == "M" else k, v) for n, k, v in want]
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
                else:
                    g = g.decode(errors="replace")
                    same = g == w
                    if not same and "leading_blank" in KNOWN and g == "" and blank(w):
                        known["leading_blank"] += 1
                        same = True
                if not same:
                    diffs.append("%s: column %r row %d: %r, expected %r" % (path, name, i + 1, g, w))
    print("# csv_diff: %d files, %d values compared with Python's csv module; known defects hit: %s"
          % (nfiles, values, ", ".join("%s %d" % kv for kv in sorted(known.items()))))
    for d in diffs[:30]:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
