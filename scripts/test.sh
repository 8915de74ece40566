#!/usr/bin/env bash
# One command to run the tests: installs what the build needs, then `cargo test`.
# CI (.ci/run) calls this same script. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo test --no-fail-fast "$@"
