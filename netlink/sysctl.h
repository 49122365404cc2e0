#pragma once

#include <string>
#include <string_view>

#include "core/sys/unique_fd.h"

namespace nettopo::netlink {

/// The file behind a sysctl key: "net.ipv4.ip_forward" -> "/proc/sys/net/ipv4/ip_forward".
/// A key that contains '/' is taken as a path below /proc/sys as is, as sysctl(8) does, so
/// interface names with dots can be written ("net/ipv4/conf/eth0.10/forwarding").
/// Throws nettopo::UsageError for a key sysctl_key_problem() refuses (core/sys/sysctl_key.h):
/// one outside the per-network-namespace net tree, or with an empty, "." or ".." component.
/// `proc` names another mount of procfs to go through (see write_sysctl_via).
std::string sysctl_path(std::string_view key, std::string_view proc = "/proc");

/// Writes `value` to the sysctl `key` of the network namespace `netns` (borrowed). The file is
/// opened from inside `netns`, because /proc/sys/net resolves in the opener's namespace, and
/// written after the thread is back in its own. Throws SystemError naming the key.
void write_sysctl(const UniqueFd& netns, std::string_view key, std::string_view value);
/// Writes `value` to `key` in the calling thread's current namespaces.
void write_sysctl(std::string_view key, std::string_view value);
/// Like write_sysctl(key, value), but through the procfs mounted at `proc`, typically a node's own
/// ("/proc/PID/root/proc"): the calling thread must already be in the target network namespace.
/// Why: every network namespace has its own /proc/sys/net dentry, all of them children of the
/// same /proc/sys, and the kernel tells them apart only by comparing each with the caller's
/// namespace (proc_sys_compare); the host's /proc holds one per namespace ever looked up, so one
/// lookup there costs O(namespaces). A node's own procfs holds only the node's.
void write_sysctl_via(std::string_view proc, std::string_view key, std::string_view value);
/// The value of `key` in the calling thread's current namespaces, without the trailing newline.
std::string read_sysctl(std::string_view key);
/// The value of `key` in `netns` (borrowed).
std::string read_sysctl(const UniqueFd& netns, std::string_view key);

}  // namespace nettopo::netlink
