"""`attnrank train`: records (JSONL keys, CSV rows), determinism, save/load continuation, the section 7 dump
(files, dtypes, shapes read from the .npy headers), grids and bad inputs. Tiny runs (copy, n = 13): seconds.

Run: /usr/bin/python3 tests/cli/test_train.py build/native/attnrank
"""
import ast
import json
import re
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

CLI = None
TINY = ("--task", "copy", "--n", "13", "--max-length", "6", "--min-length", "2", "--symbols", "6", "--width", "16",
        "--heads", "2", "--layers", "2", "--batch", "4", "--checkpoint-every", "4", "--heldout-batches", "1",
        "--learning-rate", "3e-3", "--quiet")
RECORD_KEYS = ["task", "config", "masks", "attention", "objective", "seed", "run", "steps", "batch", "step",
               "learning_rate", "train_loss", "heldout_loss", "heldout_accuracy", "baseline", "permutation_error",
               "heads"]
HEAD_KEYS = ["layer", "head", "pattern", "attention", "numerical_rank_f64", "numerical_rank_f32", "effective_rank",
             "stable_rank", "energy_rank_99", "sigma_max", "sigma_min", "sigma_min_is_upper_bound", "accuracy_floor",
             "condition_number", "condition_number_is_lower_bound", "log_abs_det", "det_sign",
             "log_abs_det_is_reliable", "structurally_full_rank"]


def run(*args):
    return subprocess.run([CLI, "train", *args], capture_output=True, text=True)


def replaced(base, extra):
    """base's options with those named in extra taken from extra (flags in base kept)."""
    names = {a for a in extra if a.startswith("--")}
    out, i = [], 0
    while i < len(base):
        if base[i] in names:
            i += 2
            continue
        out.append(base[i])
        i += 1
    return out + list(extra)


def run_bytes(*args):
    return subprocess.run([CLI, "train", *args], capture_output=True)


def npy_header(path):
    """(descr, fortran_order, shape, payload bytes) of a .npy file, read with the format's own rules."""
    data = Path(path).read_bytes()
    assert data[:6] == b"\x93NUMPY", path
    major = data[6]
    length, start = (struct.unpack("<H", data[8:10])[0], 10) if major == 1 else (struct.unpack("<I", data[8:12])[0], 12)
    header = ast.literal_eval(data[start:start + length].decode("latin1"))
    return header["descr"], header["fortran_order"], header["shape"], data[start + length:]


class Records(unittest.TestCase):
    def test_jsonl_keys_one_line_per_checkpoint(self):
        done = run(*TINY, "--steps", "8", "--masks", "mix-heads", "--attention", "softmax/linear")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        self.assertEqual([r["step"] for r in lines], [0, 4, 8])
        for record in lines:
            self.assertEqual(list(record), RECORD_KEYS)
            self.assertEqual(len(record["heads"]), 4)
            for head in record["heads"]:
                self.assertEqual(list(head), HEAD_KEYS)
        self.assertIsNone(lines[0]["train_loss"])
        self.assertIsInstance(lines[2]["train_loss"], float)
        self.assertEqual(lines[2]["config"], "mix-heads:softmax/linear")
        self.assertEqual([h["pattern"] for h in lines[2]["heads"]], ["forward", "backward"] * 2)
        self.assertEqual([h["attention"] for h in lines[2]["heads"]], ["softmax", "linear"] * 2)
        self.assertIsInstance(lines[2]["heldout_accuracy"], float)  # copy is an accuracy task

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        first = run_bytes(*TINY, "--steps", "8", "--seed", "3")
        second = run_bytes(*TINY, "--steps", "8", "--seed", "3")
        other = run_bytes(*TINY, "--steps", "8", "--seed", "4")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(first.stdout, second.stdout)
        self.assertNotEqual(first.stdout, other.stdout)

    def test_progress_goes_to_stderr_with_speed(self):
        args = [a for a in TINY if a != "--quiet"]
        done = run(*args, "--steps", "4")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stderr, r"train copy forward:softmax seed 1: step 4/4 train \S+ held-out \S+ acc \S+ \| [0-9.]+ steps/s")
        self.assertEqual(len(done.stdout.splitlines()), 2)

    def test_csv_one_row_per_checkpoint_and_head(self):
        done = run(*TINY, "--steps", "4", "--format", "csv")
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = done.stdout.strip().split("\n")
        header = rows[0].split(",")
        self.assertEqual(header, RECORD_KEYS[:-1] + HEAD_KEYS)
        self.assertEqual(len(rows), 1 + 2 * 4)  # checkpoints 0 and 4, four heads
        first = dict(zip(header, rows[1].split(",")))
        self.assertEqual(first["train_loss"], "")  # null is an empty cell
        self.assertEqual(first["step"], "0")

    def test_grid_runs_every_config_and_seed(self):
        done = run(*TINY, "--steps", "4", "--configs", "forward:softmax,prefix:linear", "--seeds", "1,2")
        self.assertEqual(done.returncode, 0, done.stderr)
        runs = [(r["config"], r["seed"]) for r in map(json.loads, done.stdout.splitlines()) if r["step"] == 4]
        self.assertEqual(runs, [("forward:softmax", 1), ("forward:softmax", 2), ("prefix:linear", 1),
                                ("prefix:linear", 2)])
        # The grid's run of seed 2 is the single run of seed 2.
        single = run(*TINY, "--steps", "4", "--masks", "prefix", "--attention", "linear", "--seed", "2")
        self.assertIn(single.stdout, done.stdout)

    def test_permutation_error_only_for_an_equivariant_model(self):
        free = run(*TINY, "--steps", "4", "--masks", "bidirectional", "--positions", "none")
        self.assertEqual(free.returncode, 0, free.stderr)
        for record in map(json.loads, free.stdout.splitlines()):
            self.assertLess(record["permutation_error"], 1e-5)  # rounding only (section 5)
        causal = run(*TINY, "--steps", "4", "--positions", "none")
        self.assertIsNone(json.loads(causal.stdout.splitlines()[-1])["permutation_error"])

    def test_list_configs_is_section_3s_comparison(self):
        done = run("--task", "copy", "--configs", "task", "--list-configs")
        self.assertEqual(done.stdout.split(), ["forward:softmax", "prefix:softmax", "forward:linear", "prefix:linear"])
        self.assertEqual(run("--task", "mqar", "--configs", "task", "--list-configs").stdout.split(),
                         ["forward:softmax", "forward:linear"])


