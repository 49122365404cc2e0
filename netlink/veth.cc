#include "netlink/veth.h"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/socket.h>

namespace nettopo::netlink {
namespace {

ifinfomsg end_header(const VethEnd& end) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  header.ifi_index = end.ifindex;
  return header;
}

void put_end(Request& request, const VethEnd& end) {
  request.put(IFLA_IFNAME, end.name);
  if (end.netns_fd >= 0) request.put(IFLA_NET_NS_FD, static_cast<uint32_t>(end.netns_fd));
  if (end.mac) request.put(IFLA_ADDRESS, *end.mac);
  if (end.mtu) request.put(IFLA_MTU, *end.mtu);
}

}  // namespace

Request veth_request(const VethEnd& a, const VethEnd& b, bool a_up) {
  ifinfomsg a_header = end_header(a);
  if (a_up) a_header.ifi_flags = a_header.ifi_change = IFF_UP;
  Request request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, a_header);
  put_end(request, a);
  request.nest(IFLA_LINKINFO, [&] {
    request.put(IFLA_INFO_KIND, "veth");
    request.nest(IFLA_INFO_DATA, [&] {
      request.nest(VETH_INFO_PEER, end_header(b), [&] { put_end(request, b); });
    });
  });
  return request;
}

}  // namespace nettopo::netlink
