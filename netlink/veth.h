#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/sys/ip_address.h"
#include "netlink/request.h"

namespace nettopo::netlink {

/// One end of a veth pair, described where it will live.
struct VethEnd {
  std::string name;   // final name: the end is created with it, no rename later
  int netns_fd = -1;  // borrowed; the end is created in this namespace (IFLA_NET_NS_FD); -1 = none
  int ifindex = 0;    // 0 = the kernel chooses; else this index, so later requests need no lookup
  std::optional<MacAddress> mac{};
  std::optional<uint32_t> mtu{};
};

/// One RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) creating both ends in place: end A described by the
/// top-level ifinfomsg and attributes, end B inside IFLA_LINKINFO/IFLA_INFO_DATA/VETH_INFO_PEER as
/// an ifinfomsg followed by its own attributes. `a_up` creates end A already up; the peer cannot
/// be (the kernel opens it before the pair is linked and answers ENOTCONN).
/// With netns_fd = -1 an end carries no IFLA_NET_NS_FD and lands where the kernel puts it by
/// default: the socket's namespace for end A; for end B, end A's target namespace on recent
/// kernels. Give both fds when it matters.
Request veth_request(const VethEnd& a, const VethEnd& b, bool a_up = false);

}  // namespace nettopo::netlink
