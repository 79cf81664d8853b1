"""The attnrank command line: output formats, exit codes and error messages.

Run: /usr/bin/python3 tests/cli/test_cli.py build/native/attnrank
"""
import json
import re
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

CLI = None
ROOT = Path(__file__).resolve().parents[2]
SCHEMA_KEYS = {
    "pattern", "kind", "feature_dimension", "n", "d", "input", "seed", "rope", "repeat", "scale", "precision",
    "numerical_rank_f64", "numerical_rank_f32", "effective_rank", "stable_rank", "energy_rank_99", "sigma_max",
    "sigma_min", "condition_number", "condition_number_is_lower_bound", "log_abs_det", "det_sign",
    "structurally_full_rank", "logits_rank", "singular_values", "log_abs_det_is_reliable",
    "accuracy_floor", "sigma_min_is_upper_bound",
}
RANK_STATS_KEYS = {
    "singular_values", "numerical_rank_f64", "numerical_rank_f32", "effective_rank", "stable_rank",
    "energy_rank_99", "sigma_max", "sigma_min", "sigma_min_is_upper_bound", "accuracy_floor", "condition_number",
    "condition_number_is_lower_bound", "log_abs_det", "det_sign", "log_abs_det_is_reliable", "structurally_full_rank",
}
ISSUE_13_CASE = ("--pattern", "forward", "--n", "64", "--d", "8", "--seed", "7")


