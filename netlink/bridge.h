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
  bool up = false;   // created already up
  bool stp = false;  // the kernel's spanning tree (IFLA_BR_STP_STATE); off is the kernel's default
  /// Time a port spends listening and then learning before it forwards, in hundredths of a
  /// second (IFLA_BR_FORWARD_DELAY is in USER_HZ clock ticks). With STP on the kernel takes
  /// kMinStpForwardDelay..3000; unset = its default, 1500 (15 s).
  std::optional<uint32_t> forward_delay_cs{};
};

/// The least forward delay the kernel takes while STP is on (BR_MIN_FORWARD_DELAY, 2 s).
inline constexpr uint32_t kMinStpForwardDelay = 200;

/// RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) of kind "bridge". Ports join with link_master_request.
/// The kernel applies the forward delay before the STP state (br_changelink()), so one request
/// can set both.
Request bridge_request(const BridgeSpec& bridge);

}  // namespace nettopo::netlink
