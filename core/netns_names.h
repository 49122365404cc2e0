#pragma once

// Names for a lab's network namespaces, /run/netns/LAB-NODE, so that `ip netns exec`, tcpdump
// and Wireshark work beside nettopo: created by `up`, removed by `down` and rollback, both here.
//
// Each name is a symbolic link to a bind mount of the namespace on a tmpfs of the lab's own
// (RUNTIME/LAB/netns/NODE; iproute2 opens the path, so a link does). `down` then releases every
// namespace with one unmount of that tmpfs: one unmount per name, each dropping a namespace's
// last reference, cost 0.16 s for 1000 nodes; the tree goes in 0.01 s.
//
// This header is also read by nettopo-init, which is built without the C++ runtime: only
// declarations and constants here.

#include <cstddef>
#include <string>
#include <vector>

namespace nettopo {

/// The source name of the tmpfs on which a lab keeps its network namespace bind mounts. The
/// zygote unmounts every such tmpfs from the mount namespace it hands to the nodes, so that no
/// node holds another lab's namespaces.
constexpr const char* kNetnsTmpfsSource = "nettopo-netns";

/// Where `ip netns` looks.
constexpr const char* kNetnsNamesDir = "/run/netns";

/// The name a node's (or bridge's) network namespace gets: /run/netns/LAB-NODE.
std::string netns_name(const std::string& lab, const std::string& node);

/// Mounts the lab's tmpfs on `mounts` (a new directory) and makes sure /run/netns exists.
/// Throws SystemError.
void prepare_netns_names(const std::string& mounts);

/// Names one network namespace: bind-mounts `netns_fd` on MOUNTS/NODE and links `name` to it.
/// Throws SystemError; when the name is taken, the error says by whom (another lab, or another
/// tool such as `ip netns add`).
void create_netns_name(const std::string& mounts, const std::string& node, int netns_fd,
                       const std::string& name);

/// Releases every namespace the lab named with one unmount of `mounts`, then removes each of
/// `names` that leads into it (a name another lab or tool holds stays). Returns how many were
/// removed. Never throws: failures are logged as warnings.
size_t remove_netns_names(const std::string& mounts, const std::vector<std::string>& names);

}  // namespace nettopo
