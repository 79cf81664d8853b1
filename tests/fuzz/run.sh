#!/usr/bin/env bash
# Builds the libFuzzer targets (clang++-14, ASan + UBSan + coverage, -O1, Eigen's assertions on) into
# build/fuzz and runs each for a fixed time on a fresh copy of its seed corpus (tests/fuzz/corpus/<target>,
# never written to): the copy and any crash file go to build/fuzz/work/ and build/fuzz/artifacts/.
# Exits non-zero on the first target that finds a crash, a sanitizer report, a leak or a timeout.
#   bash tests/fuzz/run.sh [--build-only | --run-only] [SECONDS] [TARGET...]   SECONDS per target (default 20),
#   --run-only: the targets are built already (two runs side by side never build in one tree at once);
#   TARGET: npy, config (default both). Env: JOBS (build, default 2); FUZZ_KEEP_CORPUS=1 continues from
#   the corpus of the previous run instead of a fresh copy; FUZZ_ARGS: extra libFuzzer flags;
#   ATTNRANK_WARNINGS_AS_ERRORS: ON or OFF (scripts/test.sh: ON), applied to an existing tree too; unset, a
#   new tree gets OFF and an existing tree keeps its value (so a run after test.sh's build rebuilds nothing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jobs=${JOBS:-2}
werror=${ATTNRANK_WARNINGS_AS_ERRORS:-}
build_only=0
run_only=0
if [[ ${1:-} == --build-only ]]; then
  build_only=1
  shift
elif [[ ${1:-} == --run-only ]]; then
  run_only=1  # the targets are built (scripts/test.sh runs the two side by side: no two builds in one tree)
  shift
fi
seconds=${1:-20}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "run.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }
shift || true
targets=("$@")
((${#targets[@]})) || targets=(npy config)

mkdir -p build
build_targets=()
for target in "${targets[@]}"; do
  [[ -d tests/fuzz/corpus/$target ]] || { echo "run.sh: unknown target '$target' (expected npy or config)" >&2; exit 2; }
  build_targets+=("fuzz_$target")
done
if ((run_only)); then
  for target in "${build_targets[@]}"; do
    [[ -x build/fuzz/$target ]] || { echo "run.sh: --run-only: build/fuzz/$target is not built" >&2; exit 1; }
  done
else
  # A tree configured in another folder (a moved or copied clone) is cleared and configured again.
  # shellcheck source=scripts/build-tree.sh
  source scripts/build-tree.sh
  recover_moved_build_tree build/fuzz "$root" run.sh
  if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
    cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DATTNRANK_FUZZ=ON \
      -DATTNRANK_BUILD_TESTS=OFF -DATTNRANK_BUILD_BENCH=OFF -DATTNRANK_WARNINGS_AS_ERRORS="${werror:-OFF}" \
      >build/fuzz.configure.log 2>&1 \
      || { cat build/fuzz.configure.log >&2; rm -f build/fuzz/CMakeCache.txt; exit 1; }
  fi
  if [[ -n $werror ]] && ! grep -qx "ATTNRANK_WARNINGS_AS_ERRORS:BOOL=$werror" build/fuzz/CMakeCache.txt; then
    cmake -DATTNRANK_WARNINGS_AS_ERRORS="$werror" build/fuzz >>build/fuzz.configure.log 2>&1 \
      || { cat build/fuzz.configure.log >&2; exit 1; }
  fi
  cmake --build build/fuzz -j "$jobs" --target "${build_targets[@]}" >build/fuzz.build.log 2>&1 \
    || { tail -n 80 build/fuzz.build.log >&2; echo "full log: build/fuzz.build.log" >&2; exit 1; }
  echo "built ${build_targets[*]} in build/fuzz"
fi
((build_only)) && exit 0

symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[[ -x $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for target in "${targets[@]}"; do
  work=build/fuzz/work/$target
  artifacts=build/fuzz/artifacts/$target
  if [[ ${FUZZ_KEEP_CORPUS:-0} != 1 || ! -d $work ]]; then
    rm -rf "$work"
    mkdir -p "$work"
    cp tests/fuzz/corpus/"$target"/* "$work"/
  fi
  mkdir -p "$artifacts"
  log=build/fuzz/$target.log
  echo "fuzz_$target: ${seconds}s on $(ls "$work" | wc -l) inputs (log: $log)"
  status=0
  # -timeout: one input running 10 s is a hang; -rss_limit_mb: the cheap sizes never come near it.
  # shellcheck disable=SC2086
  build/fuzz/fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${FUZZ_ARGS:-} "$work" >"$log" 2>&1 || status=$?
  grep -E "^(Done [0-9]+ runs|stat::peak_rss_mb)" "$log" || true
  if ((status != 0)); then
    grep -n -m1 -A40 -E 'ERROR:|runtime error|fuzz_(npy|config):|deadly signal|Timeout' "$log" >&2 || tail -n 60 "$log" >&2
    echo "fuzz_$target FAILED (exit $status). Crash input: $(ls -t "$artifacts" | head -n 1 | sed "s|^|$artifacts/|")" >&2
    echo "reproduce: build/fuzz/fuzz_$target <that file>" >&2
    exit 1
  fi
done
