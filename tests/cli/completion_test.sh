#!/usr/bin/env bash
# Drives the bash completion function as bash would (COMP_LINE, COMP_POINT) and checks what it
# offers: commands, options, option values, file names, and, given a running lab, its node
# names and lab names.
#   completion_test.sh NETTOPO COMPLETION_SCRIPT [LAB NODE]
set -uo pipefail
nettopo=$1 script=$2 lab=${3:-} node=${4:-}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# shellcheck source=/dev/null
source "$script"
compopt() { :; }  # only valid while bash itself is completing

# offers LINE WORD...: completing at the end of "nettopo LINE" offers every WORD.
offers() {
  local line="$nettopo $1"; shift
  COMP_LINE=$line COMP_POINT=${#line} COMPREPLY=()
  _nettopo
  local word
  for word in "$@"; do
    printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$word" ||
      fail "completing '$line' does not offer '$word' (offers: ${COMPREPLY[*]})"
  done
}
# offers_exactly LINE WORD...: exactly these words.
offers_exactly() {
  local line="$nettopo $1"; shift
  COMP_LINE=$line COMP_POINT=${#line} COMPREPLY=()
  _nettopo
  [[ "${COMPREPLY[*]}" == "$*" ]] ||
    fail "completing '$line' offers '${COMPREPLY[*]}', expected '$*'"
}

offers "" validate graph up down exec logs status
offers_exactly "st" status
offers_exactly "--ver" --verbose --version
offers "graph --" --format --output --help
offers_exactly "graph --format " dot json
offers "down --g" --grace
offers "exec -" --lab
files=$(mktemp -d "${TMPDIR:-/tmp}/nettopo-completion.XXXXXX")
touch "$files/lab.toml"
offers "validate $files/la" "$files/lab.toml"
rm -r "$files"

if [[ -n $lab ]]; then
  offers "exec $node" "$node"
  offers "exec --lab $lab " "$node"
  offers "logs --lab=$lab " "$node"
  offers "down --lab " "$lab"
fi

((failures == 0)) &&
  echo "bash completion offers what it should${lab:+, also the nodes of lab $lab}"
((failures == 0))
