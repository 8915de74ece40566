#!/bin/sh
# Peak memory and time of `octa export`, two builds side by side in pairs (A, B, A, B ...).
# Usage: scripts/bench-export.sh OCTA_A OCTA_B PROJECT_DIR [PAIRS]
# A project with .strd files: copy a corpus project and copy each .work to .strd.
set -eu
a=$1 b=$2 dir=$3 n=${4:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
    for v in A B; do
        if [ "$v" = A ]; then bin=$a; else bin=$b; fi
        /usr/bin/time -f "$v rss=%MkB wall=%es user=%Us sys=%Ss" "$bin" export "$dir" "$out/$v.json"
    done
    i=$((i + 1))
done
cmp "$out/A.json" "$out/B.json" && echo "A and B wrote the same document ($(wc -c < "$out/A.json") bytes)"
