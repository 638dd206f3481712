#!/usr/bin/env bash
# Benchmarks of dmp-verify and dmp-sign against the libsodium floor and
# against minisign and signify, measured side by side in one run.
#
#   scripts/bench/run.sh [--quick] [--build-dir DIR] [--jobs N] [--keep] [--no-install]
#
# Installs what it needs if missing (minisign, signify-openbsd, GNU time and
# the build dependencies), configures and builds the release preset in its own
# build directory (default build/bench; only dmp-sign, dmp-verify and
# dmp-bench-raw), generates every input in a temporary directory (removed at
# the end unless --keep), and prints one markdown table per section on
# standard output; progress goes to standard error. Sections:
#   1. batch verification of N wires: raw crypto_sign_verify_detached, dmp-verify
#      (one process for all files, and one process per file), minisign -V and
#      signify -V (one process per file: neither verifies several files at once)
#   2. signing without the KDF: raw crypto_sign_detached, dmp-sign sign (batch),
#      minisign -S (batch), signify -S (one process per file)
#   3. key unlock: dmp-sign's key files (Argon2id) vs minisign's default
#      (scrypt) and signify (bcrypt_pbkdf): time and peak RSS
#   4. peak RSS of dmp-verify over growing batches (distinct files)
#   5. binary sizes, 6. process start time
# Timings are the best of R rounds (rounds interleave the contenders), wall
# clock; the machine is whatever runs this, so read the ratios rather than the
# absolute numbers. Nothing here asserts anything about time.
set -euo pipefail
export LC_ALL=C  # EPOCHREALTIME with a '.', plain number formats

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "run.sh: error: $*" >&2; exit 1; }
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir="$repo/build/bench"
jobs=2
quick=0
keep=0
install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --keep) keep=1 ;;
    --no-install) install=0 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; build_dir=$2; shift ;;
    --jobs|-j) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a positive number, not '$jobs'"
case "$build_dir" in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac

# Sizes: N wires verified and signed in batch, P files for the one-process-
# per-file loops (scaled to N in the tables), R rounds (best kept).
if [ "$quick" -eq 1 ]; then
  N=500 P=50 R=1 KDF_R=1 START_RUNS=20 MEM_NS=(100 500 2000)
else
  N=10000 P=1000 R=3 KDF_R=3 START_RUNS=200 MEM_NS=(1000 10000 50000)
fi
NOW=1900000000  # the clock for signing and verifying; the records expire at 1930000000

# ---------------------------------------------------------------- set-up
need_pkgs=()
for pair in minisign:minisign signify-openbsd:signify-openbsd time:/usr/bin/time \
            util-linux:setsid binutils:strip xargs:xargs; do
  pkg=${pair%%:*} cmd=${pair#*:}
  [ "$pkg" = xargs ] && pkg=findutils
  command -v "$cmd" >/dev/null 2>&1 || need_pkgs+=("$pkg")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$install" -eq 1 ] || die "missing ${need_pkgs[*]} (and --no-install given)"
  log "installing ${need_pkgs[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq || die "apt-get update failed"
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || die "apt-get install ${need_pkgs[*]} failed"
fi
if [ "$install" -eq 1 ]; then
  bash "$repo/scripts/install-deps.sh" || die "scripts/install-deps.sh failed"
fi

log "building dmp-sign, dmp-verify, dmp-bench-raw, dmp-bench-ledger in $build_dir (-j$jobs)"
(cd "$repo" && cmake --preset release -B "$build_dir" -DDMP_BUILD_BENCHMARKS=ON >/dev/null) \
  || die "cmake configure failed (cmake --preset release -B $build_dir)"
build_log="$build_dir/bench-build.log"
cmake --build "$build_dir" -j "$jobs" --target dmp-sign dmp-verify dmp-bench-raw dmp-bench-ledger >"$build_log" 2>&1 \
  || { tail -n 20 "$build_log" >&2; die "build failed (log: $build_log)"; }
SIGN="$build_dir/signer/dmp-sign"
VERIFY="$build_dir/signer/dmp-verify"
RAW="$build_dir/tests/bench/dmp-bench-raw"
LEDGER_BENCH="$build_dir/tests/bench/dmp-bench-ledger"
MINISIGN=$(command -v minisign)
SIGNIFY=$(command -v signify-openbsd)
for b in "$SIGN" "$VERIFY" "$RAW" "$LEDGER_BENCH"; do [ -x "$b" ] || die "$b was not built"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmp-bench.XXXXXX") || die "mktemp failed"
# The many small files of section 4 go to tmpfs when there is one: creating and
# deleting 50 000 files on a busy shared disk takes minutes, and dmp-verify
# reads them from the page cache either way. Everything dmp-sign writes (and
# fsyncs) stays on the disk of $tmp.
gen_dir="$tmp/gen" gen_where="on the disk of \$TMPDIR"
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -gt 262144 ] 2>/dev/null; then
  if gen_dir=$(mktemp -d /dev/shm/dmp-bench-gen.XXXXXX); then gen_where="on tmpfs (/dev/shm)"; else gen_dir="$tmp/gen"; fi
