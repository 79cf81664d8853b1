#!/usr/bin/env bash
# Regenerates the lab's gallery, web/lab/gallery/ (docs/lab-gallery.md): for every experiment of the core's
# table (`attnrank train --list-experiments`), every configuration and seed at the default settings, one
# native `attnrank train` process per (configuration, seed), JOBS at a time at nice 19 (seed 1 also writes
# the probe's attention per checkpoint: --attention-out), then scripts/gallery-pack.mjs packs each
# experiment's runs, attention at three checkpoints and the core's verdicts into <experiment>.json and
# writes index.json. It builds nothing: build natively first (the engine's commit is recorded; commit
# your changes before, or the files say -dirty). The runs' JSONL stay in WORK.
# Usage: bash scripts/build-gallery.sh [EXPERIMENT ...]   (default: every experiment)
# Env: CLI (default build/native/attnrank), JOBS (default 2), WORK (default /tmp/attnrank-gallery), OUT
#   (default web/lab/gallery),
#   TRAIN_ARGS ("--steps N" only: a quick look with fewer steps; the gallery then records it in
#   engine.command and its options, and is not the reference gallery).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${CLI:-$root/build/native/attnrank}
jobs=${JOBS:-2}
work=${WORK:-/tmp/attnrank-gallery}
out=${OUT:-$root/web/lab/gallery}
extra=${TRAIN_ARGS:-}
[[ -x $cli ]] || { echo "build-gallery.sh: $cli is missing: build natively (cmake -S . -B build/native)" >&2; exit 1; }

if (($# > 0)); then
  experiments=("$@")
else
  mapfile -t experiments < <("$cli" train --list-experiments --json | node -e \
    'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{for(const e of JSON.parse(s).experiments)console.log(e.id)})')
fi

mkdir -p "$work"
jobs_file="$work/jobs.txt"
: >"$jobs_file"
for experiment in "${experiments[@]}"; do
  rm -rf "${work:?}/$experiment"
  mkdir -p "$work/$experiment"
  seeds=$("$cli" train --list-experiments --json | node -e \
    'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const e=JSON.parse(s).experiments.find((x)=>x.id===process.argv[1]);if(!e){console.error("no experiment "+process.argv[1]);process.exit(1)}console.log([...e.seeds].join(" "))})' "$experiment")
  # shellcheck disable=SC2086
  for config in $("$cli" train --task "$experiment" --configs task --list-configs $extra); do
    for seed in $seeds; do echo "$experiment $config $seed" >>"$jobs_file"; done
  done
done
echo "build-gallery.sh: $(wc -l <"$jobs_file") runs of ${experiments[*]} into $work, $jobs at a time (nice 19)" >&2

run_one() {
  local experiment=$1 config=$2 seed=$3
  local out="$work/$experiment/${config}__$seed"
  local attention=()
  [[ $seed == 1 ]] && attention=(--attention-out "$out.attention.jsonl")
  # shellcheck disable=SC2086
  nice -n 19 "$cli" train --task "$experiment" --configs "$config" --seed "$seed" --quiet $extra \
    --out "$out.jsonl" "${attention[@]}"
  echo "build-gallery.sh: done $experiment $config seed $seed" >&2
}
export -f run_one
export cli work extra
xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _ <"$jobs_file"

node "$root/scripts/gallery-pack.mjs" --cli "$cli" --work "$work" --out "$out" \
  --train-args="$extra" "${experiments[@]}"
