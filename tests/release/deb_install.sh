#!/usr/bin/env bash
# Installs the .deb on this machine (root), checks the tools and helpers run
# from /usr, builds and runs the README's C, C++, CMake and Python examples
# against the installed package (no PKG_CONFIG_PATH, PYTHONPATH or
# LD_LIBRARY_PATH: what a fresh machine has), then removes the package.
# Usage: deb_install.sh DEB SOURCE_DIR
set -euo pipefail
deb=$1 source=$2
fail() { echo "FAIL: $*"; dpkg -r dmp-signer >/dev/null 2>&1 || true; exit 1; }

dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb"
dmp-sign --version && dmp-verify --version || fail "the installed tools do not run"
/usr/libexec/dmp-signer/dmp-sign-fido2 --version || fail "dmp-sign-fido2"
dmp-sign fido2 devices || fail "dmp-sign fido2 devices"
/usr/libexec/dmp-signer/dmp-sign-pkcs11 --version || fail "dmp-sign-pkcs11"
test -x /usr/libexec/dmp-signer/dmp-sign-qrscan || fail "dmp-sign-qrscan not installed"
dmp-sign pkcs11 list --module /usr/lib/softhsm/libsofthsm2.so >/dev/null || fail "pkcs11 list"
(env -u PYTHONPATH /usr/bin/python3 -c 'import dmpverify; print("dmpverify", dmpverify.__version__)') ||
  fail "Debian's python3 cannot import dmpverify from the package"
env -u PKG_CONFIG_PATH -u CMAKE_PREFIX_PATH -u PYTHONPATH -u LD_LIBRARY_PATH \
  bash "$source/tests/release/readme_consumers.sh" "$source" /usr/bin/dmp-sign /usr/bin/python3 ||
  fail "the README examples against the .deb"
dpkg -r dmp-signer >/dev/null || fail "dpkg -r"
echo "ok: .deb installs, runs, and serves the README's C, C++, CMake and Python examples"
