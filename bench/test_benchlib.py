"""Tests of bench/benchlib.py (the runner's parsing, checks and targets).

    /usr/bin/python3 bench/test_benchlib.py
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as lib  # noqa: E402


def result(**values):
    r = lib.Result()
    r.values.update(values)
    return r


def row(workload, name, times, results=(), **kw):
    r = lib.Impl(workload, name, **kw)
    r.argv = ["x"]
    r.times = list(times)
    r.results = list(results)
    return r


class ParseResult(unittest.TestCase):
    def test_key_value_lines_only(self):
        r = lib.parse_result("params: n=10 grid=3\nseconds=0.5\nmethod=closed\n"
                             "w=1.9939310419497895\nnot a result\nx = 3\n")
        self.assertEqual(r.values, {"seconds": 0.5, "w": 1.9939310419497895})
        self.assertEqual(r.words, {"method": "closed"})

    def test_numbers_round_trip(self):
        r = lib.parse_result("b=0.99994817327364782\n")
        self.assertEqual(r.values["b"], 0.99994817327364782)


class CompareResults(unittest.TestCase):
    def test_same_bits(self):
        ref = result(seconds=1.0, w=2.0, b=1.0)
        self.assertEqual(lib.compare_results(ref, [result(seconds=3.0, w=2.0, b=1.0)]),
                         "same bits")

    def test_within_tolerance(self):
        ref = result(w=2.0)
        v = lib.compare_results(ref, [result(w=2.0 * (1 + 1e-12))])
        self.assertTrue(v.startswith("ok (rel 1e-12"), v)

    def test_beyond_tolerance(self):
        v = lib.compare_results(result(w=2.0), [result(w=2.0 * (1 + 1e-8))])
        self.assertTrue(v.startswith("DIFF w:"), v)

    def test_missing_value(self):
        self.assertEqual(lib.compare_results(result(w=2.0, b=1.0), [result(w=2.0)]),
                         "DIFF: no b= line")

    def test_nan_is_a_difference(self):
        v = lib.compare_results(result(w=2.0), [result(w=float("nan"))])
        self.assertTrue(v.startswith("DIFF w:"), v)

    def test_repetitions_must_agree(self):
        v = lib.compare_results(result(w=2.0), [result(w=2.0), result(w=2.0 + 1e-15)])
        self.assertEqual(v, "DIFF: the repetitions gave different results")

    def test_zero_against_zero(self):
        self.assertEqual(lib.rel_diff(0.0, 0.0), 0.0)
        self.assertEqual(lib.rel_diff(0.0, 1e-300), 1.0)


class CompareCsv(unittest.TestCase):
    def write(self, d, text, name="w_scan.csv"):
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)

    def test_cases(self):
        with tempfile.TemporaryDirectory() as t:
            a, b, c, e, g = (os.path.join(t, x) for x in "abceg")
            self.write(a, "w,mse\n0,18.666666666666668\n0.1,16.846666666666668\n")
            self.write(b, "w,mse\n0,18.666666666666668\n0.1,16.846666666666668\n")
            self.assertEqual(lib.compare_csv_dirs(a, b), "same bytes")
            self.write(c, "w,mse\n0.0,18.666666666666668\n0.1,16.846666666666668\n")
            self.assertEqual(lib.compare_csv_dirs(a, c), "same numbers")
            self.write(e, "w,mse\n0,18.666666666666668\n0.1,16.9\n")
            self.assertTrue(lib.compare_csv_dirs(a, e).startswith("DIFF: line 3"))
            self.write(g, "w,loss\n0,18.666666666666668\n0.1,16.846666666666668\n",
                       name="other.csv")
            self.assertTrue(lib.compare_csv_dirs(a, g).startswith("DIFF: header"))
            self.assertEqual(lib.compare_csv_dirs(a, os.path.join(t, "none")),
                             "DIFF: no CSV written")
            self.assertEqual(lib.compare_csv_dirs(None, a), "no reference")


class Formatting(unittest.TestCase):
    def test_sig(self):
        self.assertEqual(lib.sig(0.7134), "0.713")
        self.assertEqual(lib.sig(7.654), "7.65")
        self.assertEqual(lib.sig(15000.4), "15000")
        self.assertEqual(lib.sig(0.000123456, 4), "0.0001235")
        self.assertEqual(lib.sig(None), "-")

    def test_units(self):
        rows = [lib.Impl("W2", "c")]
        lib.set_units(rows, "W2", {"W2": {"n": 10000, "grid": 201}})
        self.assertEqual(rows[0].units, 201 * 201 * 10000)
        self.assertEqual(rows[0].unit, "grid-point-sample")
        rows = [lib.Impl("W3", "c")]
        lib.set_units(rows, "W3", {"W3": {"n": 1000000, "epochs": 100}})
        self.assertEqual((rows[0].units, rows[0].data_bytes), (10 ** 8, 16 * 10 ** 6))

    def test_table_ratio_and_failure(self):
        base = row("W4", "luagrad", [1.0, 2.0, 3.0], base=True)
        c = row("W4", "c", [0.5])
        bad = lib.Impl("W4", "numpy")
        bad.error = "exit status 1: " + "x" * 100
        skipped = lib.Impl("W4", "torch 1 thread")
        skipped.skip = "torch is not importable"
        for r in (base, c, bad, skipped):
            r.units = 10 ** 6
        lines = lib.table([base, c, bad, skipped])
        self.assertIn("2.000", lines[1])                 # the median of 1, 2, 3
        self.assertIn("0.250x", lines[2])                # 0.5 s / 2 s
        self.assertIn("FAILED: exit status 1: " + "x" * 14 + "...", lines[3])
        self.assertIn("skipped: torch is not importable", lines[4])
        self.assertEqual(len(lib.failures([base, c, bad, skipped])), 1)


class Targets(unittest.TestCase):
    def targets(self, rows, extras=None):
        return {t: (m, v) for t, m, v in lib.targets(rows, extras or {})}

    def test_quick_runs_are_not_judged(self):
        rows = [row("W4", "luagrad", [1.4], base=True), row("W4", "c", [1.0])]
        for r in rows:
            r.units = 10 ** 6
        full = "\n".join(lib.target_lines(rows, {}, False))
        self.assertIn("MISSED", full)
        quick = lib.target_lines(rows, {}, True)
        self.assertIn("not judged", quick[0])
        self.assertNotIn("MISSED", "\n".join(quick))
        self.assertNotIn("met", "\n".join(quick[1:]))
        self.assertIn("1.40x C", "\n".join(quick))     # the figure is still shown

    def test_w4_within_13(self):
        rows = [row("W4", "luagrad", [1.2], base=True), row("W4", "c", [1.0])]
        for r in rows:
            r.units = 10 ** 6
        t = self.targets(rows)
        self.assertEqual(t["W4 within 1.3x of C"][1], "met")
        rows[0].times = [1.4]
        self.assertEqual(self.targets(rows)["W4 within 1.3x of C"][1], "MISSED")

    def test_lua_loops(self):
        rows = [row("W4", "luagrad", [0.01], base=True), row("W4", "luagrad, Lua loop", [0.09]),
                row("W4", "lua5.4", [0.03]), row("W3", "luagrad", [0.1], base=True),
                row("W3", "luagrad, Lua loop", [0.25]), row("W3", "numpy", [0.27]),
                row("WX", "luagrad", [0.04], base=True), row("WX", "lua5.4", [0.01])]
        for r in rows:
            r.units = 10 ** 6
        t = self.targets(rows)
        title = "W4 per-sample SGD written in Lua (grad.se + opt:step) at most 3x plain Lua 5.4"
        self.assertEqual(t[title], ("3.00x (90.0 vs 30.0 ns per process)", "met"))
        self.assertEqual(t["W4 the Lua loop against fit(batch = 1)"][1], "info")
        title = "W3 epochs written in Lua (loss.mse + grad.mse + opt:step) faster than NumPy"
        self.assertEqual(t[title][1], "met")
        self.assertEqual(t["WX x[i] of a tensor against a Lua table's"][0],
                         "4.00x (40.0 vs 10.0 ns per process)")
        rows[1].times = [0.1]
        rows[4].times = [0.3]
        t = self.targets(rows)
        title = "W4 per-sample SGD written in Lua (grad.se + opt:step) at most 3x plain Lua 5.4"
        self.assertEqual(t[title][1], "MISSED")
        title = "W3 epochs written in Lua (loss.mse + grad.mse + opt:step) faster than NumPy"
        self.assertEqual(t[title][1], "MISSED")
        t = self.targets(rows[:2])
        title = "W4 per-sample SGD written in Lua (grad.se + opt:step) at most 3x plain Lua 5.4"
        self.assertEqual(t[title], ("-", "not measured: no lua5.4 time"))

    def test_w3_one_thread_and_thread_identity(self):
        one = row("W3", "luagrad 1 thread", [0.09], [result(w=1.5, b=1.1)])
        two = row("W3", "luagrad 2 threads", [0.05], [result(w=1.5, b=1.1)])
        rows = [row("W3", "luagrad", [0.05], base=True), one, two, row("W3", "c", [0.08])]
        for r in rows:
            r.units = 10 ** 8
        t = self.targets(rows)
        self.assertEqual(t["W3 <= 0.8 ns per sample-epoch on one thread"], ("0.900 ns", "MISSED"))
        self.assertEqual(t["W3 faster than the C reference"][1], "MISSED")
        m, v = t["W3 speed-up from 1 to 2 threads, bit-identical results"]
        self.assertEqual((m, v), ("1.80x; results bit-identical", "met"))
        two.times = [0.1]  # slower with 2 threads: not met, even if identical
        m, v = self.targets(rows)["W3 speed-up from 1 to 2 threads, bit-identical results"]
        self.assertEqual((m, v), ("0.900x; results bit-identical", "MISSED"))
        two.times = [0.05]
        two.results = [result(w=1.5 + 2e-16, b=1.1)]
        m, v = self.targets(rows)["W3 speed-up from 1 to 2 threads, bit-identical results"]
        self.assertEqual(v, "MISSED")

    def test_w2_closed_and_agreement(self):
        auto = row("W2", "luagrad", [0.0001], [result()], base=True)
        auto.results[0].words["method"] = "closed"
        rows = [auto, row("W2", "luagrad direct, 1 thread", [0.3]),
                row("W2", "luagrad closed", [0.002]), row("W2", "c", [0.28])]
        t = self.targets(rows, {"agree": {"max_rel_diff": 3e-10}})
        self.assertEqual(t["W2 closed form >= 100x faster than direct"][1], "met")
        self.assertEqual(t["W2 closed agrees with direct to 1e-9 (every grid point)"][1], "met")
        self.assertEqual(t["W2 scan picks the closed form itself and says so"][1], "met")
        self.assertEqual(t["W2 direct within 1.3x of C"][1], "met")
        t = self.targets(rows, {"agree": {"max_rel_diff": 2e-9}})
        self.assertEqual(t["W2 closed agrees with direct to 1e-9 (every grid point)"][1],
                         "MISSED")

    def test_memory(self):
        r = row("W3", "luagrad", [1.0], base=True)
        r.data_bytes, r.rss_kb = 16 * 10 ** 6, 16 * 10 ** 6 // 1024 + 11 * 1024
        m, v = self.targets([r])["W3 luagrad: peak memory <= data + 10 MB"]
        self.assertEqual(v, "MISSED")

    def test_wt_time_and_memory_against_numpy(self):
        lg = row("WT5", "luagrad", [0.06], base=True)
        np_ = row("WT5", "numpy", [0.07])
        for r in (lg, np_):
            r.units, r.data_bytes = 3 * 10 ** 7, 16 * 10 ** 5
        lg.rss_kb, np_.rss_kb = 8 * 1024, 36 * 1024
        t = self.targets([lg, np_])
        self.assertEqual(t["WT5 luagrad no slower than NumPy"],
                         ("0.86x NumPy's time (2.00 vs 2.33 ns per process)", "met"))
        self.assertEqual(t["WT5 luagrad peak memory below NumPy's"],
                         ("8.00 MB vs 36.0 MB (data 1.53 MB)", "met"))
        self.assertNotIn("WT5 luagrad: peak memory <= data + 10 MB", t)
        lg.times, lg.rss_kb = [0.08], 40 * 1024
        t = self.targets([lg, np_])
        self.assertEqual(t["WT5 luagrad no slower than NumPy"][1], "MISSED")
        self.assertEqual(t["WT5 luagrad peak memory below NumPy's"][1], "MISSED")
        t = self.targets([lg])
        self.assertEqual(t["WT5 luagrad no slower than NumPy"],
                         ("-", "not measured: no NumPy time"))

    def test_wt_tolerance(self):
        ref = result(w=2.0)
        self.assertTrue(lib.compare_results(ref, [result(w=2.0 * (1 + 5e-13))],
                                            lib.WORKLOAD_REL_TOL["WT5"]).startswith("ok"))
        self.assertTrue(lib.compare_results(ref, [result(w=2.0 * (1 + 5e-12))],
                                            lib.WORKLOAD_REL_TOL["WT6"]).startswith("DIFF"))

    def test_not_measured_says_why(self):
        b = lib.Impl("W1", "luagrad", base=True)
        b.error = "exit status 1: boom"
        m, v = self.targets([b])["W1 whole process < 5 ms"]
        self.assertEqual(v, "not measured: FAILED: exit status 1: boom")


ANNOTATED = """\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
237,628,383 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                   file:function
--------------------------------------------------------------------------------
234,147,708 (98.54%)  /work/main/bench/c/w2.c:main [/tmp/c_w2]
  2,500,000 ( 1.05%)  /work/main/bench/c/data.c:bench_data [/tmp/c_w2]

