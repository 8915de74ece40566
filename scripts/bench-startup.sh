#!/bin/sh
# Issue #18 start-up goals, each as a per-pair ratio (see bench-pairs.sh):
#  1. time to the tracker's first frame of a full project, in a pseudo-terminal of 240x70,
#     against tmux starting a trivial program in the same kind of terminal;
#  2. cold `octa --help` (the binary's cached pages dropped first) against the peer tool's --help.
# Usage: scripts/bench-startup.sh OCTA PROJECT_DIR [PEER_BIN] [PAIRS]
#   OCTA: a release build (target/release/octa); PEER_BIN: otio-ref built with
#   `cargo build --release` in a copy of ../shared/peer/otio-ref.
set -eu
octa=$1 dir=$2 peer=${3:-/tmp/otio-ref/target/release/otio-ref} n=${4:-11}
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OCTA_CONFIG_DIR="$tmp/config" OCTA_DATA_DIR="$tmp/data" TERM="${TERM:-xterm-256color}"
echo "first frame (octa $dir) vs tmux running true, both in script(1) at 240x70:"
"$here/bench-pairs.sh" "$n" \
    "script -qec 'stty cols 240 rows 70; OCTA_EXIT_AFTER_FIRST_FRAME=1 exec $octa --read-only $dir' /dev/null" \
    "script -qec 'stty cols 240 rows 70; exec tmux -L octa-bench -f /dev/null new-session true' /dev/null"
echo "warm --help: octa vs peer"
"$here/bench-pairs.sh" "$n" "$octa --help" "$peer --help"
echo "cold --help (each binary's pages dropped from the page cache before each run): octa vs peer"
# `dd iflag=nocache count=0` advises the kernel to drop the file's cached pages (GNU coreutils).
"$here/bench-pairs.sh" "$n" \
    "dd if=$octa iflag=nocache count=0 status=none; $octa --help" \
    "dd if=$peer iflag=nocache count=0 status=none; $peer --help"
ls -l "$octa" "$peer" | awk '{ print $5, $NF }'
