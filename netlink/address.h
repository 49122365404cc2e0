#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/sys/ip_address.h"
#include "netlink/request.h"

struct nlmsghdr;

namespace nettopo::netlink {

class Socket;

/// An address on an interface, as the kernel reports it.
struct AddressInfo {
  int ifindex = 0;
  IpPrefix prefix;
  uint32_t flags = 0;  // IFA_F_*: IFA_F_TENTATIVE while IPv6 DAD runs, IFA_F_NODAD, ...
};

/// RTM_NEWADDR (NLM_F_CREATE | NLM_F_EXCL: an existing address answers EEXIST). IPv4 carries
/// IFA_LOCAL and IFA_ADDRESS, plus IFA_BROADCAST for prefixes shorter than /31; IPv6 carries both
/// too and, with `nodad`, IFA_F_NODAD so the address is usable at once instead of after DAD.
Request address_add_request(int ifindex, const IpPrefix& address, bool nodad = true);
Request address_delete_request(int ifindex, const IpPrefix& address);

/// Decodes one RTM_NEWADDR message. Throws nettopo::Error when it is not one.
AddressInfo parse_address(const nlmsghdr* message);

/// Every address in the socket's namespace, of `family` when given.
std::vector<AddressInfo> list_addresses(Socket& socket,
                                        std::optional<IpFamily> family = std::nullopt);

}  // namespace nettopo::netlink
