"""Cross-check of the attnrank CLI against numpy, an independent reference.

numpy draws Q and K, writes them as .npy (float64 and float32, C and Fortran order), the CLI computes
the attention matrix and its statistics from those files, and numpy recomputes everything from its own
masked softmax / linear attention and its own SVD (LAPACK gesdd). Every statistic of design.md
section 3 is compared. Run: /usr/bin/python3 tests/numpy/cross_check.py build/native/attnrank
"""
import json
import math
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

CLI = None  # path to the attnrank binary, set in main
EPS64 = 2.0 ** -52
EPS32 = 2.0 ** -23


def allowed_mask(pattern, n, prefix=None, window=None):
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    if pattern == "bidirectional":
        return np.ones((n, n), dtype=bool)
    if pattern == "prefix":
        return (j < prefix) | (j <= i)
    if pattern == "forward":
        return j <= i
    if pattern == "backward":
        return j >= i
    if pattern == "window":
        return np.abs(i - j) < window
    if pattern == "forward_window":
        return (i - j >= 0) & (i - j < window)
    raise ValueError(pattern)


def softmax_attention(q, k, scale, mask):
    logits = scale * (q @ k.T) / math.sqrt(q.shape[1])
    masked = np.where(mask, logits, -np.inf)
    shifted = np.exp(masked - masked.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


FEATURE_MAPS = {
    "elu1": lambda x: np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0))),
    "exp": np.exp,
}


def linear_attention(q, k, scale, mask, feature="elu1"):
    c = math.sqrt(scale) / q.shape[1] ** 0.25
    phi = FEATURE_MAPS[feature]
    weights = np.where(mask, phi(c * q) @ phi(c * k).T, 0.0)
    return weights / weights.sum(axis=1, keepdims=True)


def numpy_stats(a):
    n = a.shape[0]
    s = np.linalg.svd(a, compute_uv=False)
    p = s / s.sum()
    p = p[p > 0]
    energy = np.cumsum(s ** 2)
    sign, logdet = np.linalg.slogdet(a)
    triangular = np.allclose(a, np.tril(a), rtol=0, atol=0) or np.allclose(a, np.triu(a), rtol=0, atol=0)
    if triangular:  # the core's exact rule for triangular matrices: sum of log |diagonal|
        diag = np.diag(a)
        sign, logdet = np.prod(np.sign(diag)), np.sum(np.log(np.abs(diag)))
    return {
        "singular_values": s,
        "numerical_rank_f64": int(np.sum(s > s[0] * n * EPS64)),
        "numerical_rank_f32": int(np.sum(s > s[0] * n * EPS32)),
        "effective_rank": float(np.exp(-np.sum(p * np.log(p)))),
        "stable_rank": float(np.sum(s ** 2) / s[0] ** 2),
        "energy_rank_99": int(np.searchsorted(energy, 0.99 * energy[-1]) + 1),
        "sigma_max": float(s[0]),
        "sigma_min": float(s[-1]),
        "log_abs_det": float(logdet),
        "det_sign": int(sign),
        "structurally_full_rank": bool(triangular and np.all(np.diag(a) > 0)),
    }


