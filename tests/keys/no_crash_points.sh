#!/usr/bin/env bash
# Usage: no_crash_points.sh DMP_SIGN DMP_SIGN_FAULTY [--step-names]
# The fault-injection hooks (signer/sign/fault_injection.hpp) must leave no
# trace in dmp-sign: never the variables DMP_TEST_CRASH_AT or DMP_TEST_PAUSE_AT, and with
# --step-names (optimised builds: at -O0 the empty crash_point() still takes
# its literal) no step name either. The faulty twin must contain them all,
# so the search itself is known to work.
set -euo pipefail
release=$1 faulty=$2
markers=(DMP_TEST_CRASH_AT DMP_TEST_PAUSE_AT)
if [ "${3:-}" = --step-names ]; then
  markers+=(ledger_synced head_written wire_written
    replace_temp_created replace_temp_written replace_temp_synced replace_renamed replace_dir_synced)
fi

status=0
release_strings=$(strings -a "$release")
faulty_strings=$(strings -a "$faulty")
for m in "${markers[@]}"; do
  if grep -qx -- "$m" <<<"$release_strings"; then
    echo "FAIL: $release contains '$m'"
    status=1
  fi
  if ! grep -qx -- "$m" <<<"$faulty_strings"; then
    echo "FAIL: $faulty lacks '$m' (is the search broken?)"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ok: none of ${markers[*]} in $release"
exit "$status"