fi
cleanup() {
  if [ "$keep" -eq 1 ]; then
    log "inputs kept in $tmp and $gen_dir"
  else
    log "removing the temporary inputs"
    rm -rf "$tmp"
    case "$gen_dir" in /dev/shm/dmp-bench-gen.*) rm -rf "$gen_dir" ;; esac
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 700 "$tmp"
export DMP_SIGNER_STATE_DIR="$tmp/state"  # never the user's real ledger
errlog="$tmp/stderr.log"

# ---------------------------------------------------------------- helpers
now_us() { echo "${EPOCHREALTIME/./}"; }

# run_once CMD...: runs CMD once (stdin from $STDIN_FILE, stdout to
# $tmp/last.out, stderr appended to $errlog) and sets WALL_US, CPU_S, RSS_KB.
# A failure (exit status not in $OK_RC) aborts the run.
STDIN_FILE=/dev/null
OK_RC=0
run_once() {
  local t0 t1 rc=0
  t0=$(now_us)
  /usr/bin/time -f '%U %S %M' -o "$tmp/time.out" "$@" <"$STDIN_FILE" >"$tmp/last.out" 2>>"$errlog" \
    || rc=$?
  t1=$(now_us)
  if [[ " $OK_RC " != *" $rc "* ]]; then
    echo "--- last lines of stderr:" >&2
    tail -n 5 "$errlog" >&2
    die "exit status $rc from: $*"
  fi
  WALL_US=$((t1 - t0))
  local u s m
  read -r u s m < <(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$tmp/time.out" | tail -n 1)
  CPU_S=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  RSS_KB=$m
}

# best NAME CMD...: run_once, keeping per NAME the fastest wall time (µs), the
# smallest CPU time (s) and the largest peak RSS (KiB) seen.
declare -A B_WALL B_CPU B_RSS
keep_min() {  # keep_min ARRAY NAME VALUE
  local -n arr=$1
  if [ -z "${arr[$2]:-}" ] || awk -v a="$3" -v b="${arr[$2]}" 'BEGIN { exit !(a < b) }'; then arr[$2]=$3; fi
}
best() {
  local name=$1; shift
  run_once "$@"
  keep_min B_WALL "$name" "$WALL_US"
  keep_min B_CPU "$name" "$CPU_S"
  if [ -z "${B_RSS[$name]:-}" ] || [ "$RSS_KB" -gt "${B_RSS[$name]}" ]; then B_RSS[$name]=$RSS_KB; fi
}
# raw NAME ARGS...: dmp-bench-raw ARGS, keeping its in-process loop time
# (best_s, best_cpu_s) under NAME, and its file reading time in READ_US[NAME].
declare -A READ_US
raw() {
  local name=$1; shift
  run_once "$RAW" "$@"
  local us
  us=$(awk -v s="$(kv best_s)" 'BEGIN { printf "%d", s * 1e6 }')
  if [ -z "${B_WALL[$name]:-}" ] || [ "$us" -lt "${B_WALL[$name]}" ]; then
    B_WALL[$name]=$us
    READ_US[$name]=$(awk -v s="$(kv read_s)" 'BEGIN { printf "%d", s * 1e6 }')
  fi
  keep_min B_CPU "$name" "$(kv best_cpu_s)"
}

# Formatting: fmt_us MICROSECONDS -> "12.3 µs" / "4.56 ms" / "1.23 s".
fmt_us() {
  awk -v x="$1" 'BEGIN {
    if (x < 1000) printf "%.1f µs", x; else if (x < 1e6) printf "%.2f ms", x / 1e3;
    else printf "%.2f s", x / 1e6 }'
}
fmt_kib() { awk -v k="$1" 'BEGIN { if (k < 10240) printf "%.1f MiB", k / 1024; else printf "%.0f MiB", k / 1024 }'; }
fmt_bytes() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.0f KiB", b / 1024; else printf "%.2f MiB", b / 1048576 }'; }
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) { print "—"; exit } r = a / b
    if (r >= 10) printf "%.0f×", r; else if (r >= 1) printf "%.2f×", r; else printf "%.2g×", r }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# Parses key=value output of dmp-bench-raw: kv KEY < file
kv() { tr ' ' '\n' <"$tmp/last.out" | sed -n "s/^$1=//p"; }

