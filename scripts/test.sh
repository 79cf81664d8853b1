#!/usr/bin/env bash
# Command 2 of the README: every test suite, in order, with a summary. Installs what is missing, builds
# natively (build/native) and to wasm (build/wasm, web/wasm), then runs: native GoogleTest (ctest), the
# same GoogleTest compiled to wasm under node (ctest), node --test on the shipped wasm module, the CLI's
# tests, the numpy cross-check of the CLI, the browser end-to-end tests (playwright-core + Chromium),
# the embeddable folder inside real Jekyll, Hugo, MkDocs, pandoc and Eleventy sites and a plain page, and the npm package
# installed from its tarball (tests/sites), the native
# GoogleTest suite and the CLI's tests again under AddressSanitizer + UndefinedBehaviorSanitizer
# (build/sanitize, clang), and
# the libFuzzer targets of tests/fuzz (.npy parser, request validation; build/fuzz), each for a fixed time.
# A suite whose build failed counts as failed. Exits non-zero if any suite failed. Env: JOBS (default 2),
# FUZZ_SECONDS (seconds per fuzz target, default 20).
# Steps that leave a core idle run beside others (start_step): the oracle's PyTorch install (network and
# dpkg) beside the native build, the native GoogleTest beside the wasm build (whose last minute links one
# program on one core), the wasm GoogleTest beside the node files that assert no duration, the libFuzzer
# build beside the single-threaded ASan+UBSan suites, and the two fuzz targets beside each other. Never beside
# the browser suites or the node files that assert a duration, whose time bounds assume the machine is
# theirs. Within those suites, the files that assert no duration run two at a time and the others alone
# (scripts/test-groups.mjs names them; tests/node/test-groups.test.mjs checks the lists).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-2}
mkdir -p build
# A build tree configured in another folder (a moved or copied clone) is cleared and configured again.
# shellcheck source=scripts/build-tree.sh
source scripts/build-tree.sh

names=()
results=()
seconds=()
failures=0

# record NAME STATUS SECONDS: a step's line of the summary.
record() {
  names+=("$1")
  seconds+=("$3")
  if (($2 == 0)); then
    results+=(passed)
  else
    results+=("FAILED (exit $2)")
    failures=$((failures + 1))
  fi
}

# run_step NAME COMMAND...: runs COMMAND with errexit in a subshell, records its status and time.
run_step() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS status=0
  set +e
  (set -euo pipefail; "$@")
  status=$?
  set -e
  record "$name" "$status" $((SECONDS - start))
  return 0
}

# start_step NAME COMMAND...: like run_step, but COMMAND runs in the background, its output in a file;
# finish_steps waits for every started step, then prints its output and records it (its own time: from
# its start to its end).
started_names=()
started_pids=()
started_logs=()
start_step() {
  local name=$1
  shift
  local log="build/step.${#started_pids[@]}.log"
  echo
  echo "=== $name: started, runs beside the next steps (its output follows when it is done)"
  (
    start=$SECONDS status=0
    (set -euo pipefail; "$@") >"$log" 2>&1 || status=$?
    echo "$status $((SECONDS - start))" >"$log.status"
  ) &
  started_names+=("$name")
  started_pids+=($!)
  started_logs+=("$log")
}
finish_steps() {
  local i status took
  for i in "${!started_pids[@]}"; do
    wait "${started_pids[$i]}" || true
    echo
    echo "=== ${started_names[$i]} (ran beside other steps)"
    cat "${started_logs[$i]}"
    read -r status took <"${started_logs[$i]}.status" 2>/dev/null || { status=1; took=0; }
    record "${started_names[$i]}" "$status" "$took"
    rm -f "${started_logs[$i]}" "${started_logs[$i]}.status"
  done
  started_names=()
  started_pids=()
  started_logs=()
}

skip_step() {
  echo
  echo "=== $1: not run ($2)"
  names+=("$1")
  seconds+=(0)
  results+=("FAILED (not run: $2)")
  failures=$((failures + 1))
}

