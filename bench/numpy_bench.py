#!/usr/bin/python3
"""numpy reference timing of one full stats request: inputs + masked softmax + values-only SVD
(np.linalg.svd(A, compute_uv=False), LAPACK gesdd) + the rank statistics of design.md section 3, per
pattern and n, medians after a warm-up. The inputs are numpy's own N(0,1) draws, not the project's seeded
generator: only the timing is compared, never the numbers. A benchmark, never a test.

Usage: /usr/bin/python3 bench/numpy_bench.py [--sizes 128,256] [--repeats 5] [--d 64] [--no-warm-up]
       prints CSV n,d,precision,pattern,median_ms,runs (exactly --repeats runs at every n: compare.mjs
       decides them per size within its time budget); --info prints JSON (numpy, BLAS/LAPACK loaded and,
       for OpenBLAS, the kernel its run-time dispatch picked, its build configuration and thread count).
OpenBLAS picks its kernels at load time from the CPU (0.3.21 does not know some newer CPUs and falls back
to its oldest, "Prescott"); OPENBLAS_CORETYPE in this process's environment overrides the choice:
bench/compare.mjs sets it for one of its numpy columns only, never tests or CI.
"""
import ctypes
import os

# One thread, like the wasm module and the native bench; must be set before numpy loads its BLAS.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

PATTERNS = ("bidirectional", "prefix", "forward", "backward")
SEED = 7  # the fixed seed of bench_stats.cpp and bench-wasm.mjs


def allowed_mask(pattern, n):
    """(n, n) bool; row i = the keys query i may attend to (design.md section 2, p = n // 2)."""
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    if pattern == "bidirectional":
        return np.ones((n, n), dtype=bool)
    if pattern == "prefix":
        return (j < n // 2) | (j <= i)
    if pattern == "forward":
        return j <= i
    if pattern == "backward":
        return j >= i
    raise ValueError(f"pattern={pattern} is unknown")


def numerical_rank(s, size, eps):
    # numpy matrix_rank's default tolerance: s_1 * max(M, N) * eps.
    return int(np.sum(s > s[0] * size * eps)) if s.size else 0


def full_request(pattern, n, d, rng):
    """The same work as attnrank::analyze for a seeded softmax request; returns the statistics."""
    q = rng.standard_normal((n, d))
    k = rng.standard_normal((n, d))
    mask = allowed_mask(pattern, n)
    logits = np.where(mask, (q @ k.T) / np.sqrt(d), -np.inf)  # s = 1
    a = np.exp(logits - logits.max(axis=1, keepdims=True))   # exp(-inf) = 0 exactly off the mask
    a /= a.sum(axis=1, keepdims=True)                        # A is (n, n); rows sum to 1
    s = np.linalg.svd(a, compute_uv=False)
    p = s / s.sum()
    p = p[p > 0]
    energy = np.cumsum(s**2)
    if pattern in ("forward", "backward"):  # triangular: log|det| = sum log|A_ii|, O(n)
        log_abs_det = float(np.sum(np.log(np.abs(np.diag(a)))))
    else:  # LU, like the core
        log_abs_det = float(np.linalg.slogdet(a)[1])
    # Logits rank as the core computes it: thin QR of Q and K, then the d x d core's singular values.
    core = np.linalg.qr(q, mode="r") @ np.linalg.qr(k, mode="r").T / np.sqrt(d)
    return {
        "numerical_rank_f64": numerical_rank(s, n, 2.0**-52),
        "numerical_rank_f32": numerical_rank(s, n, 2.0**-23),
        "effective_rank": float(np.exp(-np.sum(p * np.log(p)))),
        "stable_rank": float(np.sum(a * a) / s[0] ** 2),
        "energy_rank_99": int(np.searchsorted(energy, 0.99 * energy[-1]) + 1),
        "condition_number": float(s[0] / s[-1]) if s[-1] > 0 else float("inf"),
        "log_abs_det": log_abs_det,
        "logits_rank": numerical_rank(np.linalg.svd(core, compute_uv=False), n, 2.0**-52),
    }


def time_once(pattern, n, d):
    rng = np.random.default_rng(SEED)
    start = time.perf_counter()
    full_request(pattern, n, d, rng)
    return (time.perf_counter() - start) * 1e3


def loaded_libraries():
    """The BLAS/LAPACK shared objects actually mapped into this process (show_config says what numpy was
    built against; Debian's alternatives decide what is loaded)."""
    np.linalg.svd(np.eye(4), compute_uv=False)  # make sure LAPACK is loaded
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    keywords = ("blas", "lapack", "mkl", "blis", "atlas", "flexiblas")
    return sorted(p for p in paths if any(k in os.path.basename(p).lower() for k in keywords))


def openblas_info(libraries):
    """What the loaded OpenBLAS says of itself (its exported openblas_get_* functions): the kernel chosen
    ("core", the name OPENBLAS_VERBOSE=2 prints as "Core: ..."), the build configuration (e.g. "OpenBLAS
    0.3.21 ... SINGLE_THREADED"), the thread count it will use, and its parallel mode (0: sequential build,
    1: pthreads, 2: OpenMP). None when no OpenBLAS is loaded."""
    for path in libraries:
        if "openblas" not in os.path.basename(path).lower():
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {
                "library": path,
                "core": lib.openblas_get_corename().decode(),
                "config": lib.openblas_get_config().decode(),
                "threads": int(lib.openblas_get_num_threads()),
                "parallel": int(lib.openblas_get_parallel()),
                "coretype_env": os.environ.get("OPENBLAS_CORETYPE"),
            }
        except (OSError, AttributeError):
            continue
    return None


def info():
    libraries = loaded_libraries()
    return {
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "blas_lapack_loaded": libraries,
        "openblas": openblas_info(libraries),
        "threads_env": {name: os.environ[name] for name in
                        ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="128,256,512,1024")
    parser.add_argument("--d", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-warm-up", action="store_true", help="skip the untimed first call")
    parser.add_argument("--info", action="store_true")
    args = parser.parse_args()
    if args.info:
        print(json.dumps(info()))
        return
    print("n,d,precision,pattern,median_ms,runs", flush=True)
    repeats = max(1, args.repeats)
    for n in [int(x) for x in args.sizes.split(",")]:
        for pattern in PATTERNS:
            if not args.no_warm_up:
                time_once(pattern, n, args.d)  # page faults and allocator, as in the other benches
            times = sorted(time_once(pattern, n, args.d) for _ in range(repeats))
            print(f"{n},{args.d},f64,{pattern},{times[len(times) // 2]:.3f},{repeats}", flush=True)


if __name__ == "__main__":
    main()