def run_cli(*args):
    done = subprocess.run([CLI, "stats", *args, "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"attnrank {' '.join(args)} failed: {done.stderr}")
    return json.loads(done.stdout)


class CrossCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.folder.name)
        rng = np.random.default_rng(20261128)
        cls.q = rng.standard_normal((48, 6))
        cls.k = rng.standard_normal((48, 6))
        np.save(cls.dir / "q.npy", cls.q)
        np.save(cls.dir / "k.npy", cls.k)
        np.save(cls.dir / "q32.npy", cls.q.astype(np.float32))
        np.save(cls.dir / "k_fortran.npy", np.asfortranarray(cls.k))

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def check_against_numpy(self, result, a_numpy, rank_bound=None):
        """rank_bound: f < n when A = L R^T by construction (bidirectional linear attention): the core
        then reports exact zeros beyond f and det = 0 exactly (sign 0, reliable) instead of an LU."""
        reference = numpy_stats(a_numpy)
        s_cli = np.array(result["singular_values"])
        s_ref = reference["singular_values"]
        np.testing.assert_allclose(s_cli, s_ref, rtol=0, atol=1e-12 * s_ref[0])
        n = len(s_ref)
        if rank_bound is not None and rank_bound < n:
            self.assertTrue(np.all(s_cli[rank_bound:] == 0.0), "exact zeros beyond the rank bound")
            self.assertTrue(np.all(s_ref[rank_bound:] <= s_ref[0] * n * EPS64), "numpy agrees: rank <= f")
            self.assertEqual((result["det_sign"], result["log_abs_det"]), (0, None))
            self.assertTrue(result["log_abs_det_is_reliable"])
            self.assertFalse(result["structurally_full_rank"])
            reference["det_sign"], reference["log_abs_det"], reference["structurally_full_rank"] = 0, None, False
        for key in ("effective_rank", "stable_rank", "sigma_max"):
            self.assertAlmostEqual(result[key], reference[key], delta=1e-10 * max(1.0, abs(reference[key])), msg=key)
        for key in ("energy_rank_99", "structurally_full_rank"):
            self.assertEqual(result[key], reference[key], msg=key)
        for key, eps in (("numerical_rank_f64", EPS64), ("numerical_rank_f32", EPS32)):
            tol = s_ref[0] * n * eps
            # A singular value within 1e-9 relative of the tolerance could fall either side: none here.
            self.assertFalse(np.any(np.abs(s_ref - tol) < 1e-9 * tol), msg=f"ambiguous case for {key}")
            self.assertEqual(result[key], reference[key], msg=key)
        floor = s_ref[0] * n * EPS64
        # sigma_min: numpy's s_n when resolved, else the floor reported as an upper bound (issue 13).
        self.assertAlmostEqual(result["accuracy_floor"], floor, delta=1e-10 * floor)
        if reference["sigma_min"] > 1e3 * floor:
            self.assertFalse(result["sigma_min_is_upper_bound"])
            self.assertAlmostEqual(result["sigma_min"], reference["sigma_min"], delta=1e-12 * s_ref[0])
        elif reference["sigma_min"] < 1e-3 * floor:
            self.assertTrue(result["sigma_min_is_upper_bound"])
            self.assertEqual(result["sigma_min"], result["accuracy_floor"])
        if rank_bound is not None and rank_bound < n:
            self.assertTrue(result["condition_number_is_lower_bound"])
            self.assertAlmostEqual(result["condition_number"], 1 / (n * EPS64), delta=1e-9 / (n * EPS64))
            return
        # log|det| means something when A is triangular (exact sum) or resolved by LU; otherwise both
        # LU factorisations return rounding noise, and the core must say so.
        resolved = reference["structurally_full_rank"] or reference["sigma_min"] > 1e3 * floor
        if resolved:
            self.assertTrue(result["log_abs_det_is_reliable"])
            self.assertEqual(result["det_sign"], reference["det_sign"])
            self.assertAlmostEqual(result["log_abs_det"], reference["log_abs_det"],
                                   delta=1e-8 * max(1.0, abs(reference["log_abs_det"])))
        elif reference["sigma_min"] < 1e-3 * floor:
            self.assertFalse(result["log_abs_det_is_reliable"])
        if reference["sigma_min"] > 1e3 * floor:  # resolved: the exact ratio must agree
            self.assertFalse(result["condition_number_is_lower_bound"])
            self.assertAlmostEqual(result["condition_number"], s_ref[0] / s_ref[-1],
                                   delta=1e-6 * s_ref[0] / s_ref[-1])
        if reference["sigma_min"] < 1e-3 * floor:  # unresolved: only a finite lower bound
            self.assertTrue(result["condition_number_is_lower_bound"])
            self.assertTrue(math.isfinite(result["condition_number"]))

    def test_softmax_patterns_match_numpy(self):
        for pattern, extra in (("bidirectional", []), ("prefix", ["--prefix", "10"]), ("forward", []),
                               ("backward", []), ("window", ["--window", "5"]),
                               ("forward_window", ["--window", "5"])):
            for scale in ("0.5", "1", "3"):
                with self.subTest(pattern=pattern, scale=scale):
                    matrix_path = self.dir / f"a_{pattern}_{scale}.npy"
                    result = run_cli("--pattern", pattern, *extra, "--scale", scale,
                                     "--q", str(self.dir / "q.npy"), "--k", str(self.dir / "k.npy"),
                                     "--dump-matrix", str(matrix_path))
                    mask = allowed_mask(pattern, 48, prefix=10, window=5)
                    a_numpy = softmax_attention(self.q, self.k, float(scale), mask)
                    a_cli = np.load(matrix_path)
                    np.testing.assert_allclose(a_cli, a_numpy, rtol=0, atol=1e-14)
                    self.assertTrue(np.all(a_cli[~mask] == 0.0))
                    self.check_against_numpy(result, a_numpy)
                    logits = float(scale) * self.q @ self.k.T / math.sqrt(6)
                    self.assertEqual(result["logits_rank"], np.linalg.matrix_rank(logits))

    def test_linear_attention_matches_numpy(self):
        for pattern in ("bidirectional", "forward"):
            with self.subTest(pattern=pattern):
                result = run_cli("--pattern", pattern, "--kind", "linear", "--feature", "elu1",
                                 "--q", str(self.dir / "q.npy"), "--k", str(self.dir / "k.npy"))
                a_numpy = linear_attention(self.q, self.k, 1.0, allowed_mask(pattern, 48))
                self.check_against_numpy(result, a_numpy, rank_bound=6 if pattern == "bidirectional" else None)
        self.assertEqual(result["numerical_rank_f64"], 48)  # causal linear attention: full rank

    def test_structured_bidirectional_linear_spectrum_matches_numpy(self):
        # n = 48 > d = 6: the core's spectrum comes from a 6 x 6 core (low_rank_spectrum.h), numpy's from
        # the SVD of the formed 48 x 48 matrix; every statistic must agree. Prefix p = n is the same
        # all-ones mask under another name and must take the same path.
        for feature, scale, pattern in (("elu1", "0.5", ["bidirectional"]), ("elu1", "3", ["bidirectional"]),
                                        ("exp", "0.5", ["bidirectional"]), ("exp", "3", ["prefix", "--prefix", "48"])):
            with self.subTest(feature=feature, scale=scale, pattern=pattern[0]):
                result = run_cli("--pattern", *pattern, "--kind", "linear", "--feature", feature,
                                 "--scale", scale, "--q", str(self.dir / "q.npy"), "--k", str(self.dir / "k.npy"))
                a_numpy = linear_attention(self.q, self.k, float(scale), allowed_mask("bidirectional", 48), feature)
                self.check_against_numpy(result, a_numpy, rank_bound=6)
                self.assertEqual(result["numerical_rank_f64"], np.linalg.matrix_rank(a_numpy))

    def test_bidirectional_linear_rank_is_d(self):
        result = run_cli("--pattern", "bidirectional", "--kind", "linear",
                         "--q", str(self.dir / "q.npy"), "--k", str(self.dir / "k.npy"))
        self.assertEqual(result["numerical_rank_f64"], 6)

    def test_float32_and_fortran_files_are_read_exactly(self):
        from_f32 = run_cli("--pattern", "forward", "--q", str(self.dir / "q32.npy"),
                           "--k", str(self.dir / "k_fortran.npy"), "--dump-matrix", str(self.dir / "a32.npy"))
        q_widened = self.q.astype(np.float32).astype(np.float64)
        a_numpy = softmax_attention(q_widened, self.k, 1.0, allowed_mask("forward", 48))
        np.testing.assert_allclose(np.load(self.dir / "a32.npy"), a_numpy, rtol=0, atol=1e-14)
        self.check_against_numpy(from_f32, a_numpy)

    def test_dumped_matrix_of_seeded_input_has_the_reported_spectrum(self):
        path = self.dir / "seeded.npy"
        result = run_cli("--pattern", "forward", "--n", "64", "--d", "8", "--seed", "7", "--dump-matrix", str(path))
        self.check_against_numpy(result, np.load(path))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: cross_check.py PATH/TO/attnrank")
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
