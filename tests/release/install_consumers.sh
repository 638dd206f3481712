#!/usr/bin/env bash
# Installs the build into a temporary prefix, checks the layout, then builds
# two tiny consumers against it — C through pkg-config, C++ through
# find_package(dmpverify) — and runs both on a reference vector wire.
# Usage: install_consumers.sh BUILD_DIR SOURCE_DIR VECTORS_DIR
set -euo pipefail
build=$1 source=$2 vectors=$3
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(cd "$prefix" && dirname "$(find . -name dmpverify.pc -path '*pkgconfig*' | head -n 1)")
libdir=${libdir%/pkgconfig}
for f in bin/dmp-sign bin/dmp-verify include/dmp/verify.h include/dmp/verify.hpp \
         "$libdir/libdmpverify.a" "$libdir/pkgconfig/dmpverify.pc" \
         "$libdir/cmake/dmpverify/dmpverifyConfig.cmake" share/man/man1/dmp-sign.1 \
         share/man/man1/dmp-verify.1 share/bash-completion/completions/dmp-sign; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
ls "$prefix/$libdir"/libdmpverify.so* >/dev/null 2>&1 || fail "shared library not installed"
echo "ok: install layout"

# The FIDO2 helper, where built, sits in libexec/dmp-signer/ and the
# installed dmp-sign finds it there by itself.
if [ -e "$build/signer/dmp-sign-fido2" ]; then
  [ -x "$prefix/libexec/dmp-signer/dmp-sign-fido2" ] || fail "not installed: libexec/dmp-signer/dmp-sign-fido2"
  "$prefix/bin/dmp-sign" --version | grep -q "fido2 helper: yes" || fail "--version does not report the FIDO2 helper"
  out=$("$prefix/bin/dmp-sign" fido2 devices 2>&1) || fail "installed dmp-sign did not find its helper: $out"
  echo "ok: installed dmp-sign finds libexec/dmp-signer/dmp-sign-fido2"
fi
# The PKCS#11 helper likewise: the installed dmp-sign must reach it (a
# module that does not exist is then the helper's answer, exit 14).
if [ -e "$build/signer/dmp-sign-pkcs11" ]; then
  [ -x "$prefix/libexec/dmp-signer/dmp-sign-pkcs11" ] || fail "not installed: libexec/dmp-signer/dmp-sign-pkcs11"
  "$prefix/bin/dmp-sign" --version | grep -q "pkcs11 helper: yes" || fail "--version does not report the PKCS#11 helper"
  out=$("$prefix/bin/dmp-sign" pkcs11 list --module "$work/no-such-module.so" 2>&1) && fail "a missing module was accepted"
  grep -q "cannot load the PKCS#11 module" <<<"$out" || fail "installed dmp-sign did not reach its PKCS#11 helper: $out"
  echo "ok: installed dmp-sign finds libexec/dmp-signer/dmp-sign-pkcs11"
fi

# The QR scanning helper: the installed dmp-sign writes a code and reads it
# back through libexec/dmp-signer/dmp-sign-qrscan.
if [ -e "$build/signer/dmp-sign-qrscan" ]; then
  [ -x "$prefix/libexec/dmp-signer/dmp-sign-qrscan" ] || fail "not installed: libexec/dmp-signer/dmp-sign-qrscan"
  printf 'v=dmp1;t=cluster;QR' >"$work/qr.wire"
  "$prefix/bin/dmp-sign" qr png "$work/qr.wire" --out-dir "$work/qr" >/dev/null || fail "qr png failed"
  out=$("$prefix/bin/dmp-sign" qr scan "$work/qr/frame-001.png" 2>/dev/null) || fail "installed dmp-sign did not reach its QR helper"
  [ "$out" = "v=dmp1;t=cluster;QR" ] || fail "qr scan read '$out'"
  echo "ok: installed dmp-sign finds libexec/dmp-signer/dmp-sign-qrscan"
fi

[ -f "$vectors/cluster_manifest.json" ] || fail "vectors not found in $vectors"
hex=$(grep -o '"expected_wire_hex": "[0-9a-f]*"' "$vectors/cluster_manifest.json" | head -n 1 | cut -d'"' -f4)
key=$(grep -o '"operator_spk_hex": "[0-9a-f]*"' "$vectors/cluster_manifest.json" | head -n 1 | cut -d'"' -f4)
printf '%s' "$hex" | sed 's/../\\x&/g' | xargs -0 printf '%b' >"$work/vector.wire"

export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
cc -std=c11 -Wall -Werror "$source/tests/release/consumers/c/main.c" -o "$work/c-consumer" \
  $(pkg-config --cflags --libs dmpverify)
LD_LIBRARY_PATH="$prefix/$libdir" "$work/c-consumer" "$work/vector.wire" "$key" ||
  fail "C consumer (pkg-config, shared library) rejected the vector wire"
echo "ok: C consumer via pkg-config"

cmake -S "$source/tests/release/consumers/cpp" -B "$work/cpp-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cpp-build" >/dev/null
"$work/cpp-build/cpp-consumer" "$work/vector.wire" "$key" ||
  fail "C++ consumer (find_package, static library) rejected the vector wire"
echo "ok: C++ consumer via find_package(dmpverify)"
