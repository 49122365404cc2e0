#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sys/ip_address.h"
#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// A network interface as the kernel reports it (RTM_NEWLINK).
struct LinkInfo {
  int index = 0;
  std::string name;
  std::string kind;    // IFLA_INFO_KIND: "veth", "bridge", ...; empty for lo and physical devices
  unsigned flags = 0;  // IFF_*
  uint32_t mtu = 0;
  std::optional<MacAddress> mac{};
  int master_index = 0;  // the bridge this link is a port of; 0 = none
};

/// Sets or clears IFF_UP.
Request link_up_request(int ifindex, bool up);
Request link_mtu_request(int ifindex, uint32_t mtu);
Request link_mac_request(int ifindex, const MacAddress& mac);
Request link_rename_request(int ifindex, std::string_view new_name);
/// Deletes the link (a veth takes its peer with it).
Request link_delete_request(int ifindex);
/// Makes the link a port of the bridge `master_ifindex`; 0 detaches it.
Request link_master_request(int ifindex, int master_ifindex);

/// Decodes one RTM_NEWLINK message. Throws nettopo::Error when it is not one.
LinkInfo parse_link(const nlmsghdr* message);

/// The link called `name` in the socket's namespace; nullopt when there is none (ENODEV).
/// Throws NetlinkError for any other refusal.
std::optional<LinkInfo> find_link(Socket& socket, std::string_view name);
/// Every link in the socket's namespace, in the kernel's order.
std::vector<LinkInfo> list_links(Socket& socket);

}  // namespace nettopo::netlink
