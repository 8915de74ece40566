#!/bin/sh
# Times two commands in turn (A, B, A, B ...) as whole processes and prints the median, min
# and max of the per-pair ratio A/B (issue #18: absolute times on shared machines drift, ratios
# of neighbouring runs hold). Output of both commands is thrown away.
# Usage: scripts/bench-pairs.sh PAIRS 'COMMAND A' 'COMMAND B'   (each run by sh -c)
set -eu
n=$1 a=$2 b=$3
now() { date +%s%N; }
sh -c "$a" >/dev/null 2>&1 || true # warm-up
sh -c "$b" >/dev/null 2>&1 || true
i=0
while [ "$i" -lt "$n" ]; do
    t0=$(now); sh -c "$a" >/dev/null 2>&1 || true; t1=$(now)
    sh -c "$b" >/dev/null 2>&1 || true; t2=$(now)
    echo "$((t1 - t0)) $((t2 - t1))"
    i=$((i + 1))
done | sort -n | awk '
    { ta[NR] = $1; tb[NR] = $2; r[NR] = $1 / $2 }
    END {
        n = asort(r, s); asort(ta, sa); asort(tb, sb)
        m = (n % 2) ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
        printf "A median %.2f ms, B median %.2f ms; A/B per pair: median %.3f (min %.3f, max %.3f, %d pairs)\n",
            sa[int((n + 1) / 2)] / 1e6, sb[int((n + 1) / 2)] / 1e6, m, s[1], s[n], n
    }'
