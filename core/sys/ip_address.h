#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nettopo {

enum class IpFamily : uint8_t { V4 = 4, V6 = 6 };

/// An IPv4 or IPv6 address as a value. Bytes are in network order; IPv4 uses the first four.
struct IpAddress {
  IpFamily family = IpFamily::V4;
  std::array<uint8_t, 16> bytes{};

  /// Parses "10.0.0.1" or "fd00::1"; nullopt on anything else.
  static std::optional<IpAddress> parse(std::string_view text);
  static IpAddress v4(uint32_t host_order);

  size_t size() const { return family == IpFamily::V4 ? 4 : 16; }
  int max_prefix() const { return family == IpFamily::V4 ? 32 : 128; }
  std::string to_string() const;
  /// This address plus `offset` (carrying across bytes); wraps silently, callers check bounds.
  IpAddress plus(uint64_t offset) const;

  auto operator<=>(const IpAddress&) const = default;
};

/// An address with a prefix length: an interface address ("10.0.0.1/24") or a subnet
/// ("10.0.0.0/24").
struct IpPrefix {
  IpAddress address;
  int length = 0;

  /// Parses "ADDR/LEN"; nullopt when malformed or the length exceeds the family's maximum.
  static std::optional<IpPrefix> parse(std::string_view text);

  IpFamily family() const { return address.family; }
  /// The subnet this prefix lies in: host bits cleared.
  IpPrefix network() const;
  bool contains(const IpAddress& other) const;
  /// True when `other` lies entirely inside this prefix.
  bool contains(const IpPrefix& other) const;
  bool is_default() const { return length == 0; }
  std::string to_string() const;

  auto operator<=>(const IpPrefix&) const = default;
};

/// An Ethernet address.
struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  /// Parses "02:00:00:00:00:01"; nullopt when malformed.
  static std::optional<MacAddress> parse(std::string_view text);
  std::string to_string() const;

  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace nettopo
