#!/usr/bin/env bash
# Hand-made mutation testing: applies each mutant of tests/mutants/*.txt, one
# at a time, to a scratch copy of the tree, rebuilds only the targets the
# mutant lists, runs its tests, restores the file, and prints a table and
# the score. First the listed tests must pass on the unmutated tree. A
# mutant is KILLED when a listed test fails (or crashes, or times out),
# SURVIVED when all pass; a mutant marked `equivalent:` is run but not
# counted. Each mutant is applied to, and undone from, the copy taken at the
# start ($MUTANTS_DIR/pristine), so the working tree may change during a run.
# Not part of .ci/run: it rebuilds and reruns once per mutant.
# See tests/README.md.
#
#   scripts/mutants.sh [-k] [ID_REGEX]     run every mutant (or the matching ids)
#   MUTANTS_DIR=...  scratch directory (default build/mutants; the copy lives in
#                    $MUTANTS_DIR/src, its build in $MUTANTS_DIR/src/build/release,
#                    so ccache reuses the objects of build/release)
#   MUTANTS_JOBS=N   build parallelism (default 2)
#   MUTANTS_TIMEOUT  seconds per test binary (default 600)
#   MUTANTS_LISTS    the lists to read (default tests/mutants/*.txt)
#   DMP_VECTORS_DIR  the test vectors (default ../shared/vectors; required)
#   -k               keep the scratch copy as it is (do not re-copy the tree; tests
#                    edited since then are not in it, only the mutated files are)
#
# Exit status: 0 when no non-equivalent mutant survived and every mutant
# applied and built, 1 otherwise, 2 on a usage or setup error.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
keep=0
if [ "${1:-}" = -k ]; then keep=1; shift; fi
filter=${1:-}
scratch=${MUTANTS_DIR:-$root/build/mutants}
jobs=${MUTANTS_JOBS:-2}
timeout_s=${MUTANTS_TIMEOUT:-600}
# The scratch copy's compiled-in default (its own ../shared/vectors) does not
# exist, and a test without its vectors skips, which would let mutants live.
vectors=$(realpath -m "${DMP_VECTORS_DIR:-$root/../shared/vectors}")
[ -d "$vectors" ] || { echo "mutants: no test vectors at $vectors (set DMP_VECTORS_DIR)" >&2; exit 2; }
export DMP_VECTORS_DIR=$vectors
[ -f /etc/profile.d/ccache-dmp.sh ] && source /etc/profile.d/ccache-dmp.sh

src=$scratch/src
pristine=$scratch/pristine
build=$src/build/release
log=$scratch/logs
mkdir -p "$scratch"

