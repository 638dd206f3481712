#!/usr/bin/env bash
# The bash completion scripts load and complete subcommands and options.
# Usage: completion.sh COMPLETIONS_DIR
set -euo pipefail
dir=$1
fail() { echo "FAIL: $*"; exit 1; }
source "$dir/dmp-sign"
source "$dir/dmp-verify"
complete_line() {  # function, words...
  local fn=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  "$fn"
  echo "${COMPREPLY[*]}"
}
[[ " $(complete_line _dmp_sign dmp-sign '') " == *" sign "* ]] || fail "dmp-sign <TAB> lacks sign"
[[ "$(complete_line _dmp_sign dmp-sign ke)" == "keygen" ]] || fail "dmp-sign ke<TAB> != keygen"
[[ "$(complete_line _dmp_sign dmp-sign ledger v)" == "verify" ]] || fail "ledger v<TAB> != verify"
[[ " $(complete_line _dmp_sign dmp-sign sign --pr) " == *" --previous "* ]] || fail "sign --pr<TAB>"
[[ "$(complete_line _dmp_sign dmp-sign sign --format z)" == "zone" ]] || fail "--format z<TAB>"
[[ "$(complete_line _dmp_sign dmp-sign fido2 add)" == "add-token" ]] || fail "fido2 add<TAB>"
[[ " $(complete_line _dmp_sign dmp-sign fido2 keygen --no) " == *" --no-pin "* ]] || fail "fido2 keygen --no<TAB>"
[[ " $(complete_line _dmp_sign dmp-sign sign --pin) " == *" --pin-file "* ]] || fail "sign --pin<TAB>"
[[ "$(complete_line _dmp_sign dmp-sign pkcs11 pub)" == "pubkey" ]] || fail "pkcs11 pub<TAB>"
[[ " $(complete_line _dmp_verify dmp-verify --tr) " == *" --trust "* ]] || fail "dmp-verify --tr<TAB>"
[[ "$(complete_line _dmp_verify dmp-verify --jo)" == "--jobs" ]] || fail "dmp-verify --jo<TAB> != --jobs"
[[ "$(complete_line _dmp_sign dmp-sign ledger rep)" == "repair" ]] || fail "ledger rep<TAB> != repair"
[[ "$(complete_line _dmp_sign dmp-sign ledger verify --exp)" == "--expect-head" ]] || fail "ledger verify --exp<TAB>"
echo "ok: completions load and complete"
