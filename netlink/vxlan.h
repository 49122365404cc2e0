#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/sys/ip_address.h"
#include "netlink/request.h"

namespace nettopo::netlink {

struct VxlanSpec {
  std::string name;
  uint32_t vni = 0;
  std::optional<IpAddress> local{};
  std::optional<IpAddress> remote{};  // unicast peer; exclusive with `group`
  std::optional<IpAddress> group{};   // multicast group; needs an underlay device
  int underlay_ifindex = 0;           // 0 = none (routing decides)
  uint16_t port = 4789;               // UDP destination port (IANA)
  int netns_fd = -1;                  // borrowed; created in this namespace; -1 = the socket's
};

/// RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) of kind "vxlan". Throws nettopo::Error when both
/// remote and group are given, or when the addresses mix IPv4 and IPv6.
Request vxlan_request(const VxlanSpec& vxlan);

}  // namespace nettopo::netlink
