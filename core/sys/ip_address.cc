#include "core/sys/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace nettopo {

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  std::string copy(text);  // inet_pton wants a terminated string
  IpAddress address;
  if (copy.find(':') != std::string::npos) {
    address.family = IpFamily::V6;
    if (inet_pton(AF_INET6, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
  } else {
    address.family = IpFamily::V4;
    if (inet_pton(AF_INET, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
  }
  return address;
}

IpAddress IpAddress::v4(uint32_t host_order) {
  IpAddress address;
  for (int i = 0; i < 4; ++i) address.bytes[i] = static_cast<uint8_t>(host_order >> (24 - 8 * i));
  return address;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == IpFamily::V4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

IpAddress IpAddress::plus(uint64_t offset) const {
  IpAddress result = *this;
  unsigned carry = 0;
  for (int i = static_cast<int>(size()) - 1; i >= 0; --i) {
    unsigned sum = result.bytes[i] + static_cast<unsigned>(offset & 0xff) + carry;
    result.bytes[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
    offset >>= 8;
  }
  return result;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = IpAddress::parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  auto digits = text.substr(slash + 1);
  int length = -1;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  // "/024": iproute2 reads a leading zero as octal (20), so it means something else to `ip`.
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  if (length < 0 || length > address->max_prefix()) return std::nullopt;
  return IpPrefix{*address, length};
}

IpPrefix IpPrefix::network() const {
  IpPrefix result = *this;
  for (size_t i = 0; i < address.size(); ++i) {
    int bits_kept = std::max(0, std::min(8, length - static_cast<int>(i) * 8));
    uint8_t mask = bits_kept == 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits_kept));
    result.address.bytes[i] &= mask;
  }
  return result;
}

bool IpPrefix::contains(const IpAddress& other) const {
  if (other.family != family()) return false;
  return IpPrefix{other, length}.network().address == network().address;
}

bool IpPrefix::contains(const IpPrefix& other) const {
  return other.length >= length && contains(other.address);
}

std::string IpPrefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  MacAddress mac;
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':') return std::nullopt;
    auto part = text.substr(i * 3, 2);
    auto [end, error] = std::from_chars(part.data(), part.data() + 2, mac.bytes[i], 16);
    if (error != std::errc() || end != part.data() + 2) return std::nullopt;
  }
  return mac;
}

std::string MacAddress::to_string() const {
  char text[18];
  std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                bytes[3], bytes[4], bytes[5]);
  return text;
}

}  // namespace nettopo
