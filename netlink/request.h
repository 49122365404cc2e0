#pragma once

#include <linux/netlink.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nettopo {
struct IpAddress;
struct MacAddress;
}  // namespace nettopo

namespace nettopo::netlink {

/// One netlink request message, built in place: header, optional extra header (ifinfomsg,
/// ifaddrmsg, rtmsg, tcmsg), then attributes and nests. Pure encoding, no I/O: the Socket sets the
/// sequence number when it sends it. Grows as needed; throws std::length_error when a nest would
/// exceed the 64 KiB an attribute length can express.
class Request {
 public:
  /// A hint the Socket adds to the error when the kernel answers with `error_number`, for kernel
  /// answers too terse to act on (a missing qdisc module answers only "No such file or directory").
  struct ErrorHint {
    int error_number = 0;
    std::string text;
  };

  /// NLM_F_REQUEST | NLM_F_ACK are always added to `flags`.
  Request(uint16_t type, uint16_t flags);
  /// The same, followed by the family header of the message type (copied, padded to 4 bytes).
  template <class Header>
  Request(uint16_t type, uint16_t flags, const Header& extra_header) : Request(type, flags) {
    put_extra_header(&extra_header, sizeof extra_header);
  }

  /// A NUL-terminated string attribute.
  Request& put(uint16_t attr, std::string_view text);
  Request& put(uint16_t attr, const char* text) { return put(attr, std::string_view(text)); }
  /// An integer attribute exactly as wide as the argument's type, in host byte order:
  /// put(IFLA_MTU, uint32_t{1500}) is a 4-byte attribute, put(IFLA_VXLAN_PORT, be16) a 2-byte one.
  template <std::integral T>
  requires(!std::same_as<T, bool>) Request& put(uint16_t attr, T value) {
    return put_bytes(attr, &value, sizeof value);
  }
  /// 4 bytes for IPv4, 16 for IPv6, network byte order.
  Request& put(uint16_t attr, const IpAddress& address);
  /// The 6 bytes of an Ethernet address.
  Request& put(uint16_t attr, const MacAddress& mac);
  Request& put_u8(uint16_t attr, uint8_t value) { return put(attr, value); }
  Request& put_u16(uint16_t attr, uint16_t value) { return put(attr, value); }
  Request& put_u32(uint16_t attr, uint32_t value) { return put(attr, value); }
  Request& put_u64(uint16_t attr, uint64_t value) { return put(attr, value); }
  Request& put_s32(uint16_t attr, int32_t value) { return put(attr, value); }
  /// A zero-length attribute (a flag).
  Request& put_flag(uint16_t attr) { return put_bytes(attr, nullptr, 0); }
  Request& put_bytes(uint16_t attr, const void* data, size_t size);

  /// A nested attribute: whatever `body` puts (on this request) lands inside it.
  Request& nest(uint16_t attr, const std::function<void()>& body);
  /// A nest whose payload starts with a fixed header before its attributes, as VETH_INFO_PEER
  /// (an ifinfomsg) and netem's TCA_OPTIONS (a tc_netem_qopt) are laid out.
  template <class Header>
  Request& nest(uint16_t attr, const Header& header, const std::function<void()>& body) {
    return nest_with_header(attr, &header, sizeof header, body);
  }

  /// Adds a hint to the error reported when the kernel answers with `error_number`.
  Request& explain(int error_number, std::string hint);
  const std::vector<ErrorHint>& error_hints() const { return error_hints_; }

  const nlmsghdr* header() const { return reinterpret_cast<const nlmsghdr*>(buffer_.data()); }
  /// The message's length: header, extra header and attributes.
  size_t size() const { return header()->nlmsg_len; }
  std::span<const uint8_t> bytes() const { return {buffer_.data(), size()}; }
  uint16_t type() const { return header()->nlmsg_type; }
  uint16_t flags() const { return header()->nlmsg_flags; }
  uint32_t sequence() const { return header()->nlmsg_seq; }
  /// The extra header as given to the constructor (for inspection and tests).
  template <class Header>
  const Header& extra_header() const {
    return *reinterpret_cast<const Header*>(buffer_.data() + NLMSG_HDRLEN);
  }

  /// Adds flags to the header (the Socket adds NLM_F_DUMP for dumps).
  void add_flags(uint16_t flags);
  /// Set by the Socket when it sends the request.
  void set_sequence(uint32_t sequence);

 private:
  nlmsghdr* mutable_header() { return reinterpret_cast<nlmsghdr*>(buffer_.data()); }
  // Makes room for `extra` more bytes after the message's current end.
  void reserve_tail(size_t extra);
  void put_extra_header(const void* data, size_t size);
  Request& nest_with_header(uint16_t attr, const void* header, size_t header_size,
                            const std::function<void()>& body);

  // Sized to the capacity in use; the message occupies the first nlmsg_len bytes. operator new
  // aligns the storage for the nlmsghdr at its front.
  std::vector<uint8_t> buffer_;
  std::vector<ErrorHint> error_hints_;
};

}  // namespace nettopo::netlink
