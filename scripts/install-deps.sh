#!/usr/bin/env bash
# Installs the Debian 12 packages dmp-signer builds and tests with, if any are
# missing. Idempotent; needs root (or sudo). Used by demo.sh and test-all.sh.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git file binutils
  libsodium-dev libcli11-dev nlohmann-json3-dev
  libfido2-dev libcbor-dev libssl-dev   # dmp-sign-fido2; tests/fido2 (soft authenticator)
  libp11-kit-dev softhsm2 opensc        # dmp-sign-pkcs11 (header); tests/pkcs11 (SoftHSM2, pkcs11-tool)
  libgtest-dev libgmock-dev libbenchmark-dev
  libqrcodegencpp-dev libpng-dev zlib1g-dev   # qr show/png (static in dmp-sign)
  libzbar-dev zbar-tools                      # dmp-sign-qrscan; zbarimg cross-checks the codes in tests
  clang libclang-rt-14-dev   # libFuzzer + sanitizers for the fuzz preset
  valgrind                   # memcheck over the CLI key paths (tests/valgrind)
  python3 python3-jsonschema # the dmpverify binding and its tests; the JSON Schema checks
  zsh fish                   # the zsh and fish completions are tested under the real shells
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# The slip39 npm package cross-checks SLIP-39 shares (tests/backup). Any
# node with npm will do (a NodeSource nodejs bundles npm and conflicts with
# Debian's npm package), so Debian's are installed only when there is none.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
