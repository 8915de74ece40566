#!/bin/sh
# Times two commands in turn (A, B, A, B ...) as whole processes and prints the median, min
# and max of the per-pair ratio A/B (issue #18: absolute times on shared machines drift, ratios
# of neighbouring runs hold). Output of both commands is thrown away.
# Usage: scripts/bench-pairs.sh PAIRS 'COMMAND A' 'COMMAND B'   (each run by sh -c)
set -eu
n=$1 a=$2 b=$3
now() { date +%s%N; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh -c "$a" >/dev/null 2>&1 || true # warm-up
sh -c "$b" >/dev/null 2>&1 || true
i=0
while [ "$i" -lt "$n" ]; do
    t0=$(now); sh -c "$a" >/dev/null 2>&1 || true; t1=$(now)
    sh -c "$b" >/dev/null 2>&1 || true; t2=$(now)
    echo "$((t1 - t0)) $((t2 - t1))"
    i=$((i + 1))
done >"$tmp"
# Medians and spread with POSIX tools (sort, awk): A's times, B's times, then the ratios.
med() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s", m, v[1], v[NR] }'; }
ma=$(cut -d' ' -f1 "$tmp" | med)
mb=$(cut -d' ' -f2 "$tmp" | med)
r=$(awk '{ printf "%.6f\n", $1 / $2 }' "$tmp" | med)
echo "$ma $mb $r $n" | awk '{ printf "A median %.2f ms, B median %.2f ms; A/B per pair: median %.3f (min %.3f, max %.3f, %d pairs)\n", $1 / 1e6, $4 / 1e6, $7, $8, $9, $10 }'
