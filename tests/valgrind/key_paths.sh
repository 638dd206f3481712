#!/usr/bin/env bash
# Usage: key_paths.sh DMP_SIGN DMP_VERIFY EXAMPLES_DIR
# Runs the key paths of the real binaries under valgrind memcheck and fails
# on any valgrind error: keygen, pubkey, passwd, import, sign of the two
# examples, inspect, ledger show/verify, and dmp-verify of the wires.
#
# The binaries are dynamically linked builds of the release sources
# (dmp-sign-dynamic, dmp-verify-dynamic; tests/valgrind/valgrind.cmake says
# why not the static-pie release binaries): memcheck must replace malloc to
# see heap errors and leaks, and the first check below proves that it does.
#
# Cost: Argon2id "interactive" (64 MiB, 2 passes; key files refuse anything
# cheaper) takes seconds under memcheck, so each command that needs the KDF
# runs once: keygen, passwd (unlock + seal), import, and one sign of both
# examples (one unlock).
set -euo pipefail
sign=$1 verify=$2 examples=$3

if ! command -v valgrind >/dev/null; then
  echo "SKIP: valgrind is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
vg_log="$work/valgrind.log"
vg=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
  --errors-for-leak-kinds=definite
  --log-file="$vg_log")

step=0
# run NAME EXPECTED_EXIT CMD...: the command under memcheck, its output kept.
run() {
  local name=$1 want=$2 rc=0
  shift 2
  step=$((step + 1))
  "${vg[@]}" "$@" >"$work/out.$step" 2>"$work/err.$step" || rc=$?
  if [ "$rc" -eq 99 ] || [ "$rc" -ne "$want" ]; then
    echo "FAIL: $name: exit $rc (want $want; 99 = valgrind error)"
    cat "$work/err.$step" "$vg_log"
    exit 1
  fi
  echo "ok: $name"
}

# With its malloc replacement active, memcheck's heap summary counts the
# allocations; on a static binary it says "0 allocs" and checks no heap.
for bin in "$sign" "$verify"; do
  run "$(basename "$bin") --help (heap is tracked)" 0 "$bin" --help
  if ! grep -qE "total heap usage: [1-9][0-9,]* allocs" "$vg_log"; then
    echo "FAIL: memcheck does not see the heap of $bin (statically linked?)"
    cat "$vg_log"
    exit 1
  fi
done

umask 077
printf 'valgrind test passphrase, long enough\n' >"$work/pass"
printf 'another valgrind test passphrase here\n' >"$work/pass2"
printf '%s\n' 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 >"$work/seed"
state=(--state-dir "$work/state")

run "keygen" 0 "$sign" keygen --out "$work/op.key" --kdf interactive \
  --passphrase-file "$work/pass" --comment valgrind
pubkey=$("$sign" pubkey --key "$work/op.key")
run "pubkey" 0 "$sign" pubkey --key "$work/op.key" --format json
run "passwd" 0 "$sign" passwd --key "$work/op.key" --passphrase-file "$work/pass" \
  --new-passphrase-file "$work/pass2"
run "passwd with the wrong passphrase" 5 "$sign" passwd --key "$work/op.key" \
  --passphrase-file "$work/pass" --new-passphrase-file "$work/pass2"
run "import --ed25519-seed-hex-file" 0 "$sign" import --out "$work/imported.key" \
  --ed25519-seed-hex-file "$work/seed" --kdf interactive --passphrase-file "$work/pass"
mkdir "$work/out"
run "sign cluster.json bootstrap.json" 0 "$sign" sign --first --key "$work/op.key" \
  --passphrase-file "$work/pass2" "${state[@]}" --yes --now 2030-01-01T00:00:00Z \
  --out-dir "$work/out" "$examples/cluster.json" "$examples/bootstrap.json"
wires=("$work"/out/*.wire)
[ "${#wires[@]}" -eq 2 ] || { echo "FAIL: expected 2 wires, got ${wires[*]}"; exit 1; }
for w in "${wires[@]}"; do
  run "inspect $(basename "$w")" 0 "$sign" inspect "$w" --pubkey "$pubkey"
done
run "ledger show" 0 "$sign" ledger show "${state[@]}"
run "ledger show --json" 0 "$sign" ledger show --json "${state[@]}"
run "ledger verify" 0 "$sign" ledger verify "${state[@]}"
run "dmp-verify" 0 "$verify" --pubkey "$pubkey" --now 2030-01-01T00:00:00Z --json "${wires[@]}"
run "dmp-verify --name (mismatch)" 1 "$verify" --pubkey "$pubkey" --now 2030-01-01T00:00:00Z \
  --name other.example "${wires[@]}"
echo "all key paths clean under memcheck"
