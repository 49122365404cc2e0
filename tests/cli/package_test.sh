#!/usr/bin/env bash
# Builds the .deb with CPack, unpacks it with dpkg -x into a temporary directory, and checks what
# it holds, what it depends on, and that the unpacked binary runs.
#   package_test.sh BUILD_DIR VERSION
set -uo pipefail
build=$1 version=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null ||
    { echo "skipped: $tool is missing (scripts/setup installs it)"; exit 0; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/nettopo-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; exit 1; }
arch=$(dpkg --print-architecture)
deb=$work/out/nettopo_${version}_${arch}.deb
[[ -f $deb ]] || { fail "no $deb; cpack made: $(ls "$work/out")"; exit 1; }
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

dpkg-deb -x "$deb" "$work/root"
for path in usr/bin/nettopo usr/libexec/nettopo/nettopo-init \
  usr/share/man/man1/nettopo.1 usr/share/man/man5/nettopo-lab.5 \
  usr/share/bash-completion/completions/nettopo usr/share/zsh/vendor-completions/_nettopo \
  usr/share/fish/vendor_completions.d/nettopo.fish \
  usr/share/doc/nettopo/README.md usr/share/doc/nettopo/topology.md usr/share/doc/nettopo/json.md \
  usr/share/doc/nettopo/schema/graph.schema.json usr/share/doc/nettopo/examples/triangle.toml \
  usr/share/doc/nettopo/api.md usr/share/doc/nettopo/examples/cpp/CMakeLists.txt \
  usr/include/nettopo/nettopo.h usr/include/nettopo/lab.h usr/include/nettopo/lab_file.h \
  usr/include/nettopo/error.h usr/include/nettopo/testing.h \
  usr/lib/libnettopo.a usr/lib/cmake/nettopo/nettopoConfig.cmake \
  usr/lib/cmake/nettopo/nettopoConfigVersion.cmake usr/lib/cmake/nettopo/nettopoTargets.cmake \
  usr/lib/pkgconfig/nettopo.pc; do
  [[ -e $work/root/$path ]] || fail "the package lacks /$path"
done
[[ -x $work/root/usr/bin/nettopo ]] || fail "/usr/bin/nettopo is not executable"
# Nothing of the build or the tests: only /usr, no test binaries.
unexpected=$(cd "$work/root" && find . -type f | grep -Ev '^\./usr/(bin|libexec|share|include)/' |
  grep -Ev '^\./usr/lib/(libnettopo(_[a-z]+)?\.a|cmake/nettopo/.*\.cmake|pkgconfig/nettopo\.pc)$' ||
  true)
[[ -z $unexpected ]] || fail "unexpected files in the package: $unexpected"
# The C++ API's libraries keep their symbols (a program links them), and the .pc file and the
# CMake package find everything relative to themselves, so the package works from /usr.
[[ $(nm "$work/root/usr/lib/libnettopo.a" 2>/dev/null) == *" T _ZN7nettopo3api7LabFile4load"* ]] ||
  fail "libnettopo.a has no symbol for LabFile::load"
[[ $(PKG_CONFIG_PATH=$work/root/usr/lib/pkgconfig pkg-config --cflags nettopo 2>&1) == \
  *"-I$work/root/usr/lib/pkgconfig/../../include "* ]] ||
  fail "nettopo.pc does not find the headers beside it"
# A program builds and links against the packaged (debug-stripped) libraries, through nettopo.pc.
cat >"$work/load.cc" <<'CC'
#include <nettopo/nettopo.h>
#include <iostream>
int main() { std::cout << nettopo::api::LabFile::parse("[nodes.h1]\n", "deb.toml").name() << "\n"; }
CC
flags=$(PKG_CONFIG_PATH=$work/root/usr/lib/pkgconfig pkg-config --cflags --libs nettopo)
# pkg-config quotes for a shell (make hands the flags to one): eval, not word splitting.
eval "c++ -std=c++20 \"\$work/load.cc\" -o \"\$work/load\" $flags" 2>"$work/link.log" ||
  { cat "$work/link.log" >&2; fail "a program does not build against the packaged C++ API"; }
[[ -x $work/load && $("$work/load") == deb ]] || fail "the program built against the package failed"
# shellcheck disable=SC2016 # ${_IMPORT_PREFIX} is text in the file, not a variable
grep -q 'NETTOPO_PACKAGED_INIT=.*${_IMPORT_PREFIX}/libexec/nettopo/nettopo-init' \
  "$work/root/usr/lib/cmake/nettopo/nettopoTargets.cmake" ||
  fail "the CMake package does not say where nettopo-init is"

# Dependencies: computed by dpkg-shlibdeps from what the binary links.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for library in libc6 libmnl0 libspdlog libfmt libtomlplusplus libstdc++6; do
  [[ $depends == *"$library"* ]] || fail "Depends lacks $library: $depends"
done
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "package version is not $version"
[[ $(dpkg-deb -f "$deb" Package) == nettopo ]] || fail "package name is not nettopo"

# The unpacked binary runs, reads the unpacked examples, and its man pages render.
"$work/root/usr/bin/nettopo" --version | grep -qx "nettopo $version" ||
  fail "the packaged nettopo does not say it is $version"
"$work/root/usr/bin/nettopo" validate "$work/root/usr/share/doc/nettopo/examples/triangle.toml" |
  grep -q '^lab triangle:' || fail "the packaged nettopo cannot validate the packaged example"
for page in man1/nettopo.1 man5/nettopo-lab.5; do
  man -l "$work/root/usr/share/man/$page" 2>/dev/null | grep -q NAME || fail "man -l $page"
done

((failures == 0)) && echo "the package holds what it should"
((failures == 0))