class SaveLoad(unittest.TestCase):
    def test_k_steps_save_load_k_steps_is_2k_steps(self):
        with tempfile.TemporaryDirectory() as folder:
            whole, half, resumed = (str(Path(folder) / name) for name in ("whole.bin", "half.bin", "resumed.bin"))
            straight = run(*TINY, "--steps", "8", "--save", whole)
            self.assertEqual(straight.returncode, 0, straight.stderr)
            first = run(*TINY, "--steps", "8", "--stop-after", "4", "--save", half)
            self.assertEqual(first.returncode, 0, first.stderr)
            second = run(*TINY, "--steps", "8", "--load", half, "--save", resumed)
            self.assertEqual(second.returncode, 0, second.stderr)
            self.assertEqual(Path(whole).read_bytes(), Path(resumed).read_bytes())
            self.assertNotEqual(Path(whole).read_bytes(), Path(half).read_bytes())
            last = straight.stdout.splitlines()[-1]
            self.assertEqual(second.stdout.splitlines()[-1], last)  # the step-8 record, byte for byte
            self.assertEqual(json.loads(second.stdout.splitlines()[0])["step"], 4)

    def test_stop_after_between_checkpoints_keeps_a_record_of_the_stop(self):
        """Issue 15 item 7: a run stopped between checkpoints records one at the step it stopped at, the
        record a run checkpointing every 2 steps makes at that step, byte for byte; on a checkpoint, none more."""
        stopped = run(*TINY, "--steps", "8", "--stop-after", "6")
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        lines = stopped.stdout.splitlines()
        self.assertEqual([json.loads(line)["step"] for line in lines], [0, 4, 6])
        self.assertIsNotNone(json.loads(lines[-1])["train_loss"])
        dense = run(*replaced(TINY, ("--checkpoint-every", "2")), "--steps", "8")
        self.assertEqual(dense.returncode, 0, dense.stderr)
        self.assertEqual(lines[-1], dense.stdout.splitlines()[3])  # steps 0, 2, 4, 6
        on_checkpoint = run(*TINY, "--steps", "8", "--stop-after", "4")
        self.assertEqual([json.loads(line)["step"] for line in on_checkpoint.stdout.splitlines()], [0, 4])

    def test_load_refuses_another_configuration(self):
        with tempfile.TemporaryDirectory() as folder:
            saved = str(Path(folder) / "run.bin")
            self.assertEqual(run(*TINY, "--steps", "4", "--save", saved).returncode, 0)
            done = run(*TINY, "--steps", "4", "--seed", "2", "--load", saved)
            self.assertEqual(done.returncode, 2)
            self.assertIn("saved run has seed=1, this run seed=2", done.stderr)
            Path(saved).write_bytes(b"not a run")
            done = run(*TINY, "--steps", "4", "--load", saved)
            self.assertEqual(done.returncode, 2)
            self.assertIn("not a saved lab run", done.stderr)