--------------------------------------------------------------------------------
-- Auto-annotated source: /work/main/bench/c/w2.c
--------------------------------------------------------------------------------
102,400,000 (43.09%)              double d = w * x[i] + b - y[i];
 51,200,000 (21.55%)              s += d * d;
          .                   }
    234,000 ( 0.10%)  => /work/main/bench/c/data.c:bench_data (1x)
--------------------------------------------------------------------------------
-- Auto-annotated source: /work/main/bench/c/data.c
--------------------------------------------------------------------------------
  2,000,000 ( 0.84%)          double xi = fmod((double)i * 0.6180339887498949, 1.0);
237,628,383 (100.0%)  events annotated
"""


class Callgrind(unittest.TestCase):
    def test_counts(self):
        self.assertEqual(lib.callgrind_count(ANNOTATED), 237628383)
        self.assertEqual(lib.callgrind_count(ANNOTATED, "main"), 234147708)
        self.assertEqual(lib.callgrind_count(ANNOTATED, "bench_data"), 2500000)
        self.assertEqual(lib.callgrind_count(ANNOTATED, "nothere"), 0)

    def test_hot_lines(self):
        hot = lib.callgrind_hot_lines(ANNOTATED, 0.005, 234147708, "bench/c/w2.c")
        self.assertEqual([t for _, t in hot], ["double d = w * x[i] + b - y[i];", "s += d * d;"])
        self.assertAlmostEqual(hot[0][0], 100 * 102400000 / 234147708)
        hot = lib.callgrind_hot_lines(ANNOTATED, 0.005, 234147708)
        self.assertEqual(len(hot), 3)  # data.c's line too; never "events annotated"

    def test_functions(self):
        inclusive = """\
37,014,797 (100.0%)  PROGRAM TOTALS
37,014,797 (100.0%)  /work/main/src/lib/fitlib.c:l_fit [/x/luagrad]
23,000,926 (62.14%)  /work/main/src/core/fit.c:fit_run [/x/luagrad]
14,001,905 (37.83%)  /work/main/src/lib/modellib.c:lib_check_model_data [/x/luagrad]
 1,000,000 ( 2.70%)  /work/main/src/core/mem.c:mem_alloc [/x/luagrad]
   500,000 ( 1.35%)  ???:lua_pcallk [/usr/lib/liblua5.4.so]
23,000,926 (62.14%)  => /work/main/src/core/fit.c:fit_run (1x)
"""
        got = lib.callgrind_functions(inclusive, 0.05, 37014797, "/src/")
        self.assertEqual([w for _, w in got],
                         ["lib/fitlib.c:l_fit", "core/fit.c:fit_run",
                          "lib/modellib.c:lib_check_model_data"])


if __name__ == "__main__":
    unittest.main()
