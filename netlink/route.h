#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/sys/ip_address.h"
#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// A unicast route. A destination of length 0 is the default route.
struct RouteSpec {
  IpPrefix destination;
  std::optional<IpAddress> gateway{};
  int oif = 0;           // output interface; 0 = whichever reaches the gateway
  uint32_t metric = 0;   // RTA_PRIORITY
  uint32_t table = 254;  // RT_TABLE_MAIN
  uint32_t mtu = 0;      // path MTU (RTAX_MTU in RTA_METRICS); 0 = the output link's

  bool operator==(const RouteSpec&) const = default;
};

/// RTM_NEWROUTE of a unicast route, protocol "static". NLM_F_CREATE | NLM_F_EXCL (an existing
/// route answers EEXIST), or with `replace` NLM_F_CREATE | NLM_F_REPLACE. Without a gateway the
/// route is scope link, as `ip route` makes it. `metric` travels as RTA_PRIORITY, `mtu` in the
/// RTA_METRICS nest.
Request route_add_request(const RouteSpec& route, bool replace = false);
/// RTM_DELROUTE matching destination, table and whichever of gateway, oif and metric are set.
Request route_delete_request(const RouteSpec& route);

/// Decodes one RTM_NEWROUTE message. Throws nettopo::Error when it is not one.
RouteSpec parse_route(const nlmsghdr* message);

/// The unicast routes of the main table of `family`, including the kernel's connected routes.
/// Multipath routes are reported without their next hops.
std::vector<RouteSpec> list_routes(Socket& socket, IpFamily family);

}  // namespace nettopo::netlink
