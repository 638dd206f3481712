#!/usr/bin/env bash
# Builds a release from the committed HEAD, twice, from two different source
# and build directories, and refuses unless dmp-sign, dmp-verify and the
# FIDO2, PKCS#11 and QR-scanning helpers (dmp-sign-fido2, dmp-sign-pkcs11, dmp-sign-qrscan) come out bit-identical. Then writes to OUT_DIR (default dist/): the stripped static
# binaries, the .deb and .tar.gz packages, and SHA256SUMS.
#   scripts/release.sh [OUT_DIR]
# Operators verify a release by running this on their own machine at the same
# commit and comparing SHA256SUMS (see SECURITY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-dist}")
bash scripts/install-deps.sh
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export LC_ALL=C TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_copy() {  # $1 = label; builds a fresh clone of HEAD under a label-specific path
  local src="$work/src-$1/checkout-$1"
  git clone --quiet --no-hardlinks "$PWD" "$src"
  cmake --preset release -S "$src" -DDMP_BUILD_TESTS=OFF -DDMP_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$src/build/release" -j "$(nproc)" >/dev/null
  echo "$src/build/release"
}

echo "== building twice from two directories"
a=$(build_copy one)
b=$(build_copy two)
status=0
for bin in signer/dmp-sign signer/dmp-verify signer/dmp-sign-fido2 signer/dmp-sign-pkcs11 signer/dmp-sign-qrscan; do
  ha=$(sha256sum <"$a/$bin" | cut -d' ' -f1)
  hb=$(sha256sum <"$b/$bin" | cut -d' ' -f1)
  if [ "$ha" = "$hb" ]; then
    echo "reproducible: $(basename "$bin") $ha"
  else
    echo "NOT reproducible: $(basename "$bin") ($ha vs $hb)"
    status=1
  fi
done
[ "$status" -eq 0 ] || exit 1

echo "== packaging into $out"
mkdir -p "$out"
for bin in dmp-sign dmp-verify; do
  strip --strip-all -o "$out/$bin" "$a/signer/$bin"
  echo "$bin: $(stat -c %s "$out/$bin") bytes stripped"
done
(cd "$a" && cpack -G "DEB;TGZ" -B "$work/packages" >/dev/null)
cp "$work"/packages/*.deb "$work"/packages/*.tar.gz "$out/"
(cd "$out" && sha256sum dmp-sign dmp-verify ./*.deb ./*.tar.gz | sed 's# \./# #' >SHA256SUMS)
cat "$out/SHA256SUMS"
