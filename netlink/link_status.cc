#include "netlink/link_status.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "netlink/socket.h"

namespace nettopo::netlink {

std::string oper_state_name(uint8_t state) {
  switch (state) {
    case IF_OPER_UNKNOWN:
      return "UNKNOWN";
    case IF_OPER_NOTPRESENT:
      return "NOTPRESENT";
    case IF_OPER_DOWN:
      return "DOWN";
    case IF_OPER_LOWERLAYERDOWN:
      return "LOWERLAYERDOWN";
    case IF_OPER_TESTING:
      return "TESTING";
    case IF_OPER_DORMANT:
      return "DORMANT";
    case IF_OPER_UP:
      return "UP";
    default:
      return "STATE" + std::to_string(state);
  }
}

LinkStatus parse_link_status(const nlmsghdr* message) {
  LinkStatus status;
  status.link = parse_link(message);  // throws for anything but RTM_NEWLINK
  struct Collected {
    uint8_t oper_state = IF_OPER_UNKNOWN;
    bool carrier = false;
    LinkCounters counters;
  } collected;
  mnl_attr_parse(
      message, sizeof(ifinfomsg),
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<Collected*>(data);
        switch (mnl_attr_get_type(attribute)) {
          case IFLA_OPERSTATE:
            if (mnl_attr_validate(attribute, MNL_TYPE_U8) >= 0)
              out.oper_state = mnl_attr_get_u8(attribute);
            break;
          case IFLA_CARRIER:
            if (mnl_attr_validate(attribute, MNL_TYPE_U8) >= 0)
              out.carrier = mnl_attr_get_u8(attribute) != 0;
            break;
          case IFLA_STATS64: {
            rtnl_link_stats64 stats{};
            std::memcpy(&stats, mnl_attr_get_payload(attribute),
                        std::min<size_t>(mnl_attr_get_payload_len(attribute), sizeof stats));
            out.counters = {stats.rx_bytes, stats.rx_packets, stats.rx_dropped, stats.rx_errors,
                            stats.tx_bytes, stats.tx_packets, stats.tx_dropped, stats.tx_errors};
            break;
          }
          default:
            break;
        }
        return MNL_CB_OK;
      },
      &collected);
  status.oper_state = oper_state_name(collected.oper_state);
  status.carrier = collected.carrier;
  status.counters = collected.counters;
  return status;
}

std::vector<LinkStatus> list_link_status(Socket& socket) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  Request request(RTM_GETLINK, 0, header);
  std::vector<LinkStatus> links;
  socket.dump(
      request, [&](const nlmsghdr* message) { links.push_back(parse_link_status(message)); },
      "list links with counters");
  return links;
}

}  // namespace nettopo::netlink
