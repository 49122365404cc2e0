#!/usr/bin/env bash
# examples/cpp as a user builds it: `cmake --install` of this build into a temporary prefix, the
# example configured with find_package(nettopo) against that prefix (CMAKE_PREFIX_PATH), built,
# and its GoogleTest test run: a two-node lab up, a ping across it, the lab down. A program built
# with `pkg-config nettopo` links too. Then nothing of the example's lab is left. Needs root.
#   example_test.sh BUILD_DIR EXAMPLE_DIR
set -uo pipefail
build=$1 example=$2
if ((EUID != 0)); then
  echo "skipped: bringing a lab up needs root"
  exit 0
fi
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
work=$(mktemp -d "${TMPDIR:-/tmp}/nettopo-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null || { fail "cmake --install failed"; exit 1; }
for path in include/nettopo/lab.h include/nettopo/testing.h lib/cmake/nettopo/nettopoConfig.cmake \
  lib/pkgconfig/nettopo.pc libexec/nettopo/nettopo-init; do
  [[ -e $prefix/$path ]] || fail "cmake --install put no $path"
done

# The example finds nettopo-init where the package put it, without NETTOPO_INIT.
unset NETTOPO_INIT
cmake -S "$example" -B "$work/example" -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "configuring examples/cpp failed"; exit 1; }
cmake --build "$work/example" -j2 >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "building examples/cpp failed"; exit 1; }
output=$("$work/example/ping_test" 2>&1)
status=$?
echo "$output" | grep -v '\[info\]'
((status == 0)) || fail "examples/cpp's ping_test exited $status"
grep -q '\[  PASSED  \] 2 tests' <<<"$output" || fail "ping_test did not pass its 2 tests"
lab=$(grep -o 'lab pair-[0-9]*-[0-9]*' <<<"$output" | head -1 | cut -d' ' -f2)
[[ -n $lab ]] || fail "ping_test did not say which lab it brought up"
if [[ -n $lab ]]; then
  leftovers=$(ls /run/netns 2>/dev/null | grep "^$lab-")
  [[ -z $leftovers ]] || fail "lab $lab left /run/netns names: $leftovers"
  [[ ! -e ${NETTOPO_RUNTIME_DIR:-/run/nettopo}/$lab ]] || fail "lab $lab left its runtime directory"
fi

# pkg-config: the flags it gives build and link a program that loads a lab.
if command -v pkg-config >/dev/null; then
  cat >"$work/load.cc" <<'CC'
#include <nettopo/nettopo.h>
#include <iostream>
int main() {
  auto file = nettopo::api::LabFile::parse("[nodes.h1]\n[nodes.h2]\n", "pc.toml");
  std::cout << file.name() << " " << file.node_names().size() << "\n";
}
CC
  flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs nettopo) ||
    fail "pkg-config nettopo failed"
  # pkg-config quotes for a shell, as make(1) hands the flags to one: eval, not word splitting.
  eval "c++ -std=c++20 \"\$work/load.cc\" -o \"\$work/load\" $flags" 2>"$work/pc.log" ||
    { cat "$work/pc.log" >&2; fail "a program built with pkg-config nettopo does not compile"; }
  [[ $("$work/load" 2>&1) == "pc 2" ]] || fail "the pkg-config program did not load its lab"
fi

((failures == 0)) && echo "examples/cpp built against the installed nettopo and passed"
((failures == 0))
