#!/usr/bin/env bash
# The man pages render and cannot drift: nettopo(1) names every command and option that
# `nettopo --help` lists, nettopo-lab(5) every key docs/topology.md documents.
#   man_test.sh NETTOPO MAN_DIR TOPOLOGY_MD
set -uo pipefail
nettopo=$1 man_dir=$2 topology=$3
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for page in nettopo.1 nettopo-lab.5; do
  rendered=$(MANWIDTH=80 man --warnings -l "$man_dir/$page" 2>"$man_dir/$page.warnings")
  [[ -n $rendered ]] || fail "man -l $page renders nothing"
  [[ ! -s $man_dir/$page.warnings ]] || fail "man -l $page warns: $(cat "$man_dir/$page.warnings")"
done
page=$(MANWIDTH=200 man -l "$man_dir/nettopo.1" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
lab_page=$(MANWIDTH=200 man -l "$man_dir/nettopo-lab.5" 2>/dev/null | sed 's/.\x08//g')

# The commands: the words under "Subcommands:" in the main help.
mapfile -t commands < <("$nettopo" --help | sed -n '/^Subcommands:/,/^$/p' |
  awk 'NF && !/:$/ {print $1}')
((${#commands[@]} > 0)) || fail "no commands found in nettopo --help"
options=$("$nettopo" --help | grep -Eo -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,')
for command in "${commands[@]}"; do
  grep -Eq "^ +$command( |\$)" <<<"$page" || fail "nettopo(1) has no entry for the command $command"
  options+=$'\n'$("$nettopo" "$command" --help | sed -n '/^Options:/,/^$/p' |
    grep -Eo -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' | tr -d ' ,')
done
for option in $(sort -u <<<"$options"); do
  grep -q -- "$option" <<<"$page" || fail "nettopo(1) does not mention the option $option"
done
# The environment variables nettopo reads, found in its sources.
for variable in NETTOPO_INIT NETTOPO_RUNTIME_DIR NO_COLOR; do
  grep -q "$variable" <<<"$page" || fail "nettopo(1) does not document \$$variable"
done
for section in "EXIT STATUS" ENVIRONMENT FILES; do
  grep -q "^$section" <<<"$page" || fail "nettopo(1) has no $section section"
done

# Every key of the lab format: the `key` headings of docs/topology.md.
headings='s/^##* `\[*\([a-z_.A-Z0-9]*\).*/\1/p; s/^### `\([a-z0-9]*\)`, .*/\1/p'
for key in $(sed -n "$headings" "$topology" | sed 's/\.NAME$//' | sort -u); do
  grep -qw -- "$key" <<<"$lab_page" || fail "nettopo-lab(5) does not document the key $key"
done
for key in rate delay jitter loss to via dev metric; do
  grep -qw -- "$key" <<<"$lab_page" || fail "nettopo-lab(5) does not document the key $key"
done

((failures == 0)) && echo "the man pages cover ${#commands[@]} commands and every option"
((failures == 0))
