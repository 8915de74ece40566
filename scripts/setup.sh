#!/usr/bin/env bash
# Installs what octa's build needs on a fresh Debian/Ubuntu machine that has only Rust:
# the ALSA headers and pkg-config (for the sound card and MIDI crates), a C++ compiler and
# libclang (the signalsmith-stretch crate builds Signalsmith Stretch and its bindings).
# Does nothing when they are already there. Needs root or sudo only when something is missing. Python 3 runs
# the KnobKraft adaptation tests (octa itself builds and runs without it).
set -euo pipefail
has_libclang() {
  { ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*/libclang*.so* 2>/dev/null || true; } \
    | grep -q 'libclang\(-[0-9.]*\)\?\.so'
}
if pkg-config --exists alsa 2>/dev/null && command -v python3 >/dev/null 2>&1 \
  && command -v g++ >/dev/null 2>&1 && has_libclang; then
  exit 0
fi
echo "== installing the ALSA headers, pkg-config, g++, libclang and python3" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "octa: build dependencies are missing and this is not root: run as root" \
         "'apt-get install -y libasound2-dev pkg-config g++ libclang-dev'" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libasound2-dev pkg-config python3 g++ libclang-dev
