#pragma once

// Reading attributes out of the kernel's answers: what libmnl's callbacks make long-winded.

#include <libmnl/libmnl.h>

#include <cstdint>

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

}  // namespace nettopo::netlink
