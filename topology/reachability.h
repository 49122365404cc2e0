#pragma once

#include <string_view>

#include "core/sys/ip_address.h"
#include "topology/model.h"

namespace nettopo::topology {

/// Simulates IP forwarding on the resolved lab: true when a ping from node `from` to address `to`
/// would get an answer. Each hop looks up the longest matching prefix among the node's connected
/// subnets and routes (connected first on a tie, then the lower metric, then file order), finds
/// the next hop by its address on the outgoing segment, and drops the packet at a node that is
/// not the destination and does not forward. The reply travels back the same way from the
/// destination to the source address the first hop chose. A node with
/// net.ipv4.icmp_echo_ignore_all = 1 does not answer IPv4 pings. False for an unknown node.
bool can_ping(const Lab& lab, std::string_view from, const IpAddress& to);

}  // namespace nettopo::topology
