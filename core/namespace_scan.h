#pragma once

#include <sys/types.h>

#include <compare>
#include <optional>
#include <string>
#include <vector>

namespace nettopo {

/// A namespace as the kernel names it: the device and inode of its nsfs file (what
/// /proc/PID/ns/TYPE and a `ip netns` bind mount lead to). Only meaningful while something holds
/// the namespace: the kernel reuses the inode number of one that is gone.
struct NamespaceId {
  dev_t dev = 0;
  ino_t ino = 0;
  auto operator<=>(const NamespaceId&) const = default;
};

/// The namespace types a node has of its own ("net", "uts", "ipc", "mnt", "pid"), in that order.
extern const char* const kNodeNamespaceTypes[5];

/// The namespace of `type` that process `pid` is in; nullopt when the process is gone (it may
/// exit at any moment: not an error).
std::optional<NamespaceId> namespace_of(pid_t pid, const char* type);

/// The namespace a file leads to (a bind mount of one); nullopt when it is not a namespace.
std::optional<NamespaceId> namespace_at(const std::string& path);

/// Every PID under /proc, as this process's PID namespace sees them.
std::vector<pid_t> all_pids();

/// The process's short name (/proc/PID/comm), or "?" when it is gone.
std::string command_name(pid_t pid);

}  // namespace nettopo
