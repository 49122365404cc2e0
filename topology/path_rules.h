#pragma once

// What a node may name as an in-node path (`dirs`, `files` keys): an absolute, normal path that
// cannot climb out of where it seems to point, does not hide what nettopo itself mounts in each
// node, and does not collide with the node's other paths. nettopo creates the mount points for
// these paths on the host, so a path that says `..` could otherwise write anywhere.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

class Diagnostics;
struct LabSource;

/// Longest in-node path (PATH_MAX less its NUL) and longest component of one (NAME_MAX).
inline constexpr size_t kMaxNodePathLength = 4095;
inline constexpr size_t kMaxNodePathComponent = 255;

/// nullopt when `path` is a well-formed in-node path: absolute, and every component neither
/// empty ("//", a trailing '/'), "." nor "..", with no control character (a NUL would cut the
/// path short, a newline would split the journal line that records it), within the lengths
/// above. Else why not, to follow the path in a message: "must be an absolute path".
std::optional<std::string> check_node_path(std::string_view path);

/// nullopt when a well-formed `path` may be a node's private dir or file, else why not: it is,
/// or would hide, or lies inside, something nettopo sets up in every node (`/`, /proc, /sys,
/// /dev, /run/nettopo, /etc/hosts, /etc/hostname).
std::optional<std::string> check_reserved_node_path(std::string_view path);

/// True when `inner` is `outer` or lies below it ("/a/b" in "/a", not "/ab" in "/a"). Both
/// well-formed.
bool path_within(std::string_view inner, std::string_view outer);

/// Checks the paths of every node against each other (each already well-formed): a dir named
/// twice, a dir inside another of the node's dirs, a file at a dir's path, a file or dir below
/// a file. Files inside a dir are fine: they are copied into it. `source.dirs` gives the dirs'
/// positions.
void check_node_paths(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
