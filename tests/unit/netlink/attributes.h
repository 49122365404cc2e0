#pragma once

// Test helpers: walk a request's attributes with libmnl, as the kernel would see them.

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <cstring>
#include <map>
#include <string>

#include "core/sys/ip_address.h"

namespace nettopo::netlink::test_support {

/// Attributes by type; a type given twice fails the test.
using Attributes = std::map<uint16_t, const nlattr*>;

inline int collect(const nlattr* attribute, void* data) {
  auto& attributes = *static_cast<Attributes*>(data);
  bool inserted = attributes.emplace(mnl_attr_get_type(attribute), attribute).second;
  EXPECT_TRUE(inserted) << "attribute " << mnl_attr_get_type(attribute) << " given twice";
  return MNL_CB_OK;
}

/// The top-level attributes after a `header_size`-byte family header.
inline Attributes attributes_of(const nlmsghdr* message, size_t header_size) {
  Attributes attributes;
  EXPECT_EQ(mnl_attr_parse(message, header_size, collect, &attributes), MNL_CB_OK);
  return attributes;
}

/// The attributes inside a nest.
inline Attributes nested(const nlattr* nest) {
  Attributes attributes;
  EXPECT_EQ(mnl_attr_parse_nested(nest, collect, &attributes), MNL_CB_OK);
  return attributes;
}

/// The attributes of a nest whose payload starts with a `header_size`-byte header.
inline Attributes nested_after_header(const nlattr* nest, size_t header_size) {
  Attributes attributes;
  const auto* payload = static_cast<const uint8_t*>(mnl_attr_get_payload(nest));
  size_t skip = MNL_ALIGN(header_size);
  EXPECT_GE(mnl_attr_get_payload_len(nest), skip);
  EXPECT_EQ(mnl_attr_parse_payload(payload + skip, mnl_attr_get_payload_len(nest) - skip, collect,
                                   &attributes),
            MNL_CB_OK);
  return attributes;
}

inline std::string text(const nlattr* attribute) {
  EXPECT_GE(mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING), 0);
  return mnl_attr_get_str(attribute);
}

inline uint32_t u32(const nlattr* attribute) {
  EXPECT_EQ(mnl_attr_get_payload_len(attribute), 4u);
  return mnl_attr_get_u32(attribute);
}

inline IpAddress address(const nlattr* attribute, IpFamily family) {
  IpAddress value;
  value.family = family;
  EXPECT_EQ(mnl_attr_get_payload_len(attribute), value.size());
  std::memcpy(value.bytes.data(), mnl_attr_get_payload(attribute), value.size());
  return value;
}

template <class Header>
Header payload_header(const nlattr* attribute) {
  Header header;
  EXPECT_GE(mnl_attr_get_payload_len(attribute), sizeof header);
  std::memcpy(&header, mnl_attr_get_payload(attribute), sizeof header);
  return header;
}

inline IpAddress ip(const char* text) { return *IpAddress::parse(text); }
inline IpPrefix prefix(const char* text) { return *IpPrefix::parse(text); }

}  // namespace nettopo::netlink::test_support
