#!/usr/bin/env bash
# Discovery benchmark (issue #19): a generated tree of 3 sets holding 40 projects (the device's
# 26 blank files each, made by `octa project new`) and 5,000 samples in their pools, then
# `octa sets` over it, timed. Usage: scripts/bench-sets.sh [OCTA_BINARY] [RUNS]
# The goal: under a second per discovery. Run it niced on a shared machine:
#   nice -n 19 bash scripts/bench-sets.sh target/debug/octa 5
set -euo pipefail
octa=${1:-target/debug/octa}
runs=${2:-5}
root=$(mktemp -d "${TMPDIR:-/tmp}/octa-bench-sets.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/card"
projects=(14 13 13)
samples=(1667 1667 1666)
for s in 0 1 2; do
    set_dir="$root/card/SET$((s + 1))"
    "$octa" set new "$set_dir" >/dev/null
    for ((p = 1; p <= projects[s]; p++)); do
        "$octa" project new "$set_dir/PROJECT $p" >/dev/null
    done
    for ((i = 0; i < samples[s]; i++)); do
        d="$set_dir/AUDIO/folder$((i % 20))"
        mkdir -p "$d"
        printf 'RIFF%08d' "$i" >"$d/sample$i.wav"
    done
done
echo "tree: $(find "$root/card" -type f | wc -l) files, $(find "$root/card" -name '*.wav' | wc -l) samples, $(find "$root/card" -name project.work | wc -l) projects"
"$octa" sets "$root/card" | tail -1
# Cold-ish first run, then the timed runs (wall clock, seconds).
sync
for ((r = 1; r <= runs; r++)); do
    start=$(date +%s.%N)
    "$octa" sets --json "$root/card" >/dev/null
    end=$(date +%s.%N)
    echo "run $r: $(echo "$end - $start" | bc) s"
done
