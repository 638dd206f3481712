#!/usr/bin/env bash
# Writes each README block marked `<!-- example: NAME -->` (the fenced block
# right after the marker) to OUT_DIR/NAME, byte for byte, so the consumer
# tests build exactly what the README shows. Fails when a block is missing.
# Usage: readme_examples.sh README OUT_DIR NAME...
set -euo pipefail
readme=$1 out=$2
shift 2
mkdir -p "$out"
for name in "$@"; do
  awk -v want="$name" '
    $0 == "<!-- example: " want " -->" { armed = 1; next }
    armed && /^```/ && !inside { inside = 1; next }
    inside && /^```$/ { found = 1; exit }
    inside { print }
    END { exit found ? 0 : 1 }' "$readme" >"$out/$name" ||
    { echo "FAIL: README has no example block '$name'"; exit 1; }
done
