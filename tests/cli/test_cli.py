"""The attnrank command line: output formats, exit codes and error messages.

Run: /usr/bin/python3 tests/cli/test_cli.py build/native/attnrank
"""
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

CLI = None
SCHEMA_KEYS = {
    "pattern", "kind", "feature_dimension", "n", "d", "input", "seed", "rope", "repeat", "scale", "precision",
    "numerical_rank_f64", "numerical_rank_f32", "effective_rank", "stable_rank", "energy_rank_99", "sigma_max",
    "sigma_min", "condition_number", "condition_number_is_lower_bound", "log_abs_det", "det_sign",
    "structurally_full_rank", "logits_rank", "singular_values", "log_abs_det_is_reliable",
}


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


class Stats(unittest.TestCase):
    def test_json_has_the_schema_keys(self):
        done = run("stats", "--pattern", "forward", "--n", "64", "--d", "8", "--seed", "7", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        result = json.loads(done.stdout)
        self.assertEqual(set(result), SCHEMA_KEYS)
        self.assertEqual(result["pattern"], "forward")
        self.assertTrue(result["structurally_full_rank"])
        self.assertEqual(len(result["singular_values"]), 64)
        self.assertEqual(result["singular_values"], sorted(result["singular_values"], reverse=True))
        self.assertNotIn("NaN", done.stdout)
        self.assertNotIn("Infinity", done.stdout)

    def test_optional_keys_appear_with_their_pattern_and_kind(self):
        prefix = json.loads(run("stats", "--pattern", "prefix", "--n", "10", "--json").stdout)
        self.assertEqual(prefix["prefix"], 5)  # default n / 2
        window = json.loads(run("stats", "--pattern", "window", "--window", "3", "--n", "10", "--json").stdout)
        self.assertEqual(window["window"], 3)
        favor = json.loads(run("stats", "--kind", "linear", "--feature", "favor", "--features", "16",
                               "--n", "32", "--json").stdout)
        self.assertEqual((favor["feature"], favor["features"], favor["feature_dimension"]), ("favor", 16, 16))

    def test_table_output_is_readable(self):
        done = run("stats", "--pattern", "backward", "--n", "16", "--d", "4")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout, r"structurally_full_rank\s+true")
        self.assertIn("singular_values", done.stdout)

    def test_same_seed_same_output(self):
        args = ("stats", "--pattern", "prefix", "--n", "24", "--seed", "5", "--rope", "--repeat", "4", "--json")
        self.assertEqual(run(*args).stdout, run(*args).stdout)

    def test_dump_matrix_writes_npy(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "a.npy"
            done = run("stats", "--pattern", "forward", "--n", "8", "--dump-matrix", str(path))
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(path.read_bytes()[:6], b"\x93NUMPY")


class Sweep(unittest.TestCase):
    def test_csv_has_one_row_per_value_and_pattern(self):
        done = run("sweep", "--over", "n", "--values", "8,16", "--patterns", "forward,prefix", "--csv")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.strip().split("\n")
        header = lines[0].split(",")
        self.assertEqual(len(lines), 1 + 4)
        self.assertIn("numerical_rank_f64", header)
        rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
        self.assertEqual([r["n"] for r in rows], ["8", "8", "16", "16"])
        self.assertEqual([r["prefix"] for r in rows], ["", "4", "", "8"])  # default p = n / 2 follows n

    def test_json_sweep_over_scale(self):
        done = run("sweep", "--over", "scale", "--values", "0.25,4", "--patterns", "bidirectional", "--n", "32",
                   "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        sweep = json.loads(done.stdout)
        self.assertEqual(sweep["over"], "scale")
        self.assertEqual([r["scale"] for r in sweep["results"]], [0.25, 4])
        # Effective rank of bidirectional softmax grows with the logit scale.
        self.assertLess(sweep["results"][0]["effective_rank"], sweep["results"][1]["effective_rank"])


class BadInput(unittest.TestCase):
    CASES = [
        (("stats", "--pattern", "prefix", "--n", "8", "--prefix", "9"), "prefix=9"),
        (("stats", "--pattern", "diagonal"), "pattern=diagonal is unknown"),
        (("stats", "--n", "0"), "n=0"),
        (("stats", "--n", "abc"), "n=abc is not an integer"),
        (("stats", "--d", "0"), "d=0"),
        (("stats", "--scale", "nan"), "scale=nan"),
        (("stats", "--scale", "inf"), "scale=inf"),
        (("stats", "--kind", "quadratic"), "kind=quadratic is unknown"),
        (("stats", "--feature", "tanh", "--kind", "linear"), "feature=tanh is unknown"),
        (("stats", "--precision", "f16"), "precision=f16 is unknown"),
        (("stats", "--seed", "-1"), "seed=-1"),
        (("stats", "--window", "0", "--pattern", "window"), "window=0"),
        (("stats", "--bogus", "1"), "unknown option --bogus"),
        (("stats", "--n"), "--n needs a value"),
        (("stats", "--q", "/nonexistent.npy", "--k", "/nonexistent.npy"), "/nonexistent.npy: cannot open file"),
        (("stats", "--q", "x.npy"), "--q and --k must be given together"),
        (("sweep", "--values", "1,2"), "--over is required"),
        (("sweep", "--over", "x", "--values", "1"), "over=x is unknown"),
        (("sweep", "--over", "n", "--values", "8,,9"), "empty item"),
        (("sweep", "--over", "n", "--values", "8,99999"), "n=99999"),
        (("frobnicate",), "unknown command 'frobnicate'"),
    ]

    def test_each_bad_input_exits_2_with_a_message(self):
        for args, message in self.CASES:
            with self.subTest(args=args):
                done = run(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(message, done.stderr)
                self.assertEqual(done.stdout, "")

    def test_relu_zero_row_is_a_reported_numerical_failure(self):
        # With relu features some row can sum to 0; search seeds until one does, the CLI must exit 1.
        for seed in range(200):
            done = run("stats", "--kind", "linear", "--feature", "relu", "--pattern", "forward", "--n", "16",
                       "--d", "1", "--seed", str(seed), "--json")
            if done.returncode != 0:
                self.assertEqual(done.returncode, 1)
                self.assertIn("sums to 0", done.stderr)
                return
        self.fail("no seed produced a zero row with relu features and d = 1")

    def test_limits_lists_the_core_table(self):
        done = run("limits")
        self.assertEqual(done.returncode, 0)
        self.assertIn("n 1 4096", done.stdout)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_cli.py PATH/TO/attnrank")
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
