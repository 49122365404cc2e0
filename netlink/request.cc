#include "netlink/request.h"

#include <libmnl/libmnl.h>

#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/sys/ip_address.h"

namespace nettopo::netlink {
namespace {

constexpr size_t kInitialCapacity = 256;

}  // namespace

Request::Request(uint16_t type, uint16_t flags) : buffer_(kInitialCapacity) {
  nlmsghdr* header = mnl_nlmsg_put_header(buffer_.data());
  header->nlmsg_type = type;
  header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
}

void Request::reserve_tail(size_t extra) {
  size_t needed = size() + extra;
  if (needed <= buffer_.size()) return;
  size_t capacity = buffer_.size();
  while (capacity < needed) capacity *= 2;
  buffer_.resize(capacity);
}

void Request::put_extra_header(const void* data, size_t size) {
  reserve_tail(MNL_ALIGN(size));
  // mnl_nlmsg_put_extra_header zeroes the padded space before we copy into it.
  void* extra = mnl_nlmsg_put_extra_header(mutable_header(), size);
  std::memcpy(extra, data, size);
}

Request& Request::put(uint16_t attr, std::string_view text) {
  // The payload is the text and its terminating NUL, which a string_view does not carry.
  // Interface names and kinds fit the small-string buffer: no allocation.
  std::string terminated(text);
  return put_bytes(attr, terminated.c_str(), terminated.size() + 1);
}

Request& Request::put(uint16_t attr, const IpAddress& address) {
  return put_bytes(attr, address.bytes.data(), address.size());
}

Request& Request::put(uint16_t attr, const MacAddress& mac) {
  return put_bytes(attr, mac.bytes.data(), mac.bytes.size());
}

Request& Request::put_bytes(uint16_t attr, const void* data, size_t size) {
  if (size > std::numeric_limits<uint16_t>::max() - MNL_ATTR_HDRLEN) {
    throw std::length_error("netlink attribute too long");
  }
  reserve_tail(MNL_ATTR_HDRLEN + MNL_ALIGN(size));
  if (!mnl_attr_put_check(mutable_header(), buffer_.size(), attr, size, data)) {
    throw std::length_error("netlink request full");
  }
  return *this;
}

Request& Request::nest(uint16_t attr, const std::function<void()>& body) {
  return nest_with_header(attr, nullptr, 0, body);
}

Request& Request::nest_with_header(uint16_t attr, const void* header, size_t header_size,
                                   const std::function<void()>& body) {
  reserve_tail(MNL_ATTR_HDRLEN + MNL_ALIGN(header_size));
  nlattr* start = mnl_attr_nest_start_check(mutable_header(), buffer_.size(), attr);
  if (start == nullptr) throw std::length_error("netlink request full");
  // The body may grow (and move) the buffer: remember the nest by offset, not by pointer.
  size_t offset = reinterpret_cast<uint8_t*>(start) - buffer_.data();
  if (header_size > 0) put_extra_header(header, header_size);
  body();
  size_t length = size() - offset;
  if (length > std::numeric_limits<uint16_t>::max()) {
    throw std::length_error("netlink nest too long");
  }
  mnl_attr_nest_end(mutable_header(), reinterpret_cast<nlattr*>(buffer_.data() + offset));
  return *this;
}

Request& Request::explain(int error_number, std::string hint) {
  error_hints_.push_back({error_number, std::move(hint)});
  return *this;
}

void Request::add_flags(uint16_t flags) { mutable_header()->nlmsg_flags |= flags; }

void Request::set_sequence(uint32_t sequence) { mutable_header()->nlmsg_seq = sequence; }

}  // namespace nettopo::netlink
