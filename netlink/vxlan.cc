#include "netlink/vxlan.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "core/sys/error.h"

namespace nettopo::netlink {

Request vxlan_request(const VxlanSpec& vxlan) {
  if (vxlan.remote && vxlan.group) {
    throw Error("vxlan " + vxlan.name + ": remote and group exclude each other");
  }
  // The kernel keeps one address family per vxlan device.
  std::optional<IpFamily> family;
  for (const auto& address : {vxlan.local, vxlan.remote, vxlan.group}) {
    if (!address) continue;
    if (family && *family != address->family) {
      throw Error("vxlan " + vxlan.name + ": local and remote addresses mix IPv4 and IPv6");
    }
    family = address->family;
  }
  bool v6 = family == IpFamily::V6;

  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  Request request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, header);
  request.put(IFLA_IFNAME, vxlan.name);
  if (vxlan.netns_fd >= 0) request.put(IFLA_NET_NS_FD, static_cast<uint32_t>(vxlan.netns_fd));
  request.nest(IFLA_LINKINFO, [&] {
    request.put(IFLA_INFO_KIND, "vxlan");
    request.nest(IFLA_INFO_DATA, [&] {
      request.put(IFLA_VXLAN_ID, vxlan.vni);
      // Unicast remote and multicast group share the attribute; the kernel tells them apart.
      const auto& peer = vxlan.remote ? vxlan.remote : vxlan.group;
      if (peer) request.put(v6 ? IFLA_VXLAN_GROUP6 : IFLA_VXLAN_GROUP, *peer);
      if (vxlan.local) request.put(v6 ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL, *vxlan.local);
      if (vxlan.underlay_ifindex != 0) {
        request.put(IFLA_VXLAN_LINK, static_cast<uint32_t>(vxlan.underlay_ifindex));
      }
      // IFLA_VXLAN_PORT is in network byte order (vxlan.c: nla_get_be16).
      request.put(IFLA_VXLAN_PORT, static_cast<uint16_t>(htons(vxlan.port)));
    });
  });
  return request;
}

}  // namespace nettopo::netlink
