#!/bin/sh
# Issue #18: a repeated `octa librarian import` of the same bank against reading the file
# (`cat FILE > /dev/null`), as a per-pair ratio (see bench-pairs.sh). The bank is imported
# once first into a temporary data folder; every timed import is then a repeat.
# Usage: scripts/bench-import.sh OCTA [SYX_FILE] [PAIRS]
set -eu
octa=$1
file=${2:-${OCTA_CORPUS:-../shared/corpus}/sysex/waldorf-blofeld/Waldorf_Blofeld_Blo Factory_2008.syx}
n=${3:-11}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OCTA_CONFIG_DIR="$tmp/config" OCTA_DATA_DIR="$tmp/data"
cp "$file" "$tmp/bank.syx"
"$octa" librarian import "$tmp/bank.syx"
"$octa" librarian import "$tmp/bank.syx"
"$here/bench-pairs.sh" "$n" "$octa librarian import $tmp/bank.syx" "cat $tmp/bank.syx"
