#!/usr/bin/env bash
# Installs what octa's build needs on a fresh Debian/Ubuntu machine that has only Rust:
# the ALSA headers and pkg-config (for the sound card and MIDI crates). Does nothing when
# they are already there. Needs root or sudo only when something is missing. Python 3 runs
# the KnobKraft adaptation tests (octa itself builds and runs without it).
set -euo pipefail
if pkg-config --exists alsa 2>/dev/null && command -v python3 >/dev/null 2>&1; then
  exit 0
fi
echo "== installing the ALSA headers, pkg-config and python3" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "octa: the ALSA headers are missing and this is not root: run as root" \
         "'apt-get install -y libasound2-dev pkg-config'" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libasound2-dev pkg-config python3