def shortest(value):
    """Python's repr of a float is the shortest text that round-trips (as std::to_chars and JS String)."""
    return repr(float(value))


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

    def test_f32_has_no_f64_rank(self):
        # Issue 13: the f32 pipeline printed numerical_rank_f64 = 64 (float noise counted at f64 tolerance).
        f32 = json.loads(run("stats", *ISSUE_13_CASE, "--precision", "f32", "--json").stdout)
        self.assertIn("numerical_rank_f64", f32)
        self.assertIsNone(f32["numerical_rank_f64"])
        self.assertIsInstance(f32["numerical_rank_f32"], int)
        self.assertRegex(run("stats", *ISSUE_13_CASE, "--precision", "f32").stdout, r"numerical_rank_f64\s+n/a at f32\n")
        f64 = json.loads(run("stats", *ISSUE_13_CASE, "--json").stdout)
        self.assertEqual(f64["numerical_rank_f64"], 63)
        sweep = run("sweep", "--over", "n", "--values", "64", "--patterns", "forward", "--d", "8", "--seed", "7",
                    "--precision", "f32", "--csv").stdout.strip().split("\n")
        row = dict(zip(sweep[0].split(","), sweep[1].split(",")))
        self.assertEqual(row["numerical_rank_f64"], "")  # null is an empty cell

    def test_sigma_min_at_the_floor_is_the_floor_flagged(self):
        for precision, eps in (("f64", 2.0 ** -52), ("f32", 2.0 ** -23)):
            with self.subTest(precision=precision):
                result = json.loads(run("stats", *ISSUE_13_CASE, "--precision", precision, "--json").stdout)
                floor = result["sigma_max"] * 64 * eps
                self.assertAlmostEqual(result["accuracy_floor"], floor, delta=1e-15 * floor)
                self.assertLessEqual(result["singular_values"][-1], result["accuracy_floor"])  # raw value kept
                self.assertTrue(result["sigma_min_is_upper_bound"])
                self.assertEqual(result["sigma_min"], result["accuracy_floor"])
                table = run("stats", *ISSUE_13_CASE, "--precision", precision).stdout
                self.assertRegex(table, r"\nsigma_min\s+<= %.1e\n" % result["accuracy_floor"])
        resolved = json.loads(run("stats", "--pattern", "forward", "--n", "16", "--d", "8", "--scale", "0.5",
                                  "--json").stdout)
        self.assertFalse(resolved["sigma_min_is_upper_bound"])
        self.assertEqual(resolved["sigma_min"], resolved["singular_values"][-1])
        self.assertGreater(resolved["sigma_min"], resolved["accuracy_floor"])

    def test_json_numbers_are_shortest_round_trip(self):
        done = run("stats", "--pattern", "prefix", "--n", "24", "--d", "4", "--seed", "3", "--scale", "0.1", "--json")
        result = json.loads(done.stdout)
        self.assertIn('"scale":0.1,', done.stdout)  # not 0.10000000000000001
        for value in result["singular_values"] + [result["effective_rank"], result["sigma_min"]]:
            self.assertIn(shortest(value), done.stdout)

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
            self.assertEqual([p.name for p in Path(folder).iterdir()], ["a.npy"])  # no temporary left

    def test_a_failed_write_is_an_error_and_leaves_no_file(self):
        # /dev/full accepts the open and fails the write (at close for small outputs, once buffered).
        done = run("stats", "--n", "8", "--dump-matrix", "/dev/full")
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("/dev/full: write error (No space left on device)", done.stderr)
        with tempfile.TemporaryDirectory() as folder:
            for target, reason in ((Path(folder) / "missing" / "a.npy", "No such file or directory"),
                                   (Path(folder), "is a directory")):
                with self.subTest(target=target):
                    done = run("stats", "--n", "8", "--dump-matrix", str(target))
                    self.assertEqual(done.returncode, 2, done.stderr)
                    self.assertIn(f"{target}: ", done.stderr)
                    self.assertIn(reason, done.stderr)
            self.assertEqual(list(Path(folder).iterdir()), [])

    def test_output_lost_on_stdout_is_an_error(self):
        # The reason is known when the final flush fails; a longer output (help) fails at an earlier write.
        for args, message in ((("stats", "--n", "8", "--json"), "stdout (No space left on device)"),
                              (("help",), "cannot write the output to stdout")):
            with self.subTest(args=args), open("/dev/full", "w") as full:
                done = subprocess.run([CLI, *args], stdout=full, stderr=subprocess.PIPE, text=True)
                self.assertEqual(done.returncode, 1, done.stderr)
                self.assertIn(message, done.stderr)


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

    def test_csv_columns_are_the_stats_keys_and_numbers_round_trip(self):
        args = ("--over", "scale", "--values", "0.3,2.5", "--patterns", "bidirectional,window", "--n", "20",
                "--d", "4", "--seed", "11")
        lines = run("sweep", *args, "--csv").stdout.strip().split("\n")
        header = lines[0].split(",")
        scalar_keys = (SCHEMA_KEYS - {"singular_values"}) | {"prefix", "window", "feature", "features"}
        self.assertEqual(set(header), scalar_keys)
        results = json.loads(run("sweep", *args, "--json").stdout)["results"]
        rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
        self.assertEqual(len(rows), len(results))
        for row, result in zip(rows, results):
            for key in ("effective_rank", "stable_rank", "sigma_max", "sigma_min", "accuracy_floor",
                        "condition_number", "log_abs_det", "scale"):
                # The CSV cell reads back as exactly the JSON's double (6 digits did not: issue 13).
                self.assertEqual(float(row[key]), result[key], key)
                self.assertEqual(row[key], shortest(result[key]), key)

    def test_json_sweep_over_scale(self):
        done = run("sweep", "--over", "scale", "--values", "0.25,4", "--patterns", "bidirectional", "--n", "32",
                   "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        sweep = json.loads(done.stdout)
        self.assertEqual(sweep["over"], "scale")
        self.assertEqual([r["scale"] for r in sweep["results"]], [0.25, 4])
        # Effective rank of bidirectional softmax grows with the logit scale.
        self.assertLess(sweep["results"][0]["effective_rank"], sweep["results"][1]["effective_rank"])


class Collapse(unittest.TestCase):
    def test_json_has_one_run_per_pattern_and_variant(self):
        done = run("collapse", "--patterns", "bidirectional,forward,window", "--variants", "pure,skip", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        result = json.loads(done.stdout)
        self.assertEqual((result["n"], result["d_model"], result["layers"], result["window"]), (64, 8, 12, 4))
        runs = {(r["pattern"], r["variant"]): r for r in result["runs"]}
        self.assertEqual(len(runs), 6)
        for run_ in runs.values():
            for key in ("relative_residual", "composite_residual", "frobenius_norm", "path_residual",
                        "path_distance_to_token0", "random_path_residual", "random_path_distance_to_token0"):
                self.assertEqual(len(run_[key]), 13)
        last = {key: r["relative_residual"][-1] for key, r in runs.items()}
        # claims.md "Depth": bidirectional collapses, causal less, window w = 4 stays high; skip stops it.
        self.assertLess(last[("bidirectional", "pure")], 1e-8)
        self.assertLess(last[("bidirectional", "pure")], last[("forward", "pure")])
        self.assertLess(last[("forward", "pure")], 0.05)
        self.assertGreater(last[("window", "pure")], 0.5)
        self.assertGreater(last[("bidirectional", "skip")], 0.3)
        self.assertLess(runs[("forward", "pure")]["path_distance_to_token0"][-1], 0.05)
        self.assertNotIn("NaN", done.stdout)

    def test_csv_has_one_row_per_layer(self):
        done = run("collapse", "--patterns", "forward_backward", "--variants", "skip+mlp+layernorm", "--layers", "5",
                   "--csv")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.strip().split("\n")
        self.assertEqual(lines[0].split(",")[:3], ["pattern", "variant", "layer"])
        self.assertEqual(len(lines), 1 + 6)
        self.assertEqual([line.split(",")[2] for line in lines[1:]], ["0", "1", "2", "3", "4", "5"])
        run_ = json.loads(run("collapse", "--patterns", "forward_backward", "--variants", "skip+mlp+layernorm",
                              "--layers", "5", "--json").stdout)["runs"][0]
        header = lines[0].split(",")
        for layer, line in enumerate(lines[1:]):
            cells = dict(zip(header, line.split(",")))
            for key in header[3:]:
                self.assertEqual(float(cells[key]), run_[key][layer], key)  # round-trip digits

    def test_table_lists_every_default_pattern(self):
        done = run("collapse", "--variants", "pure")
        self.assertEqual(done.returncode, 0, done.stderr)
        for pattern in ("bidirectional", "prefix", "forward", "backward", "forward_backward", "window",
                        "forward_window"):
            self.assertRegex(done.stdout, r"\n" + pattern + r"\s+pure\s")

    def test_same_seed_same_output(self):
        args = ("collapse", "--patterns", "prefix", "--seed", "9", "--json")
        self.assertEqual(run(*args).stdout, run(*args).stdout)
        self.assertNotEqual(run(*args).stdout, run("collapse", "--patterns", "prefix", "--seed", "10", "--json").stdout)


class Mixture(unittest.TestCase):
    def test_json_heads_and_product(self):
        done = run("mixture", "--n", "32", "--d-model", "16", "--heads", "4", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        result = json.loads(done.stdout)
        self.assertEqual(result["d_head"], 4)
        self.assertEqual([h["direction"] for h in result["per_head"]], ["forward", "forward", "backward", "backward"])
        for head in result["per_head"]:
            self.assertTrue(head["is_triangular"])
            self.assertGreater(head["min_diagonal"], 0)
            self.assertTrue(head["stats"]["structurally_full_rank"])
        self.assertTrue(result["product"]["is_strictly_positive"])
        self.assertGreater(result["product"]["min_entry"], 0)
        self.assertGreater(result["split_head"]["min_entry"], 0)
        self.assertEqual(len(result["output"]["singular_values"]), 16)
        # Every stats object has the rank-statistics keys of `stats --json` (it had 9 of them: issue 13).
        for stats in [h["stats"] for h in result["per_head"]] + [result["product"]["stats"],
                                                                 result["split_head"]["stats"]]:
            self.assertEqual(set(stats), RANK_STATS_KEYS)

    def test_table(self):
        done = run("mixture")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("A_bwd A_fwd", done.stdout)
        self.assertIn("(all > 0)", done.stdout)


class Arch(unittest.TestCase):
    def test_json_small_configuration(self):
        done = run("arch", "--d-model", "4", "--layers", "2", "--heads", "2", "--d-ff", "8", "--vocab", "10",
                   "--n-in", "3", "--n-out", "2", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = {a["architecture"]: a for a in json.loads(done.stdout)["architectures"]}
        self.assertEqual((rows["gpt"]["parameters"], rows["unilm"]["parameters"], rows["t5"]["parameters"]),
                         (316, 316, 728))
        self.assertEqual((rows["gpt"]["flops"], rows["unilm"]["flops"], rows["t5"]["flops"]), (2528, 2624, 3936))
        csv = run("arch", "--n-in", "2048", "--csv").stdout.strip().split("\n")
        header = csv[0].split(",")
        json_rows = json.loads(run("arch", "--n-in", "2048", "--json").stdout)["architectures"]
        for line, row in zip(csv[1:], json_rows):
            cells = dict(zip(header, line.split(",")))
            self.assertEqual(float(cells["flops_per_token"]), row["flops_per_token"])  # round-trip digits

    def test_csv_and_table(self):
        csv = run("arch", "--csv").stdout.strip().split("\n")
        self.assertEqual([line.split(",")[0] for line in csv], ["architecture", "gpt", "unilm", "t5"])
        self.assertRegex(run("arch").stdout, r"\nt5\s+\d+")


class Permutation(unittest.TestCase):
    def test_bidirectional_is_equivariant_causal_is_not(self):
        done = run("permutation", "--patterns", "bidirectional,forward,window", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = {r["pattern"]: r for r in json.loads(done.stdout)["results"]}
        self.assertTrue(rows["bidirectional"]["is_equivariant"])
        self.assertLess(rows["bidirectional"]["relative_deviation"], 1e-12)
        for pattern in ("forward", "window"):
            self.assertFalse(rows[pattern]["is_equivariant"])
            self.assertGreater(rows[pattern]["relative_deviation"], 1e-3)
        self.assertIn("equivariant", run("permutation").stdout)


class Claims(unittest.TestCase):
    def test_json_has_every_claim_and_the_c4_flip(self):
        verdicts = {}
        for scale in ("0.25", "4"):
            done = run("claims", "--n", "64", "--d", "8", "--seed", "7", "--scale", scale, "--json")
            self.assertEqual(done.returncode, 0, done.stderr)
            claims = json.loads(done.stdout)["claims"]
            self.assertEqual([c["id"] for c in claims], [f"C{i}" for i in range(1, 18)])
            for claim in claims:
                self.assertIn(claim["tag"], ("exact", "numerical", "anecdotal", "conjecture"))
                self.assertTrue(claim["source_en"])
                self.assertTrue(claim["source_zh"])
                self.assertIn(claim["verdict"]["status"], ("holds", "fails", "partly", "no_verdict"))
                for fact in claim["verdict"]["facts"]:
                    self.assertEqual(set(fact), {"key", "label_en", "label_zh", "value", "format"})
            verdicts[scale] = {c["id"]: c["verdict"] for c in claims}
        self.assertEqual(verdicts["0.25"]["C4"]["status"], "holds")
        self.assertEqual(verdicts["4"]["C4"]["status"], "partly")

    def test_one_line_per_claim_in_either_language(self):
        english = run("claims", "--seed", "7").stdout.strip().split("\n")
        self.assertEqual([line.split()[0] for line in english], [f"C{i}" for i in range(1, 18)])
        self.assertRegex(english[3], r"^C4\s+exact\s+partly")
        self.assertIn("浮点下数值秩 = n", run("claims", "--seed", "7", "--lang", "zh").stdout)


class BadInput(unittest.TestCase):
    CASES = [
        (("stats", "--pattern", "prefix", "--n", "8", "--prefix", "9"), "prefix=9"),
        (("stats", "--pattern", "diagonal"), "pattern=diagonal is unknown"),
        (("stats", "--n", "0"), "n=0"),
        (("stats", "--n", "abc"), 'n="abc" must be an integer number (got string)'),
        (("stats", "--n", "2.5"), "n=2.5 must be an integer"),
        (("stats", "--scale", "x"), 'scale="x" must be a number (got string)'),
        (("stats", "--rope=maybe"), 'rope="maybe" must be a boolean (got string)'),
        (("stats", "--d", "0"), "d=0"),
        (("stats", "--scale", "nan"), "scale=nan"),
        (("stats", "--scale", "inf"), "scale=inf"),
        (("stats", "--scale", "1e400"), "scale=1e400 must be finite"),  # the user's text, not "inf"
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
        (("sweep", "--over", "x", "--values", "1"), "sweep_over=x is unknown (expected one of: scale, n, d)"),
        (("sweep", "--over", "n", "--values", "8,,9"), "empty item"),
        (("sweep", "--over", "n", "--values", "8,99999"), "n=99999"),
        (("frobnicate",), "unknown command 'frobnicate'"),
        (("frob\x1b]0;title\x07",), "unknown command 'frob\\x1B]0;title\\x07'"),  # escapes are shown, not run
        (("stats", "--\x1b[2J", "1"), "unknown option --\\x1B[2J"),
        (("collapse", "--layers", "0"), "layers=0 must be in [1, 1024]"),
        (("collapse", "--patterns", "diagonal"), "pattern=diagonal is unknown"),
        (("collapse", "--variants", "skip+dropout"), "variant=skip+dropout is unknown"),
        (("collapse", "--d-k", "0"), "d_k=0 must be in [1, 65536]"),
        (("collapse", "--prefix", "-1", "--patterns", "prefix"), "prefix=-1 must be >= 0"),
        (("collapse", "--window", "65"), "window=65 exceeds n=64"),
        (("collapse", "--json", "--csv"), "--json and --csv exclude each other"),
        (("collapse", "--scale", "inf"), "scale=inf"),
        (("mixture", "--heads", "3", "--d-model", "12"), "heads=3 must be even"),
        (("mixture", "--d-model", "10", "--heads", "4"), "d_model=10 must be a multiple of heads=4"),
        (("mixture", "--csv"), "unknown option --csv"),
        (("arch", "--heads", "3"), "d_model=512 must be a multiple of heads=3"),
        (("arch", "--vocab", "0"), "vocab=0 must be in [1, 16777216]"),
        (("arch", "--n-in", "x"), 'n_in="x" must be an integer number (got string)'),
        (("permutation", "--patterns", "custom"), "pattern=custom is not available"),
        (("permutation", "--d-model", "0"), "d_model=0 must be in [1, 65536]"),
        (("claims", "--n", "0"), "n=0 must be in [1, 4096]"),
        (("claims", "--lang", "fr"), "lang=fr is unknown (expected one of: en, zh)"),
        (("claims", "--dump-matrix", "a.npy"), "--dump-matrix is not available for claims"),
    ]

    def test_each_bad_input_exits_2_with_a_message(self):
        for args, message in self.CASES:
            with self.subTest(args=args):
                done = run(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(message, done.stderr)
                self.assertEqual(done.stdout, "")

    def test_any_finite_scale_is_computed(self):
        # The contract: s is any finite number. 1e307 and -1e308 (the logits' rank needs no scaled logits)
        # and subnormal or underflowing text, read to the nearest double as JavaScript's Number() reads it.
        for scale, logits_rank in (("1e307", 8), ("-1e308", 8), ("1e-310", 8), ("1e-330", 0)):
            with self.subTest(scale=scale):
                done = run("stats", "--pattern", "forward", "--scale", scale, "--json")
                self.assertEqual(done.returncode, 0, done.stderr)
                result = json.loads(done.stdout)
                self.assertEqual(result["logits_rank"], logits_rank)
                self.assertEqual(result["scale"], float(scale))

    def test_input_files_are_checked_from_their_header_before_the_data_is_read(self):
        # Issue 16 item 6: a header declaring a shape beyond the limits is refused by that shape (the file
        # holds no data: reading it first would have said "truncated"); special files and directories by
        # name; a wrong length with the .npy reader's words; a request over --memory-limit before loading.
        with tempfile.TemporaryDirectory() as folder:
            def npy(name, shape, data=b""):
                header = "{'descr': '<f8', 'fortran_order': False, 'shape': %s, }" % (shape,)
                header += " " * (63 - (10 + len(header)) % 64) + "\n"
                path = Path(folder) / name
                path.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data)
                return str(path)

            ok = npy("ok.npy", (4, 2), struct.pack("<8d", *range(1, 9)))
            cases = [
                ((npy("rows.npy", (1 << 40, 2)),) * 2, "q rows (n)=1099511627776 must be in [1, 4096]"),
                ((npy("columns.npy", (8, 32768)),) * 2, "q columns (d)=32768 must be in [1, 1024]"),
                (("/dev/zero", "/dev/zero"), "/dev/zero: is not a regular file"),
                ((folder, folder), f"{folder}: is a directory"),
                ((npy("short.npy", (4, 2), b"\0" * 60),) * 2, "data is truncated: shape (4, 2) of '<f8' needs 64 bytes, file has 60"),
                ((npy("long.npy", (4, 2), b"\0" * 72),) * 2, "data length 72 bytes does not match shape (4, 2)"),
            ]
            for (q, k), message in cases:
                with self.subTest(q=q):
                    done = run("stats", "--q", q, "--k", k)
                    self.assertEqual(done.returncode, 2, done.stderr)
                    self.assertIn(message, done.stderr)
            big = npy("big.npy", (4096, 1024), b"\0" * 8)  # 8 bytes of the 32 MiB the header declares
            done = run("stats", "--q", big, "--k", big, "--memory-limit", "64")
            self.assertEqual(done.returncode, 2, done.stderr)
            self.assertIn("n=4096, d=1024 (softmax, f64) needs ~", done.stderr)
            done = run("stats", "--q", ok, "--k", ok, "--json")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(json.loads(done.stdout)["n"], 4)

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
        for line in ("layers 1 1024", "heads 1 4096", "d_model 1 65536", "vocab 1 16777216"):
            self.assertIn(line, done.stdout)



def usage_options():
    """The options section of `attnrank help` (written from the core's parameter registry): flag -> (type, range
    or choices, default, {command: default})."""
    text = run("help").stdout
    section = text.split("options (from the core's parameter registry", 1)[1].split("\nmemory:", 1)[0]
    options = {}
    for line in section.split("\n")[1:]:
        if not line.strip():
            continue
        head, commands = line.rsplit("; ", 1)
        flag, description = head.strip().split(None, 1)
        per_command = {}
        for entry in commands.split(", "):
            name, _, value = entry.partition(" ")
            per_command[name] = value
        default = description.split(", default ", 1)[1] if ", default " in description else ""
        options[flag] = (description, default, per_command)
    return options


class ParameterRegistry(unittest.TestCase):
    """The CLI's options, their defaults and the usage text all come from the core's parameter registry."""

    def test_every_option_of_the_synopsis_is_in_the_registry_and_back(self):
        text = run("help").stdout
        options = usage_options()
        head, rest = text.split("\noptions (from the core's parameter registry", 1)
        synopsis = head + rest.split("\nmemory:", 1)[1]  # every line but the options section
        # attnrank train reads the lab's options itself (not yet through the registry): its block is left out.
        synopsis = re.sub(r"\n  attnrank train .*?(?=\n  attnrank )", "", synopsis, flags=re.S)
        named = set(re.findall(r"--([a-z][a-z-]*)", synopsis))
        self.assertEqual({"--" + flag for flag in named} - set(options), set())
        self.assertEqual(set(options) - {"--" + flag for flag in named}, set())
        self.assertIn("integer in [1, 4096], default 64", options["--n"][0])
        self.assertEqual(options["--d-model"][2], {"collapse": "", "mixture": "64", "arch": "512", "permutation": ""})

    def test_the_commands_use_the_registry_defaults(self):
        options = usage_options()

        def default(flag, command):
            return options["--" + flag][2].get(command) or options["--" + flag][1]

        stats = json.loads(run("stats", "--json").stdout)
        for flag in ("n", "d", "seed", "repeat"):
            self.assertEqual(str(stats[flag]), default(flag, "stats"), flag)
        for flag in ("pattern", "kind", "precision"):
            self.assertEqual(stats[flag], default(flag, "stats"), flag)
        self.assertEqual(float(stats["scale"]), float(default("scale", "stats")))
        mixture = json.loads(run("mixture", "--n", "8", "--json").stdout)
        for flag, key in (("d-model", "d_model"), ("heads", "heads"), ("seed", "seed")):
            self.assertEqual(str(mixture[key]), default(flag, "mixture"), flag)
        arch = json.loads(run("arch", "--json").stdout)
        for flag, key in (("d-model", "d_model"), ("layers", "layers"), ("heads", "heads"), ("d-ff", "d_ff"),
                          ("vocab", "vocab"), ("n-in", "n_in"), ("n-out", "n_out")):
            self.assertEqual(str(arch[key]), default(flag, "arch"), flag)
        collapse = json.loads(run("collapse", "--n", "8", "--patterns", "forward", "--variants", "pure",
                                  "--json").stdout)
        for flag, key in (("d-model", "d_model"), ("layers", "layers"), ("seed", "seed")):
            self.assertEqual(str(collapse[key]), default(flag, "collapse"), flag)
        permutation = json.loads(run("permutation", "--n", "8", "--patterns", "forward", "--json").stdout)
        self.assertEqual(str(permutation["d_model"]), default("d-model", "permutation"))


class PatternLists(unittest.TestCase):
    """The pattern lists the CLI prints and defaults to, all read from the core's pattern registry."""
    ALL = ["bidirectional", "prefix", "forward", "backward", "window", "forward_window"]

    def test_usage_lists_the_patterns(self):
        done = run("help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("\npatterns: " + ", ".join(self.ALL) + "\n", done.stdout)
        self.assertNotIn("{patterns}", done.stdout)

    def test_default_lists(self):
        sweep = json.loads(run("sweep", "--over", "n", "--values", "8", "--json").stdout)
        self.assertEqual([r["pattern"] for r in sweep["results"]], self.ALL[:4])
        permutation = json.loads(run("permutation", "--n", "8", "--json").stdout)
        self.assertEqual([r["pattern"] for r in permutation["results"]], self.ALL)
        collapse = json.loads(run("collapse", "--n", "8", "--layers", "2", "--variants", "pure", "--json").stdout)
        self.assertEqual([r["pattern"] for r in collapse["runs"]],
                         self.ALL[:4] + ["forward_backward"] + self.ALL[4:])

    def test_a_per_layer_list_runs_as_the_named_schedule(self):
        args = ("collapse", "--n", "16", "--layers", "5", "--variants", "pure", "--json", "--patterns")
        named = json.loads(run(*args, "forward_backward").stdout)["runs"][0]
        listed = json.loads(run(*args, "forward+backward").stdout)["runs"][0]
        self.assertEqual(listed["pattern"], "forward+backward")
        self.assertEqual(listed["relative_residual"], named["relative_residual"])
        three = json.loads(run(*args, "forward+backward+window").stdout)["runs"][0]
        self.assertNotEqual(three["relative_residual"], named["relative_residual"])

    def test_unknown_names_list_the_registry(self):
        done = run("stats", "--pattern", "sideways")
        self.assertEqual(done.returncode, 2)
        self.assertIn("pattern=sideways is unknown (expected one of: " + ", ".join(self.ALL) + ", custom)", done.stderr)
        done = run("collapse", "--patterns", "custom")
        self.assertEqual(done.returncode, 2)
        self.assertIn("pattern=custom is unknown (expected one of: bidirectional, prefix, forward, backward, "
                      "forward_backward, window, forward_window)", done.stderr)


class Schema(unittest.TestCase):
    """docs/result-schema.md and web/state/result-fields.mjs are generated from the core (scripts/generate-schema.sh)."""

    def test_the_committed_doc_is_what_the_core_writes(self):
        done = run("schema")
        self.assertEqual(done.returncode, 0, done.stderr)
        committed = (ROOT / "docs" / "result-schema.md").read_text(encoding="utf-8")
        self.assertEqual(committed, done.stdout,
                         "docs/result-schema.md differs from `attnrank schema`: run scripts/generate-schema.sh")

    def test_the_pages_field_list_is_what_the_core_writes(self):
        done = run("schema", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        text = (ROOT / "web" / "state" / "result-fields.mjs").read_text(encoding="utf-8")
        declaration = "export const resultFields = "
        committed = json.loads(text[text.index(declaration) + len(declaration):].rstrip().rstrip(";"))
        self.assertEqual(committed, json.loads(done.stdout),
                         "web/state/result-fields.mjs differs from `attnrank schema --json`: run scripts/generate-schema.sh")

    def test_each_field_has_a_type_and_a_one_line_meaning(self):
        schemas = json.loads(run("schema", "--json").stdout)["results"]
        self.assertLessEqual({"analysis", "sweep", "mixture", "collapse", "collapse_runs", "architectures", "permutation",
                              "permutation_runs", "claims", "patterns"}, {s["name"] for s in schemas})

        def check(fields, where):
            for field in fields:
                self.assertTrue(field["type"] and field["meaning"] and "\n" not in field["meaning"], f"{where}{field['key']}")
                check(field["fields"], f"{where}{field['key']}.")
        for schema in schemas:
            check(schema["fields"], schema["name"] + ": ")

    def test_sweep_columns_are_the_analysis_scalar_keys_in_order(self):
        analysis = json.loads(run("schema", "--json").stdout)["results"][0]
        header = run("sweep", "--over", "n", "--values", "8", "--patterns", "forward", "--csv").stdout.split("\n")[0]
        self.assertEqual(header.split(","), analysis["scalar_keys"])
        stats = json.loads(run("stats", "--pattern", "prefix", "--kind", "linear", "--feature", "favor", "--n", "8",
                               "--features", "4", "--json").stdout)
        self.assertEqual([key for key in stats if key in analysis["scalar_keys"]],
                         [key for key in analysis["scalar_keys"] if key in stats])
        self.assertEqual([f["key"] for f in analysis["fields"] if f["key"] in stats], list(stats))

    def test_csv_headers_are_the_described_keys(self):
        schemas = {s["name"]: s for s in json.loads(run("schema", "--json").stdout)["results"]}
        collapse = run("collapse", "--n", "8", "--layers", "2", "--variants", "pure", "--patterns", "forward", "--csv")
        self.assertEqual(collapse.stdout.split("\n")[0].split(","), [f["key"] for f in schemas["collapse_layers"]["fields"]])
        arch = run("arch", "--csv").stdout.split("\n")[0].split(",")
        entry = next(f for f in schemas["architectures"]["fields"] if f["key"] == "architectures")
        self.assertEqual(arch, [f["key"] for f in entry["fields"]])

    def test_every_key_the_cli_prints_is_described(self):
        # Every key of every command's --json, at every level, is a row of its result's table; no row the
        # CLI prints is wasm only. (Before the sweep's wrapper was in the core, {over, values, results} was
        # written by hand in sweep_command.cpp and described nowhere.)
        schemas = {s["name"]: s for s in json.loads(run("schema", "--json").stdout)["results"]}
        commands = {
            "analysis": ("stats", "--pattern", "prefix", "--n", "12", "--d", "3", "--precision", "f32"),
            "sweep": ("sweep", "--over", "scale", "--values", "0.5,4", "--patterns", "window,forward", "--n", "10"),
            "mixture": ("mixture", "--n", "8", "--d-model", "8", "--heads", "2"),
            "collapse_runs": ("collapse", "--n", "8", "--layers", "2", "--patterns", "prefix,forward_backward"),
            "architectures": ("arch",),
            "permutation_runs": ("permutation", "--n", "8", "--patterns", "window,backward"),
            "claims": ("claims", "--n", "16", "--d", "4"),
            "result_fields": ("schema",),
        }

        def check(tree, fields, where):
            described = {f["key"]: f for f in fields}
            for key, value in tree.items():
                self.assertIn(key, described, f"{where}{key} is in the output but in no table")
                field = described[key]
                self.assertFalse(field.get("wasm_only", False), f"{where}{key} is wasm only")
                if not field["fields"]:
                    continue
                for item in value if isinstance(value, list) else [value]:
                    check(item, field["fields"], f"{where}{key}.")

        for name, args in commands.items():
            done = run(*args, "--json")
            self.assertEqual(done.returncode, 0, done.stderr)
            tree = json.loads(done.stdout)
            for item in tree["results"] if name == "result_fields" else [tree]:
                check(item, schemas[name]["fields"], f"{' '.join(args)}: ")

    def test_options_are_refused(self):
        done = run("schema", "--csv")
        self.assertEqual(done.returncode, 2)
        self.assertIn("schema takes no option but --json", done.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_cli.py PATH/TO/attnrank")
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