class Dump(unittest.TestCase):
    def test_section_7_files_dtypes_and_shapes(self):
        with tempfile.TemporaryDirectory() as folder:
            done = run(*TINY, "--steps", "4", "--masks", "forward+backward", "--dump-dir", folder)
            self.assertEqual(done.returncode, 0, done.stderr)
            root = Path(folder)
            config = json.loads((root / "config.json").read_text())
            for key in ("vocab", "n", "width", "heads", "layers", "positions", "prefix", "window", "masks", "attention",
                        "seed", "step"):
                self.assertIn(key, config)
            self.assertEqual(config["step"], 4)
            self.assertEqual(config["masks"], [["forward", "forward"], ["backward", "backward"]])
            self.assertEqual(config["attention"], [["softmax", "softmax"]] * 2)
            v, n, d = config["vocab"], config["n"], config["width"]
            shapes = {"tok_emb": (v, d), "pos_emb": (n, d), "ln_f.g": (d,), "ln_f.b": (d,)}
            for layer in range(2):
                shapes.update({f"layers.{layer}.{name}": (d,) for name in ("ln1.g", "ln1.b", "ln2.g", "ln2.b")})
                shapes.update({f"layers.{layer}.attn.{name}": (d, d) for name in ("wq", "wk", "wv", "wo")})
                shapes.update({f"layers.{layer}.mlp.w1": (d, 4 * d), f"layers.{layer}.mlp.w2": (4 * d, d)})
            for kind in ("params", "grads"):
                self.assertEqual(sorted(p.stem for p in (root / kind).iterdir()), sorted(shapes))
                for name, shape in shapes.items():
                    descr, fortran, got, payload = npy_header(root / kind / f"{name}.npy")
                    self.assertEqual((descr, fortran, got), ("<f4", False, shape), name)
                    self.assertEqual(len(payload), 4 * (shape[0] * (shape[1] if len(shape) > 1 else 1)))
            for name in ("tokens", "targets"):
                descr, fortran, shape, payload = npy_header(root / f"{name}.npy")
                self.assertEqual((descr, fortran, shape), ("<i4", False, (4, n)))
                values = struct.unpack(f"<{4 * n}i", payload)
                self.assertTrue(all(-1 <= x < v for x in values))
            self.assertTrue(any(x == -1 for x in struct.unpack(f"<{4 * n}i", npy_header(root / "targets.npy")[3])))
            loss = json.loads((root / "loss.json").read_text())["loss"]
            self.assertGreater(loss, 0)
            # The dump's weights are those the run saved at the same step.
            saved = Path(folder) / "run.bin"
            self.assertEqual(run(*TINY, "--steps", "4", "--masks", "forward+backward", "--save", str(saved)).returncode, 0)
            tok = npy_header(root / "params" / "tok_emb.npy")[3]
            self.assertIn(tok, saved.read_bytes())

    def test_no_positions_has_no_pos_emb(self):
        with tempfile.TemporaryDirectory() as folder:
            done = run(*TINY, "--steps", "1", "--positions", "none", "--dump-dir", folder)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertFalse((Path(folder) / "params" / "pos_emb.npy").exists())
            self.assertEqual(json.loads((Path(folder) / "config.json").read_text())["positions"], "none")


class BadInputs(unittest.TestCase):
    CASES = [
        (("--task", "sorting"), "task=sorting is unknown"),
        (("--heads", "3"), "heads=3 must divide width=16"),
        (("--masks", "forward/backward/window"), "splits a layer's heads into 3 blocks, which does not divide heads=2"),
        (("--masks", "sideways"), "masks=sideways: pattern=sideways is unknown"),
        (("--attention", "quadratic"), "attention=quadratic is unknown (expected one of: softmax, linear)"),
        (("--steps", "0"), "steps=0 must be in [1, 10000000]"),
        (("--learning-rate", "-1"), "learning_rate=-1 must be in [0, 10]"),
        (("--format", "xml"), "format=xml is unknown (expected one of: jsonl, csv)"),
        (("--seeds", "1,2", "--save", "x.bin"), "--save takes one run, this call has 2 (configs x seeds)"),
        (("--seeds", "1,2", "--dump-dir", "d"), "--dump-dir takes one run, this call has 2 (configs x seeds)"),
        (("--configs", "forward", "--masks", "forward"), "give it or --masks/--attention"),
        (("--n", "9"), "n=9 is too small for copy with max_length=6"),
        (("--batch", "abc"), re.compile(r'batch="?abc"?.* integer')),  # args.h's words
        (("--sideways", "1"), "unknown option --sideways"),
        # The run's memory estimate (src/core/include/attnrank/lab/run_memory.h) against --memory-limit: even the tiny run
        # needs more than 1 MiB with the core's fixed slack; refused before anything is allocated.
        (("--memory-limit", "1"), re.compile(r"^attnrank: train needs ~2 MiB, over the memory budget of 1 MiB "
                                             r"\(weights and AdamW 0, activations 0, f64 probe 0, checkpoints 0 MiB\): "
                                             r"lower batch, n or layers\n$")),
        (("--memory-limit", "0"), "memory_budget_mib=0 must be in [1, 1048576]"),
    ]

    def test_each_bad_input_is_refused_with_its_words(self):
        for extra, words in self.CASES:
            with self.subTest(extra=extra):
                done = run(*replaced(TINY + ("--steps", "2"), extra))
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertRegex(done.stderr, words if isinstance(words, re.Pattern) else re.escape(words))
                self.assertEqual(done.stdout, "")

    def test_corpus_task_without_corpus_names_the_package(self):
        done = run("--task", "mlm", "--corpus", "/nonexistent/austen.txt", "--steps", "1")
        self.assertEqual(done.returncode, 2)
        self.assertIn("r-cran-janeaustenr", done.stderr)
        self.assertIn("--corpus FILE", done.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_train.py PATH/TO/attnrank")
    CLI = sys.argv.pop(1)
    unittest.main()
