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
  request.nest(IFLA_LINKINFO, [&] {
    request.put(IFLA_INFO_KIND, "bridge");
    if (!bridge.stp && !bridge.forward_delay_cs) return;
    request.nest(IFLA_INFO_DATA, [&] {
      if (bridge.forward_delay_cs) request.put_u32(IFLA_BR_FORWARD_DELAY, *bridge.forward_delay_cs);
      // In a network namespace other than the host's the kernel runs STP itself (BR_KERNEL_STP):
      // no user-space helper (/sbin/bridge-stp) is asked.
      if (bridge.stp) request.put_u32(IFLA_BR_STP_STATE, 1);
    });
  });
  return request;
}

}  // namespace nettopo::netlink
