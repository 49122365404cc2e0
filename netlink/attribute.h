#pragma once

// Reading attributes out of the kernel's answers: what libmnl's callbacks make long-winded.

#include <libmnl/libmnl.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <optional>

#include "core/sys/ip_address.h"

namespace nettopo::netlink {

/// The attribute of `type` directly inside the nest `nest`, or nullptr when it has none.
inline const nlattr* find_nested(const nlattr* nest, uint16_t type) {
  // mnl_attr_for_each_nested() by hand: the macro does arithmetic on void*, which C++ refuses.
  const auto* begin = static_cast<const char*>(mnl_attr_get_payload(nest));
  const char* end = begin + mnl_attr_get_payload_len(nest);
  auto* attribute = reinterpret_cast<const nlattr*>(begin);
  while (mnl_attr_ok(attribute, static_cast<int>(end - reinterpret_cast<const char*>(attribute)))) {
    if (mnl_attr_get_type(attribute) == type) return attribute;
    attribute = mnl_attr_next(attribute);
  }
  return nullptr;
}

/// The address family the kernel names `family` by in a header (ifa_family, rtm_family).
inline uint8_t kernel_family(IpFamily family) {
  return family == IpFamily::V4 ? AF_INET : AF_INET6;
}

/// The family of an answer's header: AF_INET is IPv4, anything else IPv6 (callers that dump
/// every family skip the others first).
inline IpFamily family_of(uint8_t kernel_family) {
  return kernel_family == AF_INET ? IpFamily::V4 : IpFamily::V6;
}

/// The address an attribute carries (IFA_LOCAL, RTA_DST, RTA_GATEWAY, ...), of the family its
/// message's header names; nullopt when the payload is not that family's size.
inline std::optional<IpAddress> read_address(const nlattr* attribute, IpFamily family) {
  IpAddress address;
  address.family = family;
  if (mnl_attr_get_payload_len(attribute) != address.size()) return std::nullopt;
  std::memcpy(address.bytes.data(), mnl_attr_get_payload(attribute), address.size());
  return address;
}

}  // namespace nettopo::netlink
