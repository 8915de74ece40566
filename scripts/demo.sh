#!/usr/bin/env bash
# One command to run octa on its demo project: installs what the build needs, then
# `cargo run --release -- demo` (extra arguments are passed to `octa demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo run --release -- demo "$@"
