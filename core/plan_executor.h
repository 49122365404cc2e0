#pragma once

#include <string>
#include <vector>

#include "core/lab_plan.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// Applies the networking part of a plan through rtnetlink: bridges, veth pairs created in place
/// in their namespaces, ports, addresses, links up, sysctls, routes, qdiscs. `netns[i]` is the
/// network namespace of plan.namespaces[i], and `proc[i]` a procfs mount to write its sysctls
/// through (its own, "/proc/PID/root/proc": see netlink::write_sysctl_via). One socket per
/// namespace, every phase pipelined.
/// Throws NetlinkError / SystemError naming the node and the operation; what was made stays for
/// the caller's teardown (it all lives in namespaces that die with the lab).
void apply_network_plan(const LabPlan& plan, const std::vector<UniqueFd>& netns,
                        const std::vector<std::string>& proc);

}  // namespace nettopo
