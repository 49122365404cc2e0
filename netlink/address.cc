#include "netlink/address.h"

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "core/sys/error.h"
#include "netlink/attribute.h"
#include "netlink/socket.h"

namespace nettopo::netlink {
namespace {

ifaddrmsg address_header(int ifindex, const IpPrefix& address) {
  ifaddrmsg header{};
  header.ifa_family = kernel_family(address.family());
  header.ifa_prefixlen = static_cast<uint8_t>(address.length);
  header.ifa_index = static_cast<uint32_t>(ifindex);
  return header;
}

IpAddress broadcast_of(const IpPrefix& prefix) {
  IpAddress broadcast = prefix.address;
  for (int bit = prefix.length; bit < 32; ++bit) broadcast.bytes[bit / 8] |= 0x80 >> (bit % 8);
  return broadcast;
}

}  // namespace

Request address_add_request(int ifindex, const IpPrefix& address, bool nodad) {
  ifaddrmsg header = address_header(ifindex, address);
  bool v6 = address.family() == IpFamily::V6;
  uint32_t flags = v6 && nodad ? IFA_F_NODAD : 0;
  header.ifa_flags = static_cast<uint8_t>(flags);  // old kernels read only these 8 bits
  Request request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header);
  request.put(IFA_LOCAL, address.address).put(IFA_ADDRESS, address.address);
  if (!v6 && address.length < 31) request.put(IFA_BROADCAST, broadcast_of(address));
  if (flags != 0) request.put(IFA_FLAGS, flags);
  return request;
}

Request address_delete_request(int ifindex, const IpPrefix& address) {
  Request request(RTM_DELADDR, 0, address_header(ifindex, address));
  request.put(IFA_LOCAL, address.address).put(IFA_ADDRESS, address.address);
  return request;
}

AddressInfo parse_address(const nlmsghdr* message) {
  if (message->nlmsg_type != RTM_NEWADDR ||
      mnl_nlmsg_get_payload_len(message) < sizeof(ifaddrmsg)) {
    throw Error("netlink: expected an RTM_NEWADDR message");
  }
  const auto* header = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(message));
  struct Parsed {
    IpFamily family;
    std::optional<IpAddress> local, address;
    std::optional<uint32_t> flags;
  } parsed{family_of(header->ifa_family), {}, {}, {}};
  mnl_attr_parse(
      message, sizeof(ifaddrmsg),
      [](const nlattr* attribute, void* data) {
        auto& out = *static_cast<Parsed*>(data);
        uint16_t type = mnl_attr_get_type(attribute);
        if (type == IFA_FLAGS && mnl_attr_validate(attribute, MNL_TYPE_U32) >= 0) {
          out.flags = mnl_attr_get_u32(attribute);
          return MNL_CB_OK;
        }
        if (type != IFA_LOCAL && type != IFA_ADDRESS) return MNL_CB_OK;
        if (auto value = read_address(attribute, out.family))
          (type == IFA_LOCAL ? out.local : out.address) = value;
        return MNL_CB_OK;
      },
      &parsed);
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on point-to-point links,
  // and the only one IPv6 sends.
  AddressInfo info;
  info.ifindex = static_cast<int>(header->ifa_index);
  if (parsed.local) {
    info.prefix.address = *parsed.local;
  } else if (parsed.address) {
    info.prefix.address = *parsed.address;
  }
  info.prefix.address.family = parsed.family;
  info.prefix.length = header->ifa_prefixlen;
  // IFA_FLAGS holds all 32 bits; ifa_flags only the first 8 (kernels before 3.14 send no more).
  info.flags = parsed.flags.value_or(header->ifa_flags);
  return info;
}

std::vector<AddressInfo> list_addresses(Socket& socket, std::optional<IpFamily> family) {
  ifaddrmsg header{};
  header.ifa_family = family ? kernel_family(*family) : AF_UNSPEC;
  Request request(RTM_GETADDR, 0, header);
  std::vector<AddressInfo> addresses;
  socket.dump(
      request,
      [&](const nlmsghdr* message) {
        const auto* answer = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(message));
        if (answer->ifa_family != AF_INET && answer->ifa_family != AF_INET6) return;
        addresses.push_back(parse_address(message));
      },
      "list addresses");
  return addresses;
}

}  // namespace nettopo::netlink
