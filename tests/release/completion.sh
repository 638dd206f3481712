#!/usr/bin/env bash
# The completion scripts complete subcommands, options, choices, files and
# directories, under the real shells:
#   bash: the real completion function with the real compgen;
#   zsh:  the real function, with the completion system's output builtins
#         (compadd, _describe, _files, _message) replaced by printers;
#   fish: the real `complete -C`, as the shell completes a command line.
# A shell that is not installed fails the test under CI (install-deps has
# them) and is skipped with a line elsewhere.
# Usage: completion.sh COMPLETIONS_DIR
set -euo pipefail
dir=$(cd "$1" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/my dir/sub dir"
touch "$work/my dir/a b.json" "$work/cluster.json"
cd "$work"

need() {
  command -v "$1" >/dev/null && return 0
  [ -n "${CI:-}" ] && fail "$1 is not installed (CI installs it)"
  echo "skip: $1 is not installed"
  return 1
}

# --- bash ---------------------------------------------------------------------
source "$dir/dmp-sign"
source "$dir/dmp-verify"
compopt() { printf '%s\n' "$*" >>"$work/compopt.log"; }  # only valid inside a completion
complete_line() {  # function, words...: COMPREPLY, one element per line
  local fn=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  : >"$work/compopt.log"
  "$fn"
  printf '%s\n' "${COMPREPLY[@]}"
}
has() { grep -qxF -- "$2" <<<"$1" || fail "$3: '$2' not offered in: $(tr '\n' ' ' <<<"$1")"; }
lacks() { ! grep -qxF -- "$2" <<<"$1" || fail "$3: '$2' offered"; }
only() { [ "$1" = "$2" ] || fail "$3: got '$(tr '\n' ' ' <<<"$1")', want '$2'"; }

out=$(complete_line _dmp_sign dmp-sign '')
has "$out" sign "dmp-sign <TAB>"; has "$out" rotate "dmp-sign <TAB>"
only "$(complete_line _dmp_sign dmp-sign --v)" --version "dmp-sign --v<TAB>"
only "$(complete_line _dmp_sign dmp-sign ke)" keygen "dmp-sign ke<TAB>"
only "$(complete_line _dmp_sign dmp-sign ledger v)" verify "ledger v<TAB>"
only "$(complete_line _dmp_sign dmp-sign ledger rep)" repair "ledger rep<TAB>"
out=$(complete_line _dmp_sign dmp-sign sign --pr)
has "$out" --previous "sign --pr<TAB>"
only "$(complete_line _dmp_sign dmp-sign sign --format z)" zone "sign --format z<TAB>"
only "$(complete_line _dmp_sign dmp-sign pubkey --format d)" dmp-env "pubkey --format d<TAB>"
only "$(complete_line _dmp_sign dmp-sign draft --seq '')" auto "draft --seq <TAB>"
only "$(complete_line _dmp_sign dmp-sign fido2 add)" add-token "fido2 add<TAB>"
has "$(complete_line _dmp_sign dmp-sign fido2 keygen --no)" --no-pin "fido2 keygen --no<TAB>"
only "$(complete_line _dmp_sign dmp-sign pkcs11 pub)" pubkey "pkcs11 pub<TAB>"
only "$(complete_line _dmp_sign dmp-sign ledger verify --exp)" --expect-head "ledger verify --exp<TAB>"
# A name with spaces stays one word, and bash is told they are file names
# (-o filenames: quoted on the line, a directory gets / and no space).
only "$(complete_line _dmp_sign dmp-sign sign my)" "my dir" "sign my<TAB>"
grep -qx -- "-o filenames" "$work/compopt.log" || fail "sign my<TAB> did not ask for -o filenames"
only "$(complete_line _dmp_sign dmp-sign sign --key 'my dir/a')" "my dir/a b.json" "--key my dir/a<TAB>"
# Directories only where a directory is wanted.
only "$(complete_line _dmp_sign dmp-sign sign --state-dir 'my dir/')" "my dir/sub dir" "--state-dir<TAB>"
only "$(complete_line _dmp_sign dmp-sign qr png x --out-dir '')" "my dir" "qr png --out-dir<TAB>"
# Nothing to offer for a value that is not a file (a fd, a time).
only "$(complete_line _dmp_sign dmp-sign sign --passphrase-fd '')" "" "--passphrase-fd <TAB>"
# An option's value is never taken for a subcommand: these are sign's options.
out=$(complete_line _dmp_sign dmp-sign sign --key ledger --fi)
has "$out" --first "sign --key ledger --fi<TAB>"; lacks "$out" --file "sign --key ledger --fi<TAB>"
# rotate's one-step options come after `rotate`; then no step is offered.
only "$(complete_line _dmp_sign dmp-sign rotate pre)" prepare "rotate pre<TAB>"
lacks "$(complete_line _dmp_sign dmp-sign rotate --old-key k pre)" prepare "rotate --old-key k pre<TAB>"
has "$(complete_line _dmp_sign dmp-sign rotate --old-key k --new)" --new-key "rotate --old-key k --new<TAB>"
has "$(complete_line _dmp_verify dmp-verify --tr)" --trust "dmp-verify --tr<TAB>"
only "$(complete_line _dmp_verify dmp-verify --jo)" --jobs "dmp-verify --jo<TAB>"
only "$(complete_line _dmp_verify dmp-verify --pubkey-file my)" "my dir" "dmp-verify --pubkey-file my<TAB>"
echo "ok: bash"

# --- zsh ----------------------------------------------------------------------
if need zsh; then
  zsh_complete() {  # words... (the last is the word being completed)
    zsh -f -c '
      compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
      _describe() { local -a items; items=("${(@P)4}"); print -l -- "${items[@]%%:*}"; }
      _files() { print -- "_files $*"; }
      _message() { print -- "_message $*"; }
      source "$1" >/dev/null  # a #compdef file also runs its function once when sourced
      shift
      words=("$@"); CURRENT=$#
      _dmp_sign' zsh "$dir/_dmp-sign" "$@"
  }
  out=$(zsh_complete dmp-sign '')
  has "$out" sign "zsh: dmp-sign <TAB>"; has "$out" rotate "zsh: dmp-sign <TAB>"
  out=$(zsh_complete dmp-sign sign --pr)
  has "$out" --previous "zsh: sign --pr<TAB>"; lacks "$out" --expect-head "zsh: sign --pr<TAB>"
  only "$(zsh_complete dmp-sign sign --format '')" "$(printf 'json\nnsupdate\nwire\nzone')" "zsh: --format<TAB>"
  only "$(zsh_complete dmp-sign sign --state-dir '')" "_files -/" "zsh: --state-dir<TAB>"
  only "$(zsh_complete dmp-sign sign --key '')" "_files " "zsh: --key<TAB>"
  only "$(zsh_complete dmp-sign sign x.json '')" "_files " "zsh: sign x.json <TAB>"
  has "$(zsh_complete dmp-sign ledger '')" show "zsh: ledger <TAB>"
  lacks "$(zsh_complete dmp-sign rotate --old-key k '')" prepare "zsh: rotate --old-key k <TAB>"
  out=$(zsh_complete dmp-sign sign --key ledger --f)
  has "$out" --first "zsh: sign --key ledger --f<TAB>"; lacks "$out" --expect-head "zsh: sign --key ledger"
  [ "$(zsh -f -c 'source "$1" >/dev/null 2>&1; print -- ${+functions[_dmp_verify]}' zsh "$dir/_dmp-verify")" = 1 ] ||
    fail "zsh: _dmp-verify does not define _dmp_verify"
  [ "$(head -n 1 "$dir/_dmp-sign")" = '#compdef dmp-sign' ] || fail "zsh: _dmp-sign lacks #compdef"
  echo "ok: zsh"
fi

# --- fish ---------------------------------------------------------------------
if need fish; then
  fish_complete() {  # the command line typed so far
    fish --no-config -c "source '$dir/dmp-sign.fish'; source '$dir/dmp-verify.fish'; complete -C'$1'" |
      cut -f1
  }
  has "$(fish_complete 'dmp-sign ')" sign "fish: dmp-sign <TAB>"
  only "$(fish_complete 'dmp-sign ke')" keygen "fish: dmp-sign ke<TAB>"
  out=$(fish_complete 'dmp-sign sign --pr')
  has "$out" --previous "fish: sign --pr<TAB>"
  only "$(fish_complete 'dmp-sign sign --format z')" zone "fish: --format z<TAB>"
  only "$(fish_complete 'dmp-sign sign --state-dir my')" "my dir/" "fish: --state-dir my<TAB>"
  has "$(fish_complete 'dmp-sign sign my')" "my dir/" "fish: sign my<TAB>"
  has "$(fish_complete 'dmp-sign ledger ')" show "fish: ledger <TAB>"
  lacks "$(fish_complete 'dmp-sign rotate --old-key k ')" prepare "fish: rotate --old-key k <TAB>"
  out=$(fish_complete 'dmp-sign sign --key ledger --fi')
  has "$out" --first "fish: sign --key ledger --fi<TAB>"
  only "$(fish_complete 'dmp-verify --jo')" --jobs "fish: dmp-verify --jo<TAB>"
  echo "ok: fish"
fi
echo "ok: completions complete under the real shells"
