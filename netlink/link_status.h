#pragma once

// What an interface is doing right now: operational state and traffic counters, for `link show`
// and `status` (list_links leaves statistics out to stay small).

#include <cstdint>
#include <string>
#include <vector>

#include "netlink/link.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// Traffic counters of an interface (IFLA_STATS64).
struct LinkCounters {
  uint64_t rx_bytes = 0;
  uint64_t rx_packets = 0;
  uint64_t rx_dropped = 0;
  uint64_t rx_errors = 0;
  uint64_t tx_bytes = 0;
  uint64_t tx_packets = 0;
  uint64_t tx_dropped = 0;
  uint64_t tx_errors = 0;
};

/// An interface with its state and counters.
struct LinkStatus {
  LinkInfo link;
  /// RFC 2863 operational state as ip-link(8) names it: "UP", "DOWN", "LOWERLAYERDOWN",
  /// "UNKNOWN" (lo, and devices that do not report one), ...
  std::string oper_state;
  bool carrier = false;  ///< IFLA_CARRIER: the link layer is up (a veth whose peer is up)
  LinkCounters counters;
};

/// The name ip-link(8) gives an IF_OPER_* value.
std::string oper_state_name(uint8_t state);

/// Decodes one RTM_NEWLINK message with its statistics. Throws nettopo::Error when it is not one.
LinkStatus parse_link_status(const nlmsghdr* message);
/// Every interface in the socket's namespace with its state and counters.
std::vector<LinkStatus> list_link_status(Socket& socket);

}  // namespace nettopo::netlink
