#!/usr/bin/env bash
# Reads the ELF files and fails if a hardening property is missing.
# Usage: hardening.sh FILE...   (executables and shared libraries)
set -euo pipefail
status=0
check() {  # file, property, command that succeeds when present
  local file=$1 what=$2
  shift 2
  if "$@" >/dev/null 2>&1; then
    echo "ok:   $(basename "$file"): $what"
  else
    echo "FAIL: $(basename "$file"): $what missing"
    status=1
  fi
}
for f in "$@"; do
  headers=$(readelf -lW "$f")
  dynamic=$(readelf -dW "$f" 2>/dev/null || true)
  symbols=$(nm "$f" 2>/dev/null; nm -D "$f" 2>/dev/null || true)
  code=$(objdump -d --no-show-raw-insn "$f")
  check "$f" "non-executable stack (GNU_STACK RW)" \
    grep -Eq 'GNU_STACK +(0x[0-9a-f]+ +){5}RW +' <<<"$headers"
  check "$f" "RELRO segment" grep -q GNU_RELRO <<<"$headers"
  check "$f" "BIND_NOW (full RELRO)" grep -Eq 'BIND_NOW|Flags: NOW' <<<"$dynamic"
  check "$f" "stack protector (__stack_chk_fail)" grep -q __stack_chk_fail <<<"$symbols"
  check "$f" "_FORTIFY_SOURCE (__*_chk calls)" grep -Eq '__[a-z]+_chk' <<<"$symbols"
  # -fstack-clash-protection probes big frames page by page: `or $0x0,(%rsp)`.
  # Only frames over a page get probes, so only the programs with such
  # frames (dmp-sign, dmp-verify: 64 KiB read buffers) are expected to show
  # them; the shared library and the small helpers have none.
  if [[ "$(basename "$f")" != *.so* && "$(basename "$f")" != dmp-sign-fido2 &&
        "$(basename "$f")" != dmp-sign-pkcs11 && "$(basename "$f")" != dmp-sign-qrscan ]]; then
    check "$f" "stack-clash probes" grep -Eq 'orq? +\$0x0,(0x[0-9a-f]+)?\(%rsp\)' <<<"$code"
  fi
  # -fcf-protection: indirect-branch targets start with endbr64.
  check "$f" "CET instrumentation (endbr64)" grep -q endbr64 <<<"$code"
done
exit $status
