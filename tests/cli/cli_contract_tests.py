"""The attnrank contract: bad inputs, limits, the parameter and pattern registries in the usage, the schema."""
import json
import re
import struct
import tempfile
import unittest
from pathlib import Path

from cli_common import ROOT, run


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
        # "default 8, default mixture: d_model / heads": the default, then a note on a derived one (d).
        default = description.split(", default ", 2)[1] if ", default " in description else ""
        options[flag] = (description, default, per_command)
    return options


class ParameterRegistry(unittest.TestCase):
    """The CLI's options, their defaults and the usage text all come from the core's parameter registry."""

    def test_every_option_of_the_synopsis_is_in_the_registry_and_back(self):
        text = run("help").stdout
        options = usage_options()
        head, rest = text.split("\noptions (from the core's parameter registry", 1)
        synopsis = head + rest.split("\nmemory:", 1)[1]  # every line but the options section
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
