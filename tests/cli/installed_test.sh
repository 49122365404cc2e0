#!/usr/bin/env bash
# The installed nettopo, as a user gets it: `cmake --install` into a temporary prefix, then the
# installed binary (finding its installed nettopo-init on its own, no NETTOPO_INIT) brings an
# installed example lab up, runs a command in it, completes its node names in bash, and takes it
# down. Needs root.
#   installed_test.sh BUILD_DIR
set -uo pipefail
build=$1
if ((EUID != 0)); then
  echo "skipped: bringing a lab up needs root"
  exit 0
fi
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
prefix=$(mktemp -d "${TMPDIR:-/tmp}/nettopo-prefix.XXXXXX")
lab=pkg$$
nettopo=$prefix/bin/nettopo
cleanup() {
  "$nettopo" down -q --lab "$lab" 2>/dev/null
  rm -rf "$prefix"
}
trap cleanup EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null || { fail "cmake --install failed"; exit 1; }
[[ -x $prefix/libexec/nettopo/nettopo-init ]] || fail "no libexec/nettopo/nettopo-init"
unset NETTOPO_INIT
example=$prefix/share/doc/nettopo/examples/two-hosts.toml
"$nettopo" up -q --name "$lab" "$example" || { fail "nettopo up $example failed"; exit 1; }
"$nettopo" status --lab "$lab" | grep -q h1 || fail "status --lab $lab does not show h1"
output=$("$nettopo" exec --lab "$lab" h1 -- ping -c1 -W5 h2 2>&1) ||
  fail "ping from h1 to h2 failed: $output"
"$(dirname "$0")/completion_test.sh" "$nettopo" \
  "$prefix/share/bash-completion/completions/nettopo" "$lab" h1 || fail "completion"
"$nettopo" down --lab "$lab" | grep -q "is down" || fail "down --lab $lab"
((failures == 0)) && echo "the installed nettopo brought $lab up and down"
((failures == 0))
