#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "netlink/request.h"

namespace nettopo::netlink {

struct BridgeSpec {
  std::string name;
  int ifindex = 0;    // 0 = the kernel chooses
  int netns_fd = -1;  // borrowed; created in this namespace; -1 = the socket's
  std::optional<uint32_t> mtu{};
  bool up = false;  // created already up
};

/// RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) of kind "bridge". Ports join with link_master_request.
Request bridge_request(const BridgeSpec& bridge);

}  // namespace nettopo::netlink
