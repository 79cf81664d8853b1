"""Shared by the CLI test modules: the binary under test (test_cli.py sets CLI) and how to run it."""
import json
import subprocess
from pathlib import Path

CLI = None
ROOT = Path(__file__).resolve().parents[2]


def generated_schema(name):
    """A result's description as the page's generated table holds it (web/state/result-fields.mjs, written by
    scripts/generate-schema.sh from the core's tables; the Schema tests check it equals `attnrank schema --json`)."""
    text = (ROOT / "web" / "state" / "result-fields.mjs").read_text(encoding="utf-8")
    declaration = "export const resultFields = "
    results = json.loads(text[text.index(declaration) + len(declaration):].rstrip().rstrip(";"))["results"]
    return next(result for result in results if result["name"] == name)


_ANALYSIS_KEYS = [field["key"] for field in generated_schema("analysis")["fields"] if not field.get("wasm_only")]
# The analysis keys only a pattern with a parameter (prefix, window), a linear kind (feature) or favor (features) adds.
CONDITIONAL_KEYS = {"prefix", "window", "feature", "features"}
# The keys of a seeded softmax analysis of a pattern without a parameter (stats --json of forward).
SCHEMA_KEYS = set(_ANALYSIS_KEYS) - CONDITIONAL_KEYS
# A `stats` object (mixture): the analysis keys `singular_values` .. `structurally_full_rank`.
RANK_STATS_KEYS = set(_ANALYSIS_KEYS[_ANALYSIS_KEYS.index("singular_values"):
                                     _ANALYSIS_KEYS.index("structurally_full_rank") + 1])
ISSUE_13_CASE = ("--pattern", "forward", "--n", "64", "--d", "8", "--seed", "7")


def shortest(value):
    """Python's repr of a float is the shortest text that round-trips (as std::to_chars and JS String)."""
    return repr(float(value))


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)
