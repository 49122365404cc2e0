#pragma once

// What a node's private `dirs` and `files` need: a backing copy in the lab's runtime directory,
// a mount point on the host, and a bind mount that the node's init makes from the inside.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "topology/model.h"

namespace nettopo {

class Journal;

/// One bind mount the node's init makes in its own mount namespace.
struct BindMount {
  std::string source;  ///< on the host
  std::string target;  ///< in the node
  bool read_only = false;

  bool operator==(const BindMount&) const = default;
};

/// Prepares `node`'s private dirs and files: an empty backing directory per dir under
/// `node_dir`/dirs, a copy of each file (into the backing directory of the dir that holds it,
/// or under `node_dir`/files), and the mount points on the host (host_paths.h: journaled, and
/// shared with other running labs through `others`). Returns the bind mounts in the order the
/// init must make them. Throws Error, SystemError naming the node.
std::vector<BindMount> prepare_node_mounts(const topology::Node& node,
                                           const std::filesystem::path& node_dir, Journal& journal,
                                           const std::set<std::string>& others);

/// The mounts as nettopo-init's --mounts file reads them: for each, "bind" or "bind-ro", the
/// source and the target, each ended by a NUL byte. Any number of mounts fits.
std::string encode_mounts(const std::vector<BindMount>& mounts);

}  // namespace nettopo
