#!/bin/sh
# Issue #18: bytes the tracker writes to the terminal per scrolling key press (hello-flex, down held
# down through 64 steps, at 240x70, 160x50 and 120x40), with and without the SGR writer. Bytes
# are deterministic: the test also fails when they grow past its bound.
set -eu
OCTA_CORPUS=${OCTA_CORPUS:-$(dirname "$0")/../../shared/corpus} CI=1 \
    cargo test --test ui_bytes_per_key -- --nocapture
