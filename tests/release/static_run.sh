#!/usr/bin/env bash
# The static binaries: `file`/`ldd` say so, and each runs alone in an empty
# root (no libraries, no /etc, no /dev), signing and verifying a record.
# Usage: static_run.sh DMP_SIGN DMP_VERIFY
set -euo pipefail
sign=$1 verify=$2
fail() { echo "FAIL: $*"; exit 1; }

for bin in "$sign" "$verify"; do
  desc=$(file -b "$bin")
  [[ "$desc" == *"statically linked"* || "$desc" == *"static-pie linked"* ]] ||
    fail "$bin is not statically linked: $desc"
  out=$(ldd "$bin" 2>&1 || true)
  [[ "$out" == *"not a dynamic executable"* || "$out" == *"statically linked"* ]] ||
    fail "ldd lists libraries for $bin: $out"
  echo "ok: $(basename "$bin"): $desc"
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$sign" "$root/dmp-sign"
cp "$verify" "$root/dmp-verify"
(umask 077 && printf 'static run passphrase\n' >"$root/pass")
chmod 700 "$root"
cat >"$root/cluster.json" <<'JSON'
{"type": "cluster", "cluster_name": "mesh.example.com", "seq": 1, "expires_in": "30d",
 "nodes": [{"node_id": "n01", "http_endpoint": "https://n1.mesh.example.com:8053", "dns_endpoint": null}]}
JSON

# env -i clears PATH, so the wrappers are named by absolute path.
unshare_bin=$(command -v unshare || true)
chroot_bin=$(command -v chroot || true)
mode=""
if [ -n "$unshare_bin" ] && [ -n "$chroot_bin" ] &&
   "$unshare_bin" -r "$chroot_bin" "$root" /dmp-sign --version >/dev/null 2>&1; then
  mode="unshare -r chroot"
  wrap=("$unshare_bin" -r "$chroot_bin" "$root")
elif [ "$(id -u)" -eq 0 ] && [ -n "$chroot_bin" ] &&
     "$chroot_bin" "$root" /dmp-sign --version >/dev/null 2>&1; then
  mode="chroot (as root; user namespaces unavailable)"
  wrap=("$chroot_bin" "$root")
else
  mode="env -i in the copied directory (no chroot available)"
  wrap=()
fi
echo "mode: $mode"

if [ ${#wrap[@]} -gt 0 ]; then
  p=""
else
  p="$root"
  cd "$root"
fi
env -i "${wrap[@]}" "$p/dmp-sign" keygen --out "$p/op.key" --kdf interactive --passphrase-file "$p/pass" >/dev/null 2>&1 ||
  fail "keygen failed in the empty root"
env -i "${wrap[@]}" "$p/dmp-sign" sign --first --key "$p/op.key" --passphrase-file "$p/pass" --state-dir "$p/state" \
  --yes --out "$p/c.wire" "$p/cluster.json" 2>/dev/null || fail "sign failed in the empty root"
pubkey=$(env -i "${wrap[@]}" "$p/dmp-sign" pubkey --key "$p/op.key") || fail "pubkey failed"
env -i "${wrap[@]}" "$p/dmp-verify" --pubkey "$pubkey" --name mesh.example.com "$p/c.wire" ||
  fail "verify failed in the empty root"
echo "ok: signed and verified with only the two binaries ($mode)"
