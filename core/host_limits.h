#pragma once

#include <cstddef>
#include <string>

namespace nettopo {

/// What a lab asks of the host's limits, counted from its plan.
struct LabDemand {
  size_t nodes = 0;       ///< namespaces with their own mount, PID, UTS and IPC namespaces
  size_t namespaces = 0;  ///< network namespaces: nodes and bridges
  size_t programs = 0;    ///< processes started by `run`
  size_t interfaces = 0;  ///< veth ends with an address: each may need a neighbour entry
};

/// Namespace handles `up` holds beyond its one netlink socket per namespace: those named by veth
/// requests not yet sent (LinuxKernel closes them in batches).
constexpr size_t kTransientNamespaceHandles = 128;

/// Open files `up` holds at once for a lab of `namespaces` network namespaces: a netlink socket
/// each while the network is built, kTransientNamespaceHandles, and a fixed few more.
size_t open_files_needed(size_t namespaces);

/// Checks, before `up` builds anything, the host limits a large lab runs into: the open-file
/// limit (RLIMIT_NOFILE), kernel.pid_max and kernel.threads-max against the processes already
/// running, user.max_*_namespaces, and fs.mount-max against the mounts of this mount namespace.
/// Throws Error naming the first limit in the way, what it is, and what to set; a limit it
/// cannot read is not checked. Warns when the neighbour tables, which every namespace shares,
/// are smaller than the lab's addressed interfaces: that bites only once traffic flows.
void check_host_limits(const std::string& lab, const LabDemand& demand);

}  // namespace nettopo
