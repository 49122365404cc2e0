#include "netlink/link.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/sys/error.h"
#include "netlink/attribute.h"
#include "netlink/socket.h"

namespace nettopo::netlink {
namespace {

ifinfomsg link_header(int ifindex) {
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  header.ifi_index = ifindex;
  return header;
}

// Leaves statistics out of the answers: they are most of a link message and nobody here reads them.
constexpr uint32_t kExtMask = RTEXT_FILTER_SKIP_STATS;

}  // namespace

Request link_up_request(int ifindex, bool up) {
  ifinfomsg header = link_header(ifindex);
  header.ifi_flags = up ? IFF_UP : 0;
  header.ifi_change = IFF_UP;
  return Request(RTM_NEWLINK, 0, header);
}

Request link_mtu_request(int ifindex, uint32_t mtu) {
  Request request(RTM_NEWLINK, 0, link_header(ifindex));
  request.put(IFLA_MTU, mtu);
  return request;
}

Request link_mac_request(int ifindex, const MacAddress& mac) {
  Request request(RTM_NEWLINK, 0, link_header(ifindex));
  request.put(IFLA_ADDRESS, mac);
  return request;
}

Request link_rename_request(int ifindex, std::string_view new_name) {
  Request request(RTM_NEWLINK, 0, link_header(ifindex));
  request.put(IFLA_IFNAME, new_name);
  return request;
}

Request link_delete_request(int ifindex) { return Request(RTM_DELLINK, 0, link_header(ifindex)); }

Request link_master_request(int ifindex, int master_ifindex) {
  Request request(RTM_NEWLINK, 0, link_header(ifindex));
  request.put(IFLA_MASTER, static_cast<uint32_t>(master_ifindex));
  return request;
}

LinkInfo parse_link(const nlmsghdr* message) {
  if (message->nlmsg_type != RTM_NEWLINK ||
      mnl_nlmsg_get_payload_len(message) < sizeof(ifinfomsg)) {
    throw Error("netlink: expected an RTM_NEWLINK message");
  }
  const auto* header = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(message));
  LinkInfo link;
  link.index = header->ifi_index;
  link.flags = header->ifi_flags;
  mnl_attr_parse(
      message, sizeof(ifinfomsg),
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<LinkInfo*>(data);
        switch (mnl_attr_get_type(attribute)) {
          case IFLA_IFNAME:
            if (mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) >= 0) {
              out.name = mnl_attr_get_str(attribute);
            }
            break;
          case IFLA_MTU:
            if (mnl_attr_validate(attribute, MNL_TYPE_U32) >= 0)
              out.mtu = mnl_attr_get_u32(attribute);
            break;
          case IFLA_MASTER:
            if (mnl_attr_validate(attribute, MNL_TYPE_U32) >= 0) {
              out.master_index = static_cast<int>(mnl_attr_get_u32(attribute));
            }
            break;
          case IFLA_ADDRESS:
            if (mnl_attr_get_payload_len(attribute) == 6) {
              MacAddress mac;
              std::memcpy(mac.bytes.data(), mnl_attr_get_payload(attribute), 6);
              out.mac = mac;
            }
            break;
          case IFLA_LINKINFO:
            if (const nlattr* kind = find_nested(attribute, IFLA_INFO_KIND);
                kind && mnl_attr_validate(kind, MNL_TYPE_NUL_STRING) >= 0)
              out.kind = mnl_attr_get_str(kind);
            break;
          default:
            break;
        }
        return MNL_CB_OK;
      },
      &link);
  return link;
}

std::optional<LinkInfo> find_link(Socket& socket, std::string_view name) {
  Request request(RTM_GETLINK, 0, link_header(0));
  request.put(IFLA_IFNAME, name).put(IFLA_EXT_MASK, kExtMask);
  std::optional<LinkInfo> found;
  try {
    socket.query(
        request, [&](const nlmsghdr* message) { found = parse_link(message); }, "find link",
        std::string(name));
  } catch (const NetlinkError& error) {
    if (error.error_number() == ENODEV) return std::nullopt;
    throw;
  }
  return found;
}

std::vector<LinkInfo> list_links(Socket& socket) {
  Request request(RTM_GETLINK, 0, link_header(0));
  request.put(IFLA_EXT_MASK, kExtMask);
  std::vector<LinkInfo> links;
  socket.dump(
      request, [&](const nlmsghdr* message) { links.push_back(parse_link(message)); },
      "list links");
  return links;
}

}  // namespace nettopo::netlink
