#!/usr/bin/env bash
# The main job on a demo, from a fresh clone: installs what is missing, builds
# the release preset, then on ./demo-out/:
#   keygen (passphrase from a 0600 file) -> pubkey -> sign examples/cluster.json
#   and examples/bootstrap.json (pinned to seq 1) -> dmp-verify both -> ledger.
# Run it twice: the second run reuses the demo key and ledger, and the signer
# refuses to sign seq 1 again, saying what to do.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target dmp-sign dmp-verify >/dev/null

sign=build/release/signer/dmp-sign
verify=build/release/signer/dmp-verify
out=demo-out
mkdir -p "$out" && chmod 700 "$out"
export DMP_SIGNER_STATE_DIR="$PWD/$out/state"

if [ ! -f "$out/operator.key" ]; then
  echo "== keygen (demo only: passphrase in a 0600 file, cheap KDF)"
  # A demo passphrase in a file; real operators type theirs at the prompt.
  (umask 077 && printf 'demo passphrase, not for production\n' >"$out/passphrase")
  "$sign" keygen --out "$out/operator.key" --comment "dmp-signer demo" --kdf interactive \
    --passphrase-file "$out/passphrase"
fi
echo "== pubkey"
pubkey=$("$sign" pubkey --key "$out/operator.key")
"$sign" pubkey --key "$out/operator.key" --format dmp-env

status=0
for record in cluster bootstrap; do
  echo "== sign examples/$record.json as seq 1"
  # The examples say "seq": "auto"; the demo pins seq 1 to show the ledger at work.
  sed 's/"seq": "auto"/"seq": 1/' "examples/$record.json" >"$out/$record.json"
  set +e
  "$sign" sign --first --key "$out/operator.key" --passphrase-file "$out/passphrase" --yes \
    --out "$out/$record.wire" "$out/$record.json"
  rc=$?
  set -e
  if [ "$rc" -eq 10 ]; then
    echo "(expected on a second run: the ledger refuses to sign seq 1 twice; the line above says what to do)"
  elif [ "$rc" -ne 0 ]; then
    status=$rc
  fi
done

echo "== dmp-verify"
"$verify" --pubkey "$pubkey" "$out/cluster.wire" "$out/bootstrap.wire"
"$verify" --pubkey "$pubkey" --name mesh.example.com --json "$out/cluster.wire"

echo "== ledger"
"$sign" ledger show
"$sign" ledger verify
exit "$status"
