#include "netlink/macvlan.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

namespace nettopo::netlink {
namespace {

uint32_t kernel_mode(MacvlanSpec::Mode mode) {
  switch (mode) {
    case MacvlanSpec::Mode::Private:
      return MACVLAN_MODE_PRIVATE;
    case MacvlanSpec::Mode::Vepa:
      return MACVLAN_MODE_VEPA;
    case MacvlanSpec::Mode::Bridge:
      return MACVLAN_MODE_BRIDGE;
    case MacvlanSpec::Mode::Passthru:
      return MACVLAN_MODE_PASSTHRU;
  }
  return MACVLAN_MODE_BRIDGE;
}

}  // namespace

Request macvlan_request(const MacvlanSpec& macvlan) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  Request request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, header);
  request.put(IFLA_IFNAME, macvlan.name);
  request.put(IFLA_LINK, static_cast<uint32_t>(macvlan.parent_ifindex));
  if (macvlan.netns_fd >= 0) request.put(IFLA_NET_NS_FD, static_cast<uint32_t>(macvlan.netns_fd));
  request.nest(IFLA_LINKINFO, [&] {
    request.put(IFLA_INFO_KIND, "macvlan");
    request.nest(IFLA_INFO_DATA,
                 [&] { request.put(IFLA_MACVLAN_MODE, kernel_mode(macvlan.mode)); });
  });
  return request;
}

}  // namespace nettopo::netlink
