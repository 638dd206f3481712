#!/usr/bin/env bash
# Installs the build into a temporary prefix, checks the layout and what the
# shared library exports, then builds and runs the README's library examples
# against it (readme_consumers.sh).
# Usage: install_consumers.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
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
         lib/python3/dist-packages/dmpverify/__init__.py lib/python3/dist-packages/dmpverify/_build.py \
         share/man/man1/dmp-verify.1 share/bash-completion/completions/dmp-sign \
         share/zsh/vendor-completions/_dmp-sign share/fish/vendor_completions.d/dmp-sign.fish \
         share/doc/dmp-signer/README.md share/doc/dmp-signer/SECURITY.md \
         share/doc/dmp-signer/THIRD_PARTY_NOTICES.md \
         share/doc/dmp-signer/rollout.md share/doc/dmp-signer/rotation.md \
         share/doc/dmp-signer/pkcs11.md share/doc/dmp-signer/qr-frames.md \
         share/doc/dmp-signer/json.md share/doc/dmp-signer/backup.md \
         share/doc/dmp-signer/schema/dmp-verify.schema.json \
         share/doc/dmp-signer/schema/record.schema.json share/doc/dmp-signer/schema/inspect.schema.json \
         share/doc/dmp-signer/examples/README.md share/doc/dmp-signer/examples/cluster.json \
         share/doc/dmp-signer/examples/bootstrap.json; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
ls "$prefix/$libdir"/libdmpverify.so* >/dev/null 2>&1 || fail "shared library not installed"
# Every share/doc/dmp-signer/ path the tools' help points at is installed.
help=$("$prefix/bin/dmp-sign" rotate --help 2>&1)
grep -q "rotation.md in share/doc/dmp-signer" <<<"$help" || fail "rotate --help does not point at the installed runbook"
echo "ok: install layout (tools, library, Python package, man pages, completion, documentation)"

# The FIDO2 helper, where built, sits in libexec/dmp-signer/ and the
# installed dmp-sign finds it there by itself.
if [ -e "$build/signer/dmp-sign-fido2" ]; then
  [ -x "$prefix/libexec/dmp-signer/dmp-sign-fido2" ] || fail "not installed: libexec/dmp-signer/dmp-sign-fido2"
  grep -q "fido2 helper: yes" <<<"$("$prefix/bin/dmp-sign" --version)" || fail "--version does not report the FIDO2 helper"
  out=$("$prefix/bin/dmp-sign" fido2 devices 2>&1) || fail "installed dmp-sign did not find its helper: $out"
  echo "ok: installed dmp-sign finds libexec/dmp-signer/dmp-sign-fido2"
fi
# The PKCS#11 helper likewise: the installed dmp-sign must reach it (a
# module that does not exist is then the helper's answer, exit 14).
if [ -e "$build/signer/dmp-sign-pkcs11" ]; then
  [ -x "$prefix/libexec/dmp-signer/dmp-sign-pkcs11" ] || fail "not installed: libexec/dmp-signer/dmp-sign-pkcs11"
  grep -q "pkcs11 helper: yes" <<<"$("$prefix/bin/dmp-sign" --version)" || fail "--version does not report the PKCS#11 helper"
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

# The shared library exports the C ABI and the C++ API of the public
# headers, nothing internal (manifest/include/dmp/api.hpp).
so=$(ls "$prefix/$libdir"/libdmpverify.so.*.* | head -n 1)
soname=$(objdump -p "$so" | awk '/SONAME/ { print $2 }')
[ "$soname" = "libdmpverify.so.0.1" ] || fail "SONAME is '$soname', expected libdmpverify.so.0.1"
exports=$(nm -D --defined-only --demangle "$so")
for symbol in "T dmp_verify$" "T dmp_parse_key_hex$" "dmp::verify_cluster(" "dmp::verify(" \
              "dmp::encoding::public_key_from_hex(" "dmp::reason_name(" "dmp::rrset_name"; do
  grep -q -- "$symbol" <<<"$exports" || fail "libdmpverify.so does not export '$symbol'"
done
# field_rules.hpp and byte_io.hpp are internal: none of their functions may leak.
internal=$(grep -ohE '^[A-Za-z].* ([a-z_]+)\(' "$source/manifest/src/field_rules.hpp" \
  "$source/manifest/src/byte_io.hpp" | sed -E 's/.* ([a-z_]+)\($/\1/' | sort -u)
[ -n "$internal" ] || fail "found no internal functions to check"
for name in $internal; do
  if grep -qE "dmp::([a-z_]+::)?$name\(" <<<"$exports"; then fail "internal dmp::$name is exported"; fi
done
echo "ok: libdmpverify.so exports the C ABI and the C++ API only (SONAME $soname)"

# The README's examples, verbatim, against this prefix.
PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" CMAKE_PREFIX_PATH="$prefix" \
  LD_LIBRARY_PATH="$prefix/$libdir" PYTHONPATH="$prefix/lib/python3/dist-packages" \
  bash "$source/tests/release/readme_consumers.sh" "$source" "$prefix/bin/dmp-sign"