out="$tmp/tables.md"
: >"$out"
emit() { printf '%s\n' "$@" >>"$out"; }

# ---------------------------------------------------------------- inputs
CORES=$(getconf _NPROCESSORS_ONLN)
log "machine: $(nproc) vCPU, load average $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$tmp/json" "$tmp/wires" "$gen_dir" "$tmp/kdf" "$tmp/peers"
(umask 077 && printf 'dmp-bench passphrase, not for production\n' >"$tmp/passphrase")

# N unsigned cluster manifests, distinct names, 6 nodes each: ~640-byte wires.
nodes=""
for j in 1 2 3 4 5 6; do
  nodes+="${nodes:+,}{\"node_id\":\"n0$j\",\"http_endpoint\":\"https://n$j.mesh.example.com:8053\",\"dns_endpoint\":\"203.0.113.$j:53\"}"
done
for ((i = 1; i <= N; i++)); do
  printf -v id '%06d' "$i"
  printf '{"type":"cluster","cluster_name":"c%s.mesh.example.com","nodes":[%s],"seq":1,"exp":1930000000}\n' \
    "$id" "$nodes" >"$tmp/json/$id.json"
done
json_files=("$tmp"/json/*.json)

log "keys: dmp-sign (interactive KDF for the batch), minisign -W, signify -n"
run_once "$SIGN" keygen --out "$tmp/batch.key" --kdf interactive --passphrase-file "$tmp/passphrase"
run_once "$SIGN" pubkey --key "$tmp/batch.key"
PUB=$(cat "$tmp/last.out")
run_once "$MINISIGN" -G -W -p "$tmp/peers/nopw.pub" -s "$tmp/peers/nopw.key"
run_once "$SIGNIFY" -G -n -p "$tmp/peers/signify.pub" -s "$tmp/peers/signify.sec"

# ---------------------------------------------------------------- 2. signing (runs first: it makes the wires)
log "signing: dmp-sign sign of $N records in one process (makes the wires of section 1)"
run_once "$SIGN" sign --first --key "$tmp/batch.key" --passphrase-file "$tmp/passphrase" --yes --now "$NOW" \
  --state-dir "$tmp/state/batch" --out-dir "$tmp/wires" "${json_files[@]}"
sign_n_wall=$WALL_US sign_n_cpu=$CPU_S
mapfile -t wires < <(cd "$tmp/wires" && ls)
[ "${#wires[@]}" -eq "$N" ] || die "dmp-sign wrote ${#wires[@]} wires, expected $N"
wire_bytes=$(stat -c %s "$tmp/wires/${wires[0]}")
for ((i = 0; i < P; i++)); do cp "$tmp/wires/${wires[i]}" "$tmp/peers/$(printf '%06d' "$i").wire"; done
peer_files=("$tmp"/peers/*.wire)
printf '%s\n' "${peer_files[@]}" >"$tmp/peer-list"
printf '%s\n' "${peer_files[0]}" >"$tmp/peer-one"

for ((r = 1; r <= R; r++)); do
  log "signing round $r/$R: floor, dmp-sign 1 record, minisign -S, signify -S"
  raw sign_floor sign --repeat 1 "${wires[@]/#/$tmp/wires/}"
  rm -rf "$tmp/state/one" "$tmp/one" && mkdir -p "$tmp/one"
  best sign_one "$SIGN" sign --first --key "$tmp/batch.key" --passphrase-file "$tmp/passphrase" --yes \
    --now "$NOW" --state-dir "$tmp/state/one" --out-dir "$tmp/one" "${json_files[0]}"
  rm -f "$tmp"/peers/*.minisig "$tmp"/peers/*.sig
  best minisign_sign_one "$MINISIGN" -S -s "$tmp/peers/nopw.key" -m "${peer_files[0]}"
  rm -f "$tmp"/peers/*.minisig
  best minisign_sign_p "$MINISIGN" -S -s "$tmp/peers/nopw.key" -m "${peer_files[@]}"
  best signify_sign_p xargs -d '\n' -a "$tmp/peer-list" -n 1 "$SIGNIFY" -S -s "$tmp/peers/signify.sec" -m
done
# The ledger commit alone, P records on the same disk as the state above:
# one append (and fsync, and head replace) per record, as `sign --out-dir` did
# before the group commit, against one group commit of all P.
for mode in each group; do
  log "ledger commit: $P records, $mode"
  run_once "$LEDGER_BENCH" --dir "$tmp/ledger-bench" --mode "$mode" --records "$P" --repeat "$R"
  B_WALL[ledger_$mode]=$(awk -v s="$(kv best_s)" 'BEGIN { printf "%d", s * 1e6 }')
  B_CPU[ledger_$mode]=$(kv best_cpu_s)
done
# Per record, µs: wall and CPU.
per() { awk -v a="$1" -v n="$2" -v scale="${3:-1}" 'BEGIN { printf "%.3f", a * scale / n }'; }
diff_per() { awk -v a="$1" -v b="$2" -v n="$3" -v scale="${4:-1}" 'BEGIN { printf "%.3f", (a - b) * scale / (n - 1) }'; }
floor_sign_us=$(per "${B_WALL[sign_floor]}" "$N")
floor_sign_cpu=$(per "${B_CPU[sign_floor]}" "$N" 1e6)
dmp_sign_us=$(diff_per "$sign_n_wall" "${B_WALL[sign_one]}" "$N")
dmp_sign_cpu=$(diff_per "$sign_n_cpu" "${B_CPU[sign_one]}" "$N" 1e6)
mini_sign_us=$(diff_per "${B_WALL[minisign_sign_p]}" "${B_WALL[minisign_sign_one]}" "$P")
mini_sign_cpu=$(diff_per "${B_CPU[minisign_sign_p]}" "${B_CPU[minisign_sign_one]}" "$P" 1e6)
signify_sign_us=$(per "${B_WALL[signify_sign_p]}" "$P")
signify_sign_cpu=$(per "${B_CPU[signify_sign_p]}" "$P" 1e6)

# ---------------------------------------------------------------- 1. verification
for ((r = 1; r <= R; r++)); do
  log "verification round $r/$R: floor, dmp-verify batch, then $P processes each of dmp-verify, minisign, signify"
  raw verify_floor verify --repeat 1 --pubkey "$PUB" "${wires[@]/#/$tmp/wires/}"
  pushd "$tmp/wires" >/dev/null
  best verify_batch "$VERIFY" -j 1 --pubkey "$PUB" --now "$NOW" --quiet "${wires[@]}"
  best verify_batch_j "$VERIFY" -j "$CORES" --pubkey "$PUB" --now "$NOW" --quiet "${wires[@]}"
  popd >/dev/null
  best verify_each xargs -d '\n' -a "$tmp/peer-list" -n 1 "$VERIFY" --pubkey "$PUB" --now "$NOW" --quiet
  best minisign_each xargs -d '\n' -a "$tmp/peer-list" -n 1 "$MINISIGN" -V -q -p "$tmp/peers/nopw.pub" -m
  best signify_each xargs -d '\n' -a "$tmp/peer-list" -n 1 "$SIGNIFY" -V -q -p "$tmp/peers/signify.pub" -m
done
floor_us=$(per "${B_WALL[verify_floor]}" "$N")
floor_cpu=$(per "${B_CPU[verify_floor]}" "$N" 1e6)
floor_read_us=$(per "$((${B_WALL[verify_floor]} + ${READ_US[verify_floor]}))" "$N")

emit "### 1. Batch verification of N = $N wires ($wire_bytes-byte cluster manifests, 6 nodes, signed by dmp-sign)" ""
emit "Best of $R rounds; wall clock, and CPU time (user+sys) which a shared machine disturbs less. \"1 process per file\" rows run $P processes one after another (\`xargs -n 1\`) over the first $P wires and are scaled to N. minisign and signify verify one file per invocation, so they have no batch row."
emit "" "| Verifier | How | Files run | Wall for N | Wall per record | × floor | CPU per record | × floor (CPU) |"
emit "|---|---|---:|---:|---:|---:|---:|---:|"
emit "| libsodium \`crypto_sign_verify_detached\` (floor) | in-process loop over the parsed (body, signature) pairs | $N | $(fmt_us "${B_WALL[verify_floor]}") | $(fmt_us "$floor_us") | 1.00× | $(fmt_us "$floor_cpu") | 1.00× |"
emit "| libsodium floor + reading the files | the same plus open/read/close of each file | $N | $(fmt_us "$(awk -v a="$floor_read_us" -v n="$N" 'BEGIN { print a * n }')") | $(fmt_us "$floor_read_us") | $(ratio "$floor_read_us" "$floor_us") | — | — |"
v_us=$(per "${B_WALL[verify_batch]}" "$N")
v_cpu=$(per "${B_CPU[verify_batch]}" "$N" 1e6)
emit "| \`dmp-verify -j 1 --quiet FILE...\` | 1 process, all files, 1 thread | $N | $(fmt_us "${B_WALL[verify_batch]}") | $(fmt_us "$v_us") | $(ratio "$v_us" "$floor_us") | $(fmt_us "$v_cpu") | $(ratio "$v_cpu" "$floor_cpu") |"
vj_us=$(per "${B_WALL[verify_batch_j]}" "$N")
vj_cpu=$(per "${B_CPU[verify_batch_j]}" "$N" 1e6)
emit "| \`dmp-verify -j $CORES --quiet FILE...\` | 1 process, all files, $CORES threads (the online cores, the default) | $N | $(fmt_us "${B_WALL[verify_batch_j]}") | $(fmt_us "$vj_us") | $(ratio "$vj_us" "$floor_us") | $(fmt_us "$vj_cpu") | $(ratio "$vj_cpu" "$floor_cpu") |"
for row in "verify_each|\`dmp-verify --quiet FILE\`" "minisign_each|\`minisign -V -q\`" "signify_each|\`signify-openbsd -V -q\`"; do
  key=${row%%|*} label=${row#*|}
  each_us=$(per "${B_WALL[$key]}" "$P")
  each_cpu=$(per "${B_CPU[$key]}" "$P" 1e6)
  emit "| $label | 1 process per file | $P (×$(awk -v n="$N" -v p="$P" 'BEGIN { printf "%g", n / p }')) | $(fmt_us "$(awk -v a="$each_us" -v n="$N" 'BEGIN { print a * n }')") | $(fmt_us "$each_us") | $(ratio "$each_us" "$floor_us") | $(fmt_us "$each_cpu") | $(ratio "$each_cpu" "$floor_cpu") |"
done
emit "| minisign, signify | batch | — | — | — | — | — | not supported: one file per invocation |"
emit ""

emit "### 2. Signing, KDF excluded (N = $N records)" ""
emit "Floor: \`crypto_sign_detached\` over the same $N bodies in one process (best of $R). dmp-sign: one \`sign --out-dir\` run over N inputs minus the best of $R runs over 1 input, divided by N−1 (the key is unlocked once per run, so the KDF and process start cancel out); per record it parses the JSON, prints the review and writes the wire atomically with fsync; the batch's ledger entries are one group commit (one fsync for all, before the first wire). The two \`dmp-bench-ledger\` rows time that commit alone, for $P entries on the same disk, the old way (one append per record) and the group commit. minisign: \`-S -m\` over $P files minus over 1 file (same subtraction), unencrypted key (\`-W\`). signify: $P processes (\`-S\` signs one file), key without passphrase (\`-n\`)."
emit "" "| Signer | How | Wall per record | × floor | CPU per record | × floor (CPU) |"
emit "|---|---|---:|---:|---:|---:|"
emit "| libsodium \`crypto_sign_detached\` (floor) | in-process loop | $(fmt_us "$floor_sign_us") | 1.00× | $(fmt_us "$floor_sign_cpu") | 1.00× |"
emit "| \`dmp-sign sign --out-dir\` | 1 process, $N inputs (one run: $(fmt_us "$sign_n_wall") wall, ${sign_n_cpu} s CPU) | $(fmt_us "$dmp_sign_us") | $(ratio "$dmp_sign_us" "$floor_sign_us") | $(fmt_us "$dmp_sign_cpu") | $(ratio "$dmp_sign_cpu" "$floor_sign_cpu") |"
ledger_each_us=$(per "${B_WALL[ledger_each]}" "$P")
ledger_each_cpu=$(per "${B_CPU[ledger_each]}" "$P" 1e6)
ledger_group_us=$(per "${B_WALL[ledger_group]}" "$P")
ledger_group_cpu=$(per "${B_CPU[ledger_group]}" "$P" 1e6)
emit "| its ledger commit, before: one append per record (\`dmp-bench-ledger --mode each\`) | $P entries, each with a ledger fsync and an fsync'd head replace | $(fmt_us "$ledger_each_us") | $(ratio "$ledger_each_us" "$floor_sign_us") | $(fmt_us "$ledger_each_cpu") | $(ratio "$ledger_each_cpu" "$floor_sign_cpu") |"
emit "| its ledger commit, now: one group commit (\`dmp-bench-ledger --mode group\`) | $P entries, one announcement, one ledger fsync, one head replace ($(ratio "$ledger_each_us" "$ledger_group_us") faster) | $(fmt_us "$ledger_group_us") | $(ratio "$ledger_group_us" "$floor_sign_us") | $(fmt_us "$ledger_group_cpu") | $(ratio "$ledger_group_cpu" "$floor_sign_cpu") |"
emit "| \`minisign -S -m FILE...\` | 1 process, $P files | $(fmt_us "$mini_sign_us") | $(ratio "$mini_sign_us" "$floor_sign_us") | $(fmt_us "$mini_sign_cpu") | $(ratio "$mini_sign_cpu" "$floor_sign_cpu") |"
emit "| \`signify-openbsd -S\` | 1 process per file, $P files | $(fmt_us "$signify_sign_us") | $(ratio "$signify_sign_us" "$floor_sign_us") | $(fmt_us "$signify_sign_cpu") | $(ratio "$signify_sign_cpu" "$floor_sign_cpu") |"
emit ""

# ---------------------------------------------------------------- 3. key unlock
log "key unlock: keygen with each dmp-sign KDF level, minisign and signify with a passphrase"
declare -A KDF_LABEL
for level in sensitive moderate interactive; do
  run_once "$SIGN" keygen --out "$tmp/kdf/$level.key" --kdf "$level" --passphrase-file "$tmp/passphrase"
  KDF_LABEL[$level]=$(sed -n 's/^key file:.*(\(.*\))$/\1/p' "$tmp/last.out")
done
printf 'dmp-bench\ndmp-bench\n' >"$tmp/minisign-pw"
STDIN_FILE="$tmp/minisign-pw"
run_once "$MINISIGN" -G -p "$tmp/kdf/minisign.pub" -s "$tmp/kdf/minisign.key"
run_once setsid -w "$SIGNIFY" -G -p "$tmp/kdf/signify.pub" -s "$tmp/kdf/signify.sec"
STDIN_FILE=/dev/null
cp "${peer_files[0]}" "$tmp/kdf/file.wire"
for ((r = 1; r <= KDF_R; r++)); do
  log "key unlock round $r/$KDF_R"
  for level in sensitive moderate interactive; do
    best "unlock_$level" "$SIGN" sign --first --key "$tmp/kdf/$level.key" --passphrase-file "$tmp/passphrase" \
      --yes --now "$NOW" --state-dir "$tmp/state/kdf-$level" --out "$tmp/kdf/$level.$r.wire" "${json_files[0]}"
  done
  STDIN_FILE="$tmp/minisign-pw"
  best unlock_minisign "$MINISIGN" -S -s "$tmp/kdf/minisign.key" -x "$tmp/kdf/m.$r.minisig" -m "$tmp/kdf/file.wire"
  best unlock_signify setsid -w "$SIGNIFY" -S -s "$tmp/kdf/signify.sec" -x "$tmp/kdf/s.$r.sig" -m "$tmp/kdf/file.wire"
  STDIN_FILE=/dev/null
  best unlock_minisign_nopw "$MINISIGN" -S -s "$tmp/peers/nopw.key" -x "$tmp/kdf/w.$r.minisig" -m "$tmp/kdf/file.wire"
done
emit "### 3. Key unlock: passphrase KDF time and memory (sign 1 record/file)" ""
emit "One process that unlocks the key and signs one record, best of $KDF_R; peak RSS is \`/usr/bin/time\`'s maximum resident set size (\`%M\`, as in \`-v\`): the KDF's memory. Signing itself is the last row's cost."
emit "" "| Tool and key | KDF | Wall | CPU (user+sys) | Peak RSS | Wall × minisign default | RSS × minisign default |"
emit "|---|---|---:|---:|---:|---:|---:|"
for level in sensitive moderate interactive; do
  tag=""; [ "$level" = sensitive ] && tag=" (default)"
  emit "| dmp-sign, \`--kdf $level\`$tag | ${KDF_LABEL[$level]} | $(fmt_us "${B_WALL[unlock_$level]}") | ${B_CPU[unlock_$level]} s | $(fmt_kib "${B_RSS[unlock_$level]}") | $(ratio "${B_WALL[unlock_$level]}" "${B_WALL[unlock_minisign]}") | $(ratio "${B_RSS[unlock_$level]}" "${B_RSS[unlock_minisign]}") |"
done
emit "| minisign, default (\`-G\` with a password) | scrypt, libsodium \"sensitive\" limits (1 GiB) | $(fmt_us "${B_WALL[unlock_minisign]}") | ${B_CPU[unlock_minisign]} s | $(fmt_kib "${B_RSS[unlock_minisign]}") | 1.00× | 1.00× |"
emit "| signify, default (\`-G\` with a passphrase) | bcrypt_pbkdf, 42 rounds | $(fmt_us "${B_WALL[unlock_signify]}") | ${B_CPU[unlock_signify]} s | $(fmt_kib "${B_RSS[unlock_signify]}") | $(ratio "${B_WALL[unlock_signify]}" "${B_WALL[unlock_minisign]}") | $(ratio "${B_RSS[unlock_signify]}" "${B_RSS[unlock_minisign]}") |"
emit "| minisign, unencrypted key (\`-W\`): no KDF | none | $(fmt_us "${B_WALL[unlock_minisign_nopw]}") | ${B_CPU[unlock_minisign_nopw]} s | $(fmt_kib "${B_RSS[unlock_minisign_nopw]}") | $(ratio "${B_WALL[unlock_minisign_nopw]}" "${B_WALL[unlock_minisign]}") | $(ratio "${B_RSS[unlock_minisign_nopw]}" "${B_RSS[unlock_minisign]}") |"
emit ""

# ---------------------------------------------------------------- 4. peak memory vs N
max_n=${MEM_NS[-1]}
log "peak memory: generating $max_n distinct wires with dmp-bench-raw gen"
run_once "$RAW" gen --count "$max_n" --out-dir "$gen_dir"
GEN_PUB=$(cat "$tmp/last.out")
pushd "$gen_dir" >/dev/null
run_once "$VERIFY" --version
mem_base=$RSS_KB
emit "### 4. Peak memory of \`dmp-verify\` batch verification as N grows" ""
emit "Distinct wires (\`dmp-bench-raw gen\`: the library's encoder + libsodium, $(stat -c %s 000001.wire) bytes each, $gen_where), one \`dmp-verify --quiet\` process, peak RSS (\`/usr/bin/time\`, max over $R runs) and best wall time. The file names come on the command line, which costs memory by itself: \"arguments only\" is dmp-verify given the same N names and a malformed \`--pubkey\`, which it refuses (usage, exit 2) after parsing them and before reading any file; \`/bin/true\` with the same names is the kernel's copy of argv alone."
emit "" "| N files | Peak RSS | × N = ${MEM_NS[0]} | Arguments only (dmp-verify) | Same names to /bin/true | Verification above arguments only | Wall | Per record |"
emit "|---:|---:|---:|---:|---:|---:|---:|---:|"
emit "| 0 (\`--version\`) | $(fmt_kib "$mem_base") | — | — | — | — | — | — |"
first_rss=""
for n in "${MEM_NS[@]}"; do
  mapfile -t files < <(seq -f '%06g.wire' 1 "$n")
  for ((r = 1; r <= R; r++)); do
    log "peak memory: dmp-verify over $n files, round $r/$R"
    best "mem_$n" "$VERIFY" --pubkey "$GEN_PUB" --now "$NOW" --quiet "${files[@]}"
  done
  OK_RC=2
  run_once "$VERIFY" --pubkey not-a-key --now "$NOW" --quiet "${files[@]}"
  OK_RC=0
  args_rss=$RSS_KB
  run_once /bin/true "${files[@]}"
  true_rss=$RSS_KB
  first_rss=${first_rss:-${B_RSS[mem_$n]}}
  emit "| $n | $(fmt_kib "${B_RSS[mem_$n]}") (${B_RSS[mem_$n]} KiB) | $(ratio "${B_RSS[mem_$n]}" "$first_rss") | $(fmt_kib "$args_rss") ($args_rss KiB) | $(fmt_kib "$true_rss") | $((${B_RSS[mem_$n]} > args_rss ? ${B_RSS[mem_$n]} - args_rss : 0)) KiB | $(fmt_us "${B_WALL[mem_$n]}") | $(fmt_us "$(div "${B_WALL[mem_$n]}" "$n")") |"
done
popd >/dev/null
best mem_minisign "$MINISIGN" -V -q -p "$tmp/peers/nopw.pub" -m "${peer_files[0]}"
best mem_signify "$SIGNIFY" -V -q -p "$tmp/peers/signify.pub" -m "${peer_files[0]}"
emit "" "For scale: \`minisign -V\` of one file peaks at $(fmt_kib "${B_RSS[mem_minisign]}"), \`signify-openbsd -V\` at $(fmt_kib "${B_RSS[mem_signify]}") (dynamically linked; shared pages count in RSS)."
emit ""

# ---------------------------------------------------------------- 5. binary sizes
log "binary sizes"
emit "### 5. Binary sizes" ""
emit "\"Stripped\" is \`strip -o\` of the file (the Debian binaries are already stripped). dmp-sign and dmp-verify are static-pie and carry libsodium, libstdc++ and libc; minisign and signify load shared libraries, listed with their sizes (libc, shared by everything, excluded: so the last two columns still favour the dynamic binaries)."
emit "" "| Binary | Linkage | File | Stripped | Shared libraries besides libc | Stripped + those libraries | × minisign (same column) |"
emit "|---|---|---:|---:|---|---:|---:|"
declare -A SIZE_TOTAL SIZE_ROW
for bin in "$SIGN" "$VERIFY" "$MINISIGN" "$SIGNIFY"; do
  name=$(basename "$bin")
  strip -o "$tmp/$name.stripped" "$bin"
  stripped=$(stat -c %s "$tmp/$name.stripped")
  linkage=$(file -b "$bin" | grep -oE 'static-pie linked|statically linked|dynamically linked' || echo '?')
  libs=$(ldd "$bin" 2>/dev/null | awk '/=> \// { print $1 " " $3 }' | grep -vE '^(libc\.so|ld-linux)' || true)
  lib_text="none" total=$stripped
  if [ -n "$libs" ]; then
    lib_text=""
    while read -r lib path; do
      size=$(stat -L -c %s "$path")
      total=$((total + size))
      lib_text+="${lib_text:+, }$lib ($(fmt_bytes "$size"))"
    done <<<"$libs"
  fi
  SIZE_TOTAL[$name]=$total
  SIZE_ROW[$name]="| $name | $linkage | $(fmt_bytes "$(stat -c %s "$bin")") | $(fmt_bytes "$stripped") | $lib_text | $(fmt_bytes "$total")"
done
for bin in "$SIGN" "$VERIFY" "$MINISIGN" "$SIGNIFY"; do
  name=$(basename "$bin")
  emit "${SIZE_ROW[$name]} | $(ratio "${SIZE_TOTAL[$name]}" "${SIZE_TOTAL[minisign]}") |"
done
emit ""

# ---------------------------------------------------------------- 6. start time
log "process start: $START_RUNS runs of each"
for ((i = 0; i < START_RUNS; i++)); do echo --version; done >"$tmp/arg-version"
for ((i = 0; i < START_RUNS; i++)); do echo -v; done >"$tmp/arg-v"
for ((r = 1; r <= R; r++)); do
  log "process start round $r/$R"
  best start_true xargs -a "$tmp/arg-version" -n 1 /bin/true
  best start_verify xargs -a "$tmp/arg-version" -n 1 "$VERIFY"
  best start_sign xargs -a "$tmp/arg-version" -n 1 "$SIGN"
  best start_minisign xargs -a "$tmp/arg-v" -n 1 "$MINISIGN"
  OK_RC="0 123"  # signify has no version option: its usage message, exit 1
  best start_signify xargs -a "$tmp/arg-v" -n 1 "$SIGNIFY"
  OK_RC=0
done
run_once /bin/true; rss_true=$RSS_KB
run_once "$VERIFY" --version; rss_verify=$RSS_KB
run_once "$SIGN" --version; rss_sign=$RSS_KB
run_once "$MINISIGN" -v; rss_minisign=$RSS_KB
OK_RC="0 1"; run_once "$SIGNIFY" -v; rss_signify=$RSS_KB; OK_RC=0
emit "### 6. Process start time" ""
emit "$START_RUNS runs one after another (\`xargs -n 1\`), best of $R; per run, and above \`/bin/true\` (the cost of fork+exec from xargs)."
emit "" "| Command | Per run | Above /bin/true | × minisign (above /bin/true) | Peak RSS |"
emit "|---|---:|---:|---:|---:|"
t_true=$(div "${B_WALL[start_true]}" "$START_RUNS")
t_mini=$(div "${B_WALL[start_minisign]}" "$START_RUNS")
mini_above=$(awk -v a="$t_mini" -v b="$t_true" 'BEGIN { print a - b }')
for row in "start_true|\`/bin/true\`|$rss_true" "start_verify|\`dmp-verify --version\`|$rss_verify" \
           "start_sign|\`dmp-sign --version\`|$rss_sign" "start_minisign|\`minisign -v\`|$rss_minisign" \
           "start_signify|\`signify-openbsd -v\` (usage message, exit 1)|$rss_signify"; do
  IFS='|' read -r key label rss <<<"$row"
  t=$(div "${B_WALL[$key]}" "$START_RUNS")
  above=$(awk -v a="$t" -v b="$t_true" 'BEGIN { d = a - b; print (d < 0 ? 0 : d) }')
  emit "| $label | $(fmt_us "$t") | $(fmt_us "$above") | $( [ "$key" = start_true ] && echo — || ratio "$above" "$mini_above") | $(fmt_kib "$rss") |"
done
emit ""

# ---------------------------------------------------------------- report
log "done; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## dmp-signer benchmarks ($( [ "$quick" -eq 1 ] && echo "quick smoke run" || echo "full run"))"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); command: \`scripts/bench/run.sh$( [ "$quick" -eq 1 ] && echo ' --quick')\`"
echo "- machine: $(nproc) vCPU, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- compiler: $(g++ --version | head -n 1); libsodium $(pkg-config --modversion libsodium); dmp-sign: $("$SIGN" --version)"
echo "- peers: minisign $("$MINISIGN" -v | awk '{ print $2 }') and signify-openbsd $(dpkg-query -W -f='${Version}' signify-openbsd 2>/dev/null || echo '?') (Debian packages)"
echo
cat "$out"
