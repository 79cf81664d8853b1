"""The attnrank commands' outputs: stats, sweep, collapse, mixture, arch, permutation, claims."""
import json
import subprocess
import tempfile
import unittest
from pathlib import Path

import cli_common
from cli_common import CONDITIONAL_KEYS, SCHEMA_KEYS, RANK_STATS_KEYS, ISSUE_13_CASE, shortest, run


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
                done = subprocess.run([cli_common.CLI, *args], stdout=full, stderr=subprocess.PIPE, text=True)
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
        scalar_keys = (SCHEMA_KEYS - {"singular_values"}) | CONDITIONAL_KEYS
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
