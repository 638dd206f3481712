#!/usr/bin/env bash
# Builds and runs the README's library examples verbatim against an
# installed dmp-signer: the C and C++ programs through pkg-config (shared and
# fully static), the CMake project (which sets no C++ standard, so the
# dmp::verify target must bring C++20), and the Python release script.
# The caller points the tools at the installation: PKG_CONFIG_PATH,
# CMAKE_PREFIX_PATH, PYTHONPATH, LD_LIBRARY_PATH (none needed for /usr).
# Usage: readme_consumers.sh SOURCE_DIR DMP_SIGN [PYTHON]
set -euo pipefail
source=$1 sign=$2 python=${3:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

bash "$source/tests/release/readme_examples.sh" "$source/README.md" "$work" \
  check.cpp check.c build.sh CMakeLists.txt release_check.py

# A wire signed today by the installed dmp-sign, so the examples verify it
# with the wall clock, as a release script would.
export DMP_SIGNER_STATE_DIR="$work/state"
(umask 077 && printf 'readme consumer test\n' >"$work/passphrase")
"$sign" keygen --out "$work/op.key" --kdf interactive --passphrase-file "$work/passphrase" >/dev/null 2>&1 ||
  fail "keygen"
"$sign" sign --first --yes --key "$work/op.key" --passphrase-file "$work/passphrase" \
  --out "$work/cluster.wire" "$source/examples/cluster.json" >/dev/null 2>&1 || fail "sign"
key=$("$sign" pubkey --key "$work/op.key")
# One base64 digit inside the signed body changed: the signature fails.
wire=$(cat "$work/cluster.wire")
swap=A
[ "${wire:100:1}" = A ] && swap=B
printf '%s%s%s\n' "${wire:0:100}" "$swap" "${wire:101}" >"$work/tampered.wire"

(cd "$work" && bash build.sh >"$work/build.log" 2>&1) || { cat "$work/build.log"; fail "README build.sh"; }
echo "ok: README build.sh (pkg-config shared and static, CMake without a C++ standard)"

# Output captured first: under pipefail, `ldd | grep -q` fails at random when
# grep exits on the first match and ldd dies of SIGPIPE.
for program in check-cpp check-c; do
  deps=$(ldd "$work/$program")
  grep -q "libdmpverify.so.0" <<<"$deps" || fail "$program does not use the shared library: $deps"
done
kind=$(file "$work/check-static")
grep -q "statically linked" <<<"$kind" || fail "check-static is not static: $kind"

for program in check-c check-cpp check-static build/check; do
  out=$("$work/$program" "$work/cluster.wire" "$key" mesh.example.com) || fail "$program refused the wire"
  [ "$out" = "cluster.mesh.example.com seq 1" ] || fail "$program printed '$out'"
  if err=$("$work/$program" "$work/tampered.wire" "$key" mesh.example.com 2>&1); then
    fail "$program accepted a tampered wire"
  fi
  grep -q "^bad_signature: " <<<"$err" || fail "$program: no reason for the tampered wire: $err"
  if err=$("$work/$program" "$work/cluster.wire" "$key" other.example.com 2>&1); then
    fail "$program accepted the wire under another name"
  fi
  grep -q "^name_mismatch: " <<<"$err" || fail "$program: $err"
  echo "ok: README example $program"
done

out=$("$python" "$work/release_check.py" "$key" mesh.example.com "$work/cluster.wire") ||
  fail "release_check.py refused the wire"
grep -q "cluster.wire: cluster.mesh.example.com seq=1 exp=[0-9]* nodes=3$" <<<"$out" ||
  fail "release_check.py printed '$out'"
if err=$("$python" "$work/release_check.py" "$key" mesh.example.com "$work/cluster.wire" \
  "$work/tampered.wire" 2>&1); then
  fail "release_check.py passed a tampered wire"
fi
grep -q "tampered.wire: bad_signature: " <<<"$err" || fail "release_check.py: $err"
echo "ok: README example release_check.py"
