#include "netlink/route.h"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "core/sys/error.h"
#include "netlink/attribute.h"
#include "netlink/socket.h"

namespace nettopo::netlink {
namespace {

rtmsg route_header(const RouteSpec& route) {
  rtmsg header{};
  header.rtm_family = kernel_family(route.destination.family());
  header.rtm_dst_len = static_cast<uint8_t>(route.destination.length);
  // rtm_table holds 8 bits; RTA_TABLE carries the full number.
  header.rtm_table =
      route.table < 256 ? static_cast<uint8_t>(route.table) : static_cast<uint8_t>(RT_TABLE_UNSPEC);
  return header;
}

void put_route_attributes(Request& request, const RouteSpec& route) {
  request.put(RTA_TABLE, route.table);
  if (!route.destination.is_default()) request.put(RTA_DST, route.destination.address);
  if (route.gateway) request.put(RTA_GATEWAY, *route.gateway);
  if (route.oif != 0) request.put(RTA_OIF, static_cast<uint32_t>(route.oif));
  if (route.metric != 0) request.put(RTA_PRIORITY, route.metric);
}

void put_route_metrics(Request& request, const RouteSpec& route) {
  if (route.mtu == 0) return;
  request.nest(RTA_METRICS, [&] { request.put(RTAX_MTU, route.mtu); });
}

}  // namespace

Request route_add_request(const RouteSpec& route, bool replace) {
  rtmsg header = route_header(route);
  header.rtm_protocol = RTPROT_STATIC;
  header.rtm_type = RTN_UNICAST;
  // Like ip-route(8): a route without a gateway reaches its destination directly on the link.
  header.rtm_scope = route.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  Request request(RTM_NEWROUTE, NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), header);
  put_route_attributes(request, route);
  put_route_metrics(request, route);
  return request;
}

Request route_delete_request(const RouteSpec& route) {
  rtmsg header = route_header(route);
  // RT_SCOPE_NOWHERE matches a route of any scope (fib_table_delete).
  header.rtm_scope = RT_SCOPE_NOWHERE;
  Request request(RTM_DELROUTE, 0, header);
  put_route_attributes(request, route);
  return request;
}

RouteSpec parse_route(const nlmsghdr* message) {
  if (message->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(message) < sizeof(rtmsg)) {
    throw Error("netlink: expected an RTM_NEWROUTE message");
  }
  const auto* header = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(message));
  RouteSpec route;
  route.destination.address.family = family_of(header->rtm_family);
  route.destination.length = header->rtm_dst_len;
  route.table = header->rtm_table;
  mnl_attr_parse(
      message, sizeof(rtmsg),
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<RouteSpec*>(data);
        bool is_u32 = mnl_attr_validate(attribute, MNL_TYPE_U32) >= 0;
        switch (mnl_attr_get_type(attribute)) {
          case RTA_DST:
            if (auto address = read_address(attribute, out.destination.family()))
              out.destination.address = *address;
            break;
          case RTA_GATEWAY:
            out.gateway = read_address(attribute, out.destination.family());
            break;
          case RTA_OIF:
            if (is_u32) out.oif = static_cast<int>(mnl_attr_get_u32(attribute));
            break;
          case RTA_PRIORITY:
            if (is_u32) out.metric = mnl_attr_get_u32(attribute);
            break;
          case RTA_TABLE:
            if (is_u32) out.table = mnl_attr_get_u32(attribute);
            break;
          case RTA_METRICS:
            if (const nlattr* mtu = find_nested(attribute, RTAX_MTU);
                mtu && mnl_attr_validate(mtu, MNL_TYPE_U32) >= 0)
              out.mtu = mnl_attr_get_u32(mtu);
            break;
          default:
            break;
        }
        return MNL_CB_OK;
      },
      &route);
  return route;
}

std::vector<RouteSpec> list_routes(Socket& socket, IpFamily family) {
  rtmsg header{};
  header.rtm_family = kernel_family(family);
  Request request(RTM_GETROUTE, 0, header);
  // With strict checking (the socket turns it on) the kernel filters by table itself.
  request.put(RTA_TABLE, static_cast<uint32_t>(RT_TABLE_MAIN));
  std::vector<RouteSpec> routes;
  socket.dump(
      request,
      [&](const nlmsghdr* message) {
        const auto* answer = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(message));
        if (answer->rtm_type != RTN_UNICAST || (answer->rtm_flags & RTM_F_CLONED)) return;
        RouteSpec route = parse_route(message);
        if (route.table == RT_TABLE_MAIN) routes.push_back(route);
      },
      "list routes");
  return routes;
}

}  // namespace nettopo::netlink
