"""Issue 16 through the command line: range words in the user's terms (item 12) and the training records'
writer checking its writes (a full disk must not be a silent success). Seconds.

Run: /usr/bin/python3 tests/cli/test_reliability.py build/native/attnrank
"""
import os
import subprocess
import sys
import tempfile
import unittest

CLI = None
TINY_TRAIN = ("train", "--task", "copy", "--n", "13", "--max-length", "6", "--min-length", "2", "--symbols", "6",
              "--width", "16", "--heads", "2", "--layers", "2", "--batch", "4", "--checkpoint-every", "4",
              "--heldout-batches", "1", "--steps", "4", "--quiet")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


class RangeWords(unittest.TestCase):
    """Each message names the parameter and its documented range (param_ranges.h), never an int's or an
    internal bound, nor an internal object ("custom mask is 0x0")."""

    CASES = [
        (("stats", "--n", "2147483648"), "attnrank: n=2147483648 must be in [1, 4096]"),
        (("sweep", "--over", "n", "--values", "0"), "attnrank: n=0 must be in [1, 4096]"),
        (("sweep", "--over", "n", "--values", "8,2147483648"), "attnrank: n=2147483648 must be in [1, 4096]"),
        (("sweep", "--over", "d", "--values", "0"), "attnrank: d=0 must be in [1, 1024]"),
        (("sweep", "--over", "d", "--values", "99999999999"), "attnrank: d=99999999999 must be in [1, 1024]"),
        (("stats", "--kind", "linear", "--feature", "favor", "--features", "99999999999"),
         "attnrank: features=99999999999 must be in [1, 4096]"),
        (("stats", "--pattern", "custom"),
         "attnrank: pattern=custom needs custom_mask (n*n entries of 0 or 1, given through the wasm module or the page)"),
        (("sweep", "--over", "scale", "--values", "1", "--patterns", "custom"),
         "attnrank: pattern=custom needs custom_mask (n*n entries of 0 or 1, given through the wasm module or the page)"),
    ]

    def test_each_message_names_the_documented_range(self):
        for args, expected in self.CASES:
            with self.subTest(args=" ".join(args)):
                done = run(*args)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertEqual(done.stderr.strip(), expected)
                self.assertEqual(done.stdout, "")


class TrainOutput(unittest.TestCase):
    """attnrank train's records are checked as write_file checks its writes: a write or close that fails
    exits non-zero naming the file and the reason (before: /dev/full exited 0 with nothing written)."""

    def test_a_full_disk_is_an_error_naming_the_file(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        done = run(*TINY_TRAIN, "--out", "/dev/full")
        self.assertNotEqual(done.returncode, 0, done.stderr)
        self.assertIn("attnrank: /dev/full: write error (No space left on device)", done.stderr)

    def test_a_full_stdout_is_an_error(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        with open("/dev/full", "w") as full:
            done = subprocess.run([CLI, *TINY_TRAIN], stdout=full, stderr=subprocess.PIPE, text=True)
        self.assertNotEqual(done.returncode, 0, done.stderr)
        self.assertIn("No space left on device", done.stderr)

    def test_a_good_file_still_gets_every_record(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "run.jsonl")
            done = run(*TINY_TRAIN, "--out", path)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(path) as records:
                self.assertEqual(len(records.read().splitlines()), 2)  # steps 0 and 4


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_reliability.py PATH/TO/attnrank")
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
