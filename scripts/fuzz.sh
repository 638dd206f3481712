#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time on a scratch copy of its
# seed corpus (the repository is never written to, unless --merge is given).
#
#   scripts/fuzz.sh [--merge] [SECONDS_PER_TARGET] [BUILD_DIR]
#
#   SECONDS_PER_TARGET  default 60
#   BUILD_DIR           default <repo>/build/fuzz (the "fuzz" preset); it is
#                       configured with that preset if it has no CMakeCache.txt
#   --merge             afterwards, minimise what the run found into
#                       tests/fuzz/corpus/<target>/ (libFuzzer -merge=1: only
#                       inputs that add coverage are kept); for long local runs
#
# Prints one line per target, "fuzz: ok <target> ..." or "fuzz: FAIL <target>
# ...", and exits non-zero on any crash, invariant violation, sanitizer report,
# leak, timeout or OOM. Crash inputs are kept in <repo>/fuzz-artifacts/<target>/.
# Works from any directory.
set -euo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

merge=0
positional=()
for arg in "$@"; do
  case "$arg" in
    --merge) merge=1 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $arg" >&2; usage >&2; exit 2 ;;
    *) positional+=("$arg") ;;
  esac
done
[ ${#positional[@]} -le 2 ] || { usage >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${positional[0]:-60}
build=${positional[1]:-$root/build/fuzz}
case "$seconds" in
  '' | *[!0-9]*) echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
[ "$seconds" -ge 1 ] || { echo "fuzz.sh: SECONDS_PER_TARGET must be at least 1" >&2; exit 2; }
mkdir -p "$build"
build=$(cd "$build" && pwd)

targets=()
for source in "$root"/tests/fuzz/fuzz_*.cpp; do
  [ -e "$source" ] || continue
  targets+=("$(basename "$source" .cpp)")
done
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: FAIL no targets in tests/fuzz"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/dmp-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Configure (once) and build just the fuzzers.
if [ ! -f "$build/CMakeCache.txt" ]; then
  if ! (cd "$root" && cmake --preset fuzz -B "$build") >"$work/configure.log" 2>&1; then
    tail -n 40 "$work/configure.log"
    echo "fuzz: FAIL configure (cmake --preset fuzz -B $build)"
    exit 1
  fi
fi
if ! cmake --build "$build" --target fuzzers -j "$(nproc)" >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  echo "fuzz: FAIL build ($build)"
  exit 1
fi

# UBSan is compiled recoverable by the top level; make any report fatal.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

failed=0
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  seeds="$root/tests/fuzz/corpus/$target"
  corpus="$work/$target/corpus"
  artifacts="$work/$target/artifacts"
  log="$work/$target/log"
  mkdir -p "$corpus" "$artifacts"
  if [ ! -x "$binary" ]; then
    echo "fuzz: FAIL $target (not built: $binary)"
    failed=$((failed + 1))
    continue
  fi
  [ -d "$seeds" ] && cp -R "$seeds"/. "$corpus"/
  seeds_count=$(find "$corpus" -type f | wc -l)

  rc=0
  (cd "$work/$target" && "$binary" "$corpus" -max_total_time="$seconds" -max_len=4096 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/") \
    >"$log" 2>&1 || rc=$?

  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus_count=$(find "$corpus" -type f | wc -l)
  summary="runs=${runs:-?} exec/s=${speed:-?} cov=${cov:-?} ft=${ft:-?} corpus=${seeds_count}->${corpus_count} (${seconds}s)"

  if [ "$rc" -eq 0 ] && ! grep -qE 'runtime error:|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$log"; then
    echo "fuzz: ok   $target $summary"
  else
    failed=$((failed + 1))
    kept="$root/fuzz-artifacts/$target"
    mkdir -p "$kept"
    cp -R "$artifacts"/. "$kept"/ 2>/dev/null || true
    cp "$log" "$kept/fuzz.log"
    echo "---- $target: libFuzzer log"
    if grep -qE 'invariant violated|ERROR:|runtime error:|deadly signal' "$log"; then
      grep -E -A 30 'invariant violated|ERROR:|runtime error:|deadly signal' "$log" | head -n 60 || true
    else
      tail -n 40 "$log"
    fi
    echo "fuzz: FAIL $target exit=$rc $summary; inputs and log in ${kept#"$root"/}/"
    continue
  fi

  if [ "$merge" -eq 1 ]; then
    before=$(find "$seeds" -type f | wc -l)
    if (cd "$work/$target" && "$binary" -merge=1 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      "$seeds" "$corpus") >"$work/$target/merge.log" 2>&1; then
      after=$(find "$seeds" -type f | wc -l)
      echo "fuzz: merged $((after - before)) new inputs into tests/fuzz/corpus/$target ($after files)"
    else
      tail -n 20 "$work/$target/merge.log"
      echo "fuzz: FAIL merge of $target"
      failed=$((failed + 1))
    fi
  fi
done

echo "fuzz summary: $((${#targets[@]} - failed)) ok, $failed failed, ${seconds}s per target"
[ "$failed" -eq 0 ]
