"""Shared by the CLI test modules: the binary under test (test_cli.py sets CLI) and how to run it."""
import subprocess
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
