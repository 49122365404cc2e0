#include "netlink/bridge.h"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace nettopo::netlink {

Request bridge_request(const BridgeSpec& bridge) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  header.ifi_index = bridge.ifindex;
  if (bridge.up) header.ifi_flags = header.ifi_change = IFF_UP;
  Request request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, header);
  request.put(IFLA_IFNAME, bridge.name);
  if (bridge.netns_fd >= 0) request.put(IFLA_NET_NS_FD, static_cast<uint32_t>(bridge.netns_fd));
  if (bridge.mtu) request.put(IFLA_MTU, *bridge.mtu);
  request.nest(IFLA_LINKINFO, [&] { request.put(IFLA_INFO_KIND, "bridge"); });
  return request;
}

}  // namespace nettopo::netlink
