#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/process_ref.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// Moves this whole process into every namespace of a node (network, UTS, IPC, mount, and PID
/// for the children it starts next) in one setns(2) on the init's pidfd, and back when it goes
/// out of scope. The process must be single-threaded (setns into a mount namespace demands it).
class ScopedNodeEntry {
 public:
  /// Throws Error when the node's init is gone, SystemError when setns refuses.
  /// `network_only` enters just the network namespace: bridges have no others of their own.
  ScopedNodeEntry(const ProcessRef& init, const std::string& node, bool network_only = false);
  ~ScopedNodeEntry();
  ScopedNodeEntry(const ScopedNodeEntry&) = delete;
  ScopedNodeEntry& operator=(const ScopedNodeEntry&) = delete;

 private:
  std::vector<std::pair<UniqueFd, int>> original_;  // (namespace fd, CLONE_NEW* type)
  UniqueFd original_cwd_;
};

}  // namespace nettopo
