#!/usr/bin/env bash
# The command-line contract: usage, "did you mean", every usage error "nettopo: error:" and exit 2,
# extras reported in the order given, no colour unless on a terminal.
#   usage_test.sh NETTOPO EXAMPLES VERSION
set -uo pipefail
nettopo=$1 examples=$2 version=$3
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect STATUS PATTERN -- ARGS...: runs nettopo, checks its exit status and that its combined
# output matches the extended regular expression PATTERN.
expect() {
  local status=$1 pattern=$2; shift 3
  local output got
  output=$("$nettopo" "$@" 2>&1); got=$?
  ((got == status)) || fail "nettopo $*: exit status $got, expected $status; output: $output"
  grep -Eq -- "$pattern" <<<"$output" ||
    fail "nettopo $*: output does not match /$pattern/: $output"
}

expect 2 '^usage: nettopo' -- 
expect 2 '^  validate +Check a lab file' --
expect 2 '^  exec +Run a command inside a node' --
expect 0 "^nettopo $version\$" -- --version
expect 0 'Usage: nettopo graph' -- graph --help
expect 2 "^nettopo: error: unknown command 'stauts'; did you mean 'status'\\?" -- stauts
expect 2 "^nettopo: error: unknown command 'frobnicate' \\(commands: validate, graph" -- frobnicate
expect 2 "^nettopo: error: unknown command 'stauts'" -- -v stauts
expect 2 "^nettopo: error: nettopo graph has no option --formt; did you mean '--format'\\?" -- \
  graph --formt json "$examples/triangle.toml"
expect 2 "^nettopo: error: nettopo graph does not take 'extra1' 'extra2'" -- \
  graph "$examples/triangle.toml" extra1 extra2
expect 2 "^nettopo: error: .*--format: jsn not in \\{dot,json\\}" -- \
  graph --format jsn "$examples/triangle.toml"
expect 2 '^nettopo: error: .*file is required' -- validate
expect 2 '^nettopo: error: -v is nettopo.s own option: put it before the command' -- exec -v h1 ls
expect 2 '^nettopo: error: nettopo exec has no option --bogus' -- exec --bogus h1 ls
expect 2 '^nettopo: error: no command given' -- -v
expect 0 '^lab triangle:' -- validate "$examples/triangle.toml"
expect 0 '"schema_version": 1' -- graph --format json "$examples/triangle.toml"
# -v after the command still works (fallthrough), and `--format=json` is one word.
expect 0 '"schema_version"' -- graph "$examples/triangle.toml" --format=json -v

# Colour: never when stderr is not a terminal, never with NO_COLOR (script(1) gives a terminal).
output=$("$nettopo" stauts 2>&1)
[[ $output != *$'\033'* ]] || fail "colour on a pipe: $output"
if command -v script >/dev/null; then
  tty_output=$(script -qec "$nettopo stauts" /dev/null 2>&1)
  [[ $tty_output == *$'\033[31m'* ]] || fail "no colour on a terminal: $tty_output"
  tty_output=$(NO_COLOR=1 script -qec "$nettopo stauts" /dev/null 2>&1)
  [[ $tty_output != *$'\033'* ]] || fail "colour with NO_COLOR: $tty_output"
else
  echo "skipped the terminal colour checks: script(1) is missing (bsdutils)"
fi

((failures == 0)) && echo "all usage checks passed"
((failures == 0))
