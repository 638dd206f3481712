#!/usr/bin/env bash
# Every option that a command's --help lists appears in its man page: walks
# dmp-sign's subcommands (and dmp-verify) through --help, and looks for each
# long option, groff-escaped (\-\-name), in doc/man/<tool>.1.
# Usage: man_options.sh DMP_SIGN DMP_VERIFY MAN_DIR
set -euo pipefail
sign=$1 verify=$2 man_dir=$3
missing=0

options_of() {  # the long options of one --help text, one per line
  awk '/^Options:/ { on = 1; next } /^[^ ]/ { on = 0 } on' | grep -oE -- '(^|[ ,])--[a-z0-9][a-z0-9-]*' |
    sed -E 's/^[ ,]//' | sort -u
}
subcommands_of() {
  awk '/^Subcommands:/ { on = 1; next } /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}
check() {  # man page, command words...
  local page=$1
  shift
  local help
  help=$("$@" --help)
  for option in $(options_of <<<"$help"); do
    [ "$option" = "--help" ] && continue
    local escaped=${option//-/\\-}
    if ! grep -qF -- "$escaped" "$page"; then
      echo "missing in $(basename "$page"): ${*:2} $option"
      missing=$((missing + 1))
    fi
  done
  for sub in $(subcommands_of <<<"$help"); do
    check "$page" "$@" "$sub"
  done
}

check "$man_dir/dmp-sign.1" "$sign"
check "$man_dir/dmp-verify.1" "$verify"
if [ "$missing" -gt 0 ]; then
  echo "FAIL: $missing options of --help are not in the man pages"
  exit 1
fi
echo "ok: every option of every --help is in its man page"