# --- the list ------------------------------------------------------------------------
# Entries are blocks of `key: value` lines separated by blank lines; `#` lines
# are comments. Keys: id, file, from (a fragment that occurs on exactly one
# line of file; or, with `occurrence: N`, the Nth of the lines it is on),
# to (what replaces the fragment), targets (build targets),
# tests (test binaries, each optionally `binary=gtest_filter`), equivalent
# (optional: why no test can tell the mutant from the original).
ids=() files=() froms=() nths=() tos=() targets=() tests=() equivs=()
flush() {
  if [ -n "$e_id" ]; then
    ids+=("$e_id") files+=("$e_file") froms+=("$e_from") nths+=("$e_nth") tos+=("$e_to")
    targets+=("$e_targets") tests+=("$e_tests") equivs+=("$e_equiv")
  fi
  e_id="" e_file="" e_from="" e_nth="" e_to="" e_targets="" e_tests="" e_equiv=""
}
e_id=""
flush
# shellcheck disable=SC2086
for list in ${MUTANTS_LISTS:-tests/mutants/*.txt}; do
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      '#'*) continue ;;
      '') flush; continue ;;
    esac
    key=${line%%:*}
    value=${line#*: }
    case "$key" in
      id) e_id=$value ;;
      file) e_file=$value ;;
      from) e_from=$value ;;
      occurrence) e_nth=$value ;;
      to) e_to=$value ;;
      targets) e_targets=$value ;;
      tests) e_tests=$value ;;
      equivalent) e_equiv=$value ;;
      *) echo "mutants: $list: unknown key '$key'" >&2; exit 2 ;;
    esac
  done <"$list" || { echo "mutants: cannot read $list" >&2; exit 2; }
  flush
done
[ "${#ids[@]}" -gt 0 ] || { echo "mutants: no entries in ${MUTANTS_LISTS:-tests/mutants/*.txt}" >&2; exit 2; }

# Each fragment must occur on exactly one line of its file in the real tree,
# so a mutant is one single-line change wherever the code moves.
setup_errors=0
declare -A seen
for i in "${!ids[@]}"; do
  id=${ids[$i]} f=${files[$i]}
  if [ -n "${seen[$id]:-}" ]; then echo "mutants: duplicate id $id" >&2; setup_errors=1; fi
  seen[$id]=1
  if [ -z "$f" ] || [ -z "${froms[$i]}" ] || [ -z "${targets[$i]}" ] || [ -z "${tests[$i]}" ]; then
    echo "mutants: $id: file, from, targets and tests are required" >&2; setup_errors=1; continue
  fi
  [ -f "$f" ] || { echo "mutants: $id: no file $f" >&2; setup_errors=1; continue; }
  n=$(grep -cF -- "${froms[$i]}" "$f")
  if [ -n "${nths[$i]}" ]; then
    [ "$n" -ge "${nths[$i]}" ] || { echo "mutants: $id: '${froms[$i]}' is on $n lines of $f (need ${nths[$i]})" >&2; setup_errors=1; }
  else
    [ "$n" -eq 1 ] || { echo "mutants: $id: '${froms[$i]}' is on $n lines of $f (need 1, or occurrence:)" >&2; setup_errors=1; }
  fi
done
[ "$setup_errors" -eq 0 ] || exit 2

# --- the scratch copy ------------------------------------------------------------------
if [ "$keep" -eq 0 ] || [ ! -d "$src" ]; then
  echo "mutants: copying the tree to $src"
  # Tracked and untracked-but-not-ignored files: the tree as it builds here.
  # They go to a staging directory first, and only files whose content
  # changed are copied over the previous copy, with a new modification time:
  # an unchanged file keeps its time (its objects are not rebuilt), and a
  # changed one is always rebuilt, even when its time in the tree is older
  # than an object the scratch build made since.
  incoming=$scratch/incoming
  rm -rf "$incoming"
  mkdir -p "$src" "$incoming"
  git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - | tar -xf - -C "$incoming" ||
    { echo "mutants: copy failed" >&2; exit 2; }
  (cd "$incoming" && find . -type f -print0) | while IFS= read -r -d '' f; do
    cmp -s "$incoming/$f" "$src/$f" && continue
    mkdir -p "$(dirname "$src/$f")" && cp "$incoming/$f" "$src/$f" || exit 1
  done || { echo "mutants: copy failed" >&2; exit 2; }
  # Files gone from the tree go from the copy too (its build directory stays).
  (cd "$src" && find . -path ./build -prune -o -type f -print0) | while IFS= read -r -d '' f; do
    [ -e "$incoming/$f" ] || rm -f "$src/$f"
  done
  # The staging copy stays as the pristine tree: every mutant starts from it
  # and is undone from it, never from the working tree, which may be edited
  # while a run is going on.
  rm -rf "$pristine"
  mv "$incoming" "$pristine"
fi
[ -d "$pristine" ] || { echo "mutants: no pristine copy in $pristine (run once without -k)" >&2; exit 2; }
# A run stopped while a mutant was applied left that mutant in the scratch
# copy (kept by -k) and compiled in its build (older than a fresh copy's
# file): put the real file back and touch it, so the baseline build below
# recompiles the real code.
if [ -f "$scratch/applied" ]; then
  stale=$(cat "$scratch/applied")
  if [ -f "$pristine/$stale" ]; then cp -p "$pristine/$stale" "$src/$stale" && touch "$src/$stale"; fi
  rm -f "$scratch/applied"
fi
rm -rf "$log"
mkdir -p "$log"
if [ ! -f "$build/CMakeCache.txt" ]; then
  (cd "$src" && cmake --preset release >"$log/configure.log" 2>&1) ||
    { cat "$log/configure.log"; exit 2; }
fi

selected() { [ -z "$filter" ] || [[ ${ids[$1]} =~ $filter ]]; }
all_targets=$(for i in "${!ids[@]}"; do selected "$i" && echo "${targets[$i]}"; done |
  tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
[ -n "$all_targets" ] || { echo "mutants: no mutant id matches '$filter'" >&2; exit 2; }
echo "mutants: baseline build of $all_targets"
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $all_targets >"$log/baseline-build.log" 2>&1 ||
  { tail -n 40 "$log/baseline-build.log"; echo "mutants: the unmutated tree does not build" >&2; exit 2; }

# Runs one `binary[=filter]`; prints the first failing test's name on failure.
run_test() {
  local spec=$1 out=$2 bin filter=""
  bin=${spec%%=*}
  [ "$spec" != "$bin" ] && filter=${spec#*=}
  local path=$build/tests/$bin
  [ -x "$path" ] || path=$(find "$build" -type f -name "$bin" -perm -u+x | head -n 1)
  [ -n "$path" ] && [ -x "$path" ] || { echo "$bin(missing)"; return 1; }
  local args=()
  case "$bin" in
    dmp_c_abi_test*) args=("$vectors") ;;
    *) args=(--gtest_brief=1) ; [ -n "$filter" ] && args+=("--gtest_filter=$filter") ;;
  esac
  (cd "$build/tests" && CI=${CI:-} timeout "$timeout_s" "$path" "${args[@]}") >"$out" 2>&1
  local rc=$?
  # A filter that matches nothing passes vacuously: say so instead.
  if [ "$rc" -eq 0 ] && grep -q '^\[==========\] 0 tests from' "$out"; then
    echo "$bin(no test matches the filter)"; return 2
  fi
  [ "$rc" -eq 0 ] && return 0
  # gtest exits 1 with "[  FAILED  ] Suite.Test" lines; 77 is the C test's skip.
  if [ "$rc" -eq 77 ]; then echo "$bin(skipped: prerequisite missing)"; return 1; fi
  local first
  first=$(grep -m1 -oE '^\[  FAILED  \] [A-Za-z0-9_./]+' "$out" | sed 's/^\[  FAILED  \] //')
  if [ -n "$first" ]; then echo "$bin:$first"
  elif [ "$rc" -eq 124 ]; then echo "$bin(timeout)"
  elif [ "$rc" -gt 128 ]; then echo "$bin(signal $((rc - 128)))"
  else echo "$bin(exit $rc)"; fi
  return 1
}

# A test that fails on the real code would "kill" every mutant it is listed
# for: each distinct test of the selected mutants must pass before any mutant.
baseline_tests=$(for i in "${!ids[@]}"; do selected "$i" && echo "${tests[$i]}"; done |
  tr ' ' '\n' | sed '/^$/d' | sort -u)
echo "mutants: baseline tests on the unmutated tree"
n=0
for t in $baseline_tests; do
  n=$((n + 1))
  if ! by=$(run_test "$t" "$log/baseline-test-$n.log"); then
    echo "mutants: fails without any mutant: $by (see $log/baseline-test-$n.log)" >&2; exit 2
  fi
done

# --- one mutant at a time --------------------------------------------------------------
killed=0 survived=0 equivalent=0 broken=0 total=0
rows=()
for i in "${!ids[@]}"; do
  id=${ids[$i]}
  selected "$i" || continue
  total=$((total + 1))
  f=${files[$i]}
  target_file=$src/$f
  cp -p "$pristine/$f" "$target_file"   # the real file, whatever a previous run left
  echo "$f" >"$scratch/applied"
  lineno=$(grep -nF -- "${froms[$i]}" "$target_file" | sed -n "${nths[$i]:-1}p" | cut -d: -f1)
  FROM=${froms[$i]} TO=${tos[$i]} LINE=$lineno perl -i -pe \
    'if ($. == $ENV{LINE}) { my $i = index($_, $ENV{FROM}); substr($_, $i, length $ENV{FROM}) = $ENV{TO}; }' \
    "$target_file"
  if cmp -s "$pristine/$f" "$target_file"; then
    verdict="NOT APPLIED"; broken=$((broken + 1))
  else
    # shellcheck disable=SC2086
    if ! cmake --build "$build" -j "$jobs" --target ${targets[$i]} >"$log/$id-build.log" 2>&1; then
      verdict="BUILD FAILED (see $log/$id-build.log)"; broken=$((broken + 1))
    else
      verdict=""
      no_tests=""
      for t in ${tests[$i]}; do
        by=$(run_test "$t" "$log/$id-${t%%=*}.log")
        case $? in
          0) ;;
          2) no_tests=$by ;;
          *) verdict="killed by $by"; break ;;
        esac
      done
      if [ -n "$no_tests" ] && [ -z "$verdict" ]; then
        verdict="NO TESTS RAN: $no_tests"; broken=$((broken + 1))
      elif [ -n "${equivs[$i]}" ]; then
        equivalent=$((equivalent + 1))
        verdict="equivalent (${equivs[$i]})${verdict:+; but $verdict}"
      elif [ -n "$verdict" ]; then
        killed=$((killed + 1))
      else
        verdict="SURVIVED"; survived=$((survived + 1))
      fi
    fi
  fi
  # Restore. The real file's old modification time would be older than the
  # mutant's object, so make would keep the mutant compiled in for the next
  # mutant's build: touch it so the next build recompiles the real code.
  cp -p "$pristine/$f" "$target_file"
  touch "$target_file"
  rm -f "$scratch/applied"
  row=$(printf '%-28s %-44s %s' "$id" "$f:$lineno" "$verdict")
  rows+=("$row")
  echo "$row"
done

echo
echo "| mutant | where | result |"
echo "|---|---|---|"
for r in "${rows[@]}"; do
  id=${r%% *}; rest=${r#"$id"}; rest=${rest#"${rest%%[! ]*}"}
  where=${rest%% *}; res=${rest#"$where"}; res=${res#"${res%%[! ]*}"}
  echo "| $id | \`$where\` | $res |"
done
counted=$((killed + survived))
echo
echo "mutants: $total run, $killed killed, $survived survived, $equivalent equivalent, $broken not applied or not built"
echo "score: $killed/$counted non-equivalent mutants killed"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