last_passed() { [[ ${results[${#results[@]} - 1]} == passed ]]; }

# Every build (native, wasm, and the clang sanitize and fuzz builds: clang 14 warns where g++ 12 does
# not) treats warnings in the project's own targets as errors (CMake option ATTNRANK_WARNINGS_AS_ERRORS);
# a tree configured before the option existed, or without it, gets it on.
werror_on() {
  grep -qx 'ATTNRANK_WARNINGS_AS_ERRORS:BOOL=ON' "$1/CMakeCache.txt" \
    || cmake -DATTNRANK_WARNINGS_AS_ERRORS=ON "$1" >>"$1.configure.log" 2>&1
}

configure_native() {
  recover_moved_build_tree build/native "$root" test.sh
  if [[ ! -f build/native/CMakeCache.txt ]]; then
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DATTNRANK_WARNINGS_AS_ERRORS=ON >build/native.configure.log 2>&1 \
      || { cat build/native.configure.log >&2; rm -f build/native/CMakeCache.txt; return 1; }
  fi
}
build_native() {
  configure_native || return 1
  werror_on build/native || { cat build/native.configure.log >&2; return 1; }
  cmake --build build/native -j "$jobs" >build/native.build.log 2>&1 \
    || { tail -n 80 build/native.build.log >&2; echo "full log: build/native.build.log" >&2; return 1; }
  echo "built build/native"
}

run_step "install dependencies" bash scripts/install-deps.sh
# New build trees (native, wasm through build-wasm.sh, sanitize, fuzz) use Ninja: unlike CMake's Makefiles,
# which build a target only once the libraries it links are finished, Ninja compiles every object as soon
# as a job is free, so the last long objects of the core no longer leave a core idle. A tree configured
# before keeps its generator (CMake reads CMAKE_GENERATOR only for a new tree).
if [[ -z ${CMAKE_GENERATOR:-} ]] && command -v ninja >/dev/null; then
  export CMAKE_GENERATOR=Ninja
fi
# The oracle's PyTorch (~220 Debian packages, minutes of download and dpkg on a fresh machine) installs
# beside the native build. Its apt-get update is over long before the wasm tree's configure fetches the
# lab corpus with apt-get download (the native tree's fetch comes first: configure it before starting).
run_step "native configure (and the lab corpus)" configure_native
start_step "PyTorch install for the oracle" bash tests/oracle/run.sh --install-only
run_step "native build" build_native
# The native GoogleTest asserts no duration (test_lab_learning prints its steps per second, asserts none): it
# runs beside the wasm build, whose objects keep both cores busy until its last minute, when one core links
# the GoogleTest program in wasm (58 of the 303 s the wasm build took in session 10's fresh clone) and the
# other had nothing to do; the suite took 51 s after the native build there.
if last_passed; then
  start_step "native GoogleTest (ctest)" ctest --test-dir build/native --output-on-failure -j "$jobs"
else
  skip_step "native GoogleTest (ctest)" "native build failed"
fi

run_step "wasm build" env JOBS="$jobs" ATTNRANK_WARNINGS_AS_ERRORS=ON bash build-wasm.sh
wasm_built=$(last_passed && echo 1 || echo 0)
finish_steps  # the native GoogleTest (and the PyTorch install, long done)

# node --test FOLDER GROUP: the group's files of tests/FOLDER (scripts/test-groups.mjs): shared ones two at a
# time, the others one at a time (node's default concurrency is the number of cores - 1: explicit here).
node_group() {
  local listed files
  listed=$(node scripts/test-groups.mjs "$1" "$2")
  [[ -n $listed ]] || { echo "no $2 files in tests/$1" >&2; return 1; }
  mapfile -t files <<<"$listed"
  if [[ $2 == shared ]]; then
    node --test --test-concurrency="$jobs" "${files[@]}"
  else
    node --test --test-concurrency=1 "${files[@]}"
  fi
}

if ((wasm_built)); then
  # The wasm GoogleTest asserts no duration either: it runs beside the node files that assert none, whose
  # longest file (lab-gallery's reruns in wasm, one thread) left the other core idle for most of the step.
  start_step "wasm GoogleTest under node (ctest)" ctest --test-dir build/wasm --output-on-failure -j "$jobs"
  run_step "node --test tests/node, two files at a time" node_group node shared
  finish_steps  # the wasm GoogleTest
  run_step "node --test tests/node, timed files alone" node_group node alone
else
  skip_step "wasm GoogleTest under node (ctest)" "wasm build failed"
  skip_step "node --test tests/node, two files at a time" "wasm build failed"
  skip_step "node --test tests/node, timed files alone" "wasm build failed"
fi

if [[ -f tests/cli/test_cli.py ]]; then
  if [[ -x build/native/attnrank ]]; then
    run_step "CLI tests (tests/cli)" /usr/bin/python3 tests/cli/test_cli.py build/native/attnrank
  else
    skip_step "CLI tests (tests/cli)" "no native CLI"
  fi
fi

# Every other runnable module of tests/cli (test_*.py besides test_cli.py, whose runner imports the rest):
# train, reliability, and whatever a later change adds, found by name so none is left out.
for cli_tests in tests/cli/test_*.py; do
  [[ $cli_tests == tests/cli/test_cli.py ]] && continue
  if [[ -x build/native/attnrank ]]; then
    run_step "CLI tests ($cli_tests)" /usr/bin/python3 "$cli_tests" build/native/attnrank
  else
    skip_step "CLI tests ($cli_tests)" "no native CLI"
  fi
done

if [[ -f tests/numpy/run.sh ]]; then
  if [[ -x build/native/attnrank ]]; then
    run_step "numpy cross-check (tests/numpy)" bash tests/numpy/run.sh
  else
    skip_step "numpy cross-check (tests/numpy)" "no native CLI"
  fi
fi

# The lab's PyTorch oracle (design-lab.md section 5): installs Debian's python3-torch when missing (~2-3 min
# once; started beside the native build, finished above), says SKIPPED when it cannot be had.
if [[ -x build/native/attnrank_lab_dump ]]; then
  run_step "PyTorch oracle of the lab (tests/oracle)" bash tests/oracle/run.sh build/native/attnrank_lab_dump
else
  skip_step "PyTorch oracle of the lab (tests/oracle)" "no native build"
fi

# Browser tests, on the site command 1 serves (build/site: web/ with the explorer's modules bundled, a few
# seconds; tests/e2e/browser.mjs refuses a site older than web/): the files that time nothing two at a time (the
# page's engine and Chromium keep ~1.3 of the 2 cores busy, so one file left part of the machine idle), then the
# timed ones alone.
if [[ -s web/wasm/attnrank.wasm ]]; then
  run_step "site build (build/site)" node scripts/build-site.mjs build/site
  run_step "browser end-to-end (tests/e2e), two files at a time" node_group e2e shared
  run_step "browser end-to-end (tests/e2e), timed files alone" node_group e2e alone
else
  skip_step "site build (build/site)" "no wasm module"
  skip_step "browser end-to-end (tests/e2e), two files at a time" "no wasm module"
  skip_step "browser end-to-end (tests/e2e), timed files alone" "no wasm module"
fi

# build-dist.sh and build-package.sh run every time (copies of web/, the package's manifest and npm pack: a few
# seconds) so the sites and the package test never test a stale dist/ or tarball.
embed_sites() {
  bash scripts/build-dist.sh
  bash scripts/build-package.sh
  node --test tests/sites/
}
if [[ -s web/wasm/attnrank.wasm ]]; then
  run_step "embed sites and npm package" embed_sites
else
  skip_step "embed sites and npm package" "no wasm module"
fi

# The GoogleTest suite under ASan + UBSan: clang++-14 (half gcc's compile time with the sanitizers),
# -O1 with line tables, Eigen's own assertions on (no NDEBUG). Only the test binary and the CLI are built.
build_sanitize() {
  recover_moved_build_tree build/sanitize "$root" test.sh
  if [[ ! -f build/sanitize/CMakeCache.txt ]]; then
    cmake -S . -B build/sanitize -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DATTNRANK_SANITIZE=ON -DATTNRANK_BUILD_BENCH=OFF \
      -DATTNRANK_WARNINGS_AS_ERRORS=ON >build/sanitize.configure.log 2>&1 \
      || { cat build/sanitize.configure.log >&2; rm -f build/sanitize/CMakeCache.txt; return 1; }
  fi
  werror_on build/sanitize || { cat build/sanitize.configure.log >&2; return 1; }
  cmake --build build/sanitize -j "$jobs" --target attnrank_tests attnrank >build/sanitize.build.log 2>&1 \
    || { tail -n 80 build/sanitize.build.log >&2; echo "full log: build/sanitize.build.log" >&2; return 1; }
  echo "built build/sanitize"
}
# -fno-sanitize-recover=all makes UBSan abort; ASan and LeakSanitizer exit non-zero. The grep is a second
# guard: any sanitizer report in the output fails the suite even if the exit status were 0.
run_sanitize_tests() {
  local log=build/sanitize.test.log status=0
  local symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
  [[ -x $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
  ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 build/sanitize/attnrank_tests >"$log" 2>&1 || status=$?
  if grep -qE 'runtime error:|ERROR: [A-Za-z]+Sanitizer|WARNING: [A-Za-z]+Sanitizer' "$log"; then
    grep -n -m1 -A40 -E 'runtime error:|ERROR: [A-Za-z]+Sanitizer|WARNING: [A-Za-z]+Sanitizer' "$log" >&2
    ((status != 0)) || status=1
  fi
  if ((status != 0)); then
    grep -E '^\[  FAILED  \]' "$log" >&2 || tail -n 40 "$log" >&2
    echo "full log: $log" >&2
    return "$status"
  fi
  tail -n 3 "$log"
}
# One CLI invocation: expected exit status, a substring of its stderr, then the arguments.
expect_cli() {
  local status=$1 expected=$2 out actual=0
  shift 2
  out=$(build/sanitize/attnrank "$@" 2>&1 >/dev/null) || actual=$?
  if ((actual != status)) || [[ $out != *"$expected"* ]]; then
    echo "attnrank $*: exit $actual (expected $status), stderr: $out (expected to contain: $expected)" >&2
    return 1
  fi
}
# The CLI's tests (tests/cli, bad inputs included) against the sanitized attnrank, then --memory-limit
# (refused before allocating, every command that takes it): a report exits with 86, which nothing
# expects, and leaves a file in build/sanitize/cli-reports, which fails the step by itself.
run_sanitize_cli() {
  local reports=build/sanitize/cli-reports
  local symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
  [[ -x $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer
  rm -rf "$reports"
  mkdir -p "$reports"
  ASAN_OPTIONS=detect_leaks=1:exitcode=86:log_path=$reports/asan \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$reports/ubsan \
    /usr/bin/python3 tests/cli/test_cli.py build/sanitize/attnrank
  export ASAN_OPTIONS=detect_leaks=1:exitcode=86:log_path=$reports/asan
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$reports/ubsan
  local budget="over the memory budget of"
  expect_cli 2 "n=2048, d=8 (softmax, f64) needs ~73 MiB, $budget 64 MiB: lower n" \
    stats --pattern forward --n 2048 --memory-limit 64
  expect_cli 2 "$budget 50 MiB: lower n" sweep --over n --values 8,2048 --memory-limit 50 --csv
  expect_cli 2 "collapse n=1024, d_model=8, d_ff=32 needs ~" collapse --n 1024 --variants mlp --memory-limit 8
  expect_cli 2 "$budget 8 MiB: lower n" mixture --n 1024 --memory-limit 8
  expect_cli 2 "permutation n=4096, d_model=4096 needs ~2034 MiB, $budget 1024 MiB" permutation --n 4096 --d-model 4096
  expect_cli 2 "memory_budget_mib=0 must be in [1, 1048576]" stats --memory-limit 0
  expect_cli 0 "" stats --n 16 --memory-limit 2 --json
  if compgen -G "$reports/*" >/dev/null; then
    head -n 40 "$reports"/* >&2
    return 1
  fi
}
# libFuzzer (tests/fuzz/run.sh): clang++-14 with ASan + UBSan into build/fuzz; each target runs on a fresh
# copy of its seed corpus (tests/fuzz/corpus/<target> is never written), crash files in build/fuzz/artifacts.
fuzz_seconds=${FUZZ_SECONDS:-20}
run_step "ASan+UBSan build" build_sanitize
sanitize_built=$(last_passed && echo 1 || echo 0)
# The sanitized GoogleTest binary and the CLI's tests are single-threaded: the fuzz build uses the other core.
start_step "libFuzzer build (tests/fuzz)" env JOBS="$jobs" ATTNRANK_WARNINGS_AS_ERRORS=ON bash tests/fuzz/run.sh --build-only
if ((sanitize_built)); then
  run_step "native GoogleTest under ASan+UBSan" run_sanitize_tests
  run_step "CLI tests under ASan+UBSan" run_sanitize_cli
else
  skip_step "native GoogleTest under ASan+UBSan" "ASan+UBSan build failed"
  skip_step "CLI tests under ASan+UBSan" "ASan+UBSan build failed"
fi
finish_steps  # the fuzz build
if last_passed; then
  # One core each, for the same time: side by side.
  start_step "libFuzzer .npy parser (${fuzz_seconds}s)" env FUZZ_KEEP_CORPUS=0 bash tests/fuzz/run.sh --run-only "$fuzz_seconds" npy
  start_step "libFuzzer request config (${fuzz_seconds}s)" env FUZZ_KEEP_CORPUS=0 bash tests/fuzz/run.sh --run-only "$fuzz_seconds" config
  finish_steps
else
  skip_step "libFuzzer .npy parser" "libFuzzer build failed"
  skip_step "libFuzzer request config" "libFuzzer build failed"
fi

echo
echo "=== summary"
passed=0
for i in "${!names[@]}"; do
  printf '  %-54s %-28s %5ss\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
  [[ ${results[$i]} == passed ]] && passed=$((passed + 1))
done
echo "suites: $passed passed, $failures failed; ${SECONDS}s in all"
((failures == 0))
