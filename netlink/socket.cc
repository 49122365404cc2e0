#include "netlink/socket.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/sys/error.h"
#include "core/sys/scoped_netns.h"

namespace nettopo::netlink {
namespace {

// Big enough for the largest dump skb the kernel builds (32 KiB pages) with room to spare.
constexpr size_t kReceiveBufferBytes = size_t{128} * 1024;
// Acknowledgements and dumps for many namespaces' worth of requests; SO_RCVBUFFORCE needs
// CAP_NET_ADMIN, otherwise the kernel caps SO_RCVBUF at net.core.rmem_max.
constexpr int kSocketReceiveBytes = 4 * 1024 * 1024;

void set_option(int fd, int level, int option, int value, const char* name) {
  if (::setsockopt(fd, level, option, &value, sizeof value) != 0) {
    throw SystemError("set netlink socket option", name);
  }
}

const char* type_name(uint16_t type) {
  switch (type) {
    case RTM_NEWLINK:
      return "RTM_NEWLINK";
    case RTM_DELLINK:
      return "RTM_DELLINK";
    case RTM_GETLINK:
      return "RTM_GETLINK";
    case RTM_NEWADDR:
      return "RTM_NEWADDR";
    case RTM_DELADDR:
      return "RTM_DELADDR";
    case RTM_GETADDR:
      return "RTM_GETADDR";
    case RTM_NEWROUTE:
      return "RTM_NEWROUTE";
    case RTM_DELROUTE:
      return "RTM_DELROUTE";
    case RTM_GETROUTE:
      return "RTM_GETROUTE";
    case RTM_NEWQDISC:
      return "RTM_NEWQDISC";
    case RTM_DELQDISC:
      return "RTM_DELQDISC";
    case RTM_GETQDISC:
      return "RTM_GETQDISC";
    default:
      return "RTM_?";
  }
}

// Flags by name; NLM_F_DUMP shares its bits with NLM_F_EXCL and NLM_F_REPLACE, so the message type
// decides which names apply (rtnetlink's GET types are the ones equal to 2 modulo 4).
std::string flag_names(uint16_t type, uint16_t flags) {
  std::string names;
  auto add = [&](uint16_t bit, const char* name) {
    if ((flags & bit) != bit) return;
    flags &= ~bit;
    if (!names.empty()) names += '|';
    names += name;
  };
  add(NLM_F_REQUEST, "REQUEST");
  add(NLM_F_ACK, "ACK");
  if (type >= RTM_BASE && type % 4 == 2) {
    add(NLM_F_DUMP, "DUMP");
  } else {
    add(NLM_F_CREATE, "CREATE");
    add(NLM_F_EXCL, "EXCL");
    add(NLM_F_REPLACE, "REPLACE");
    add(NLM_F_APPEND, "APPEND");
  }
  if (flags != 0) names += fmt::format("|{:#x}", flags);
  return names;
}

// The extended-ack text after an nlmsgerr (or after NLMSG_DONE's error code): a list of
// NLMSGERR_ATTR_* attributes, present only when the kernel set NLM_F_ACK_TLVS.
std::string extack_message(const nlmsghdr* message, size_t offset) {
  std::string text;
  if ((message->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return text;
  mnl_attr_parse(
      message, offset,
      [](const nlattr* attribute, void* data) {
        if (mnl_attr_get_type(attribute) == NLMSGERR_ATTR_MSG &&
            mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) >= 0) {
          *static_cast<std::string*>(data) = mnl_attr_get_str(attribute);
        }
        return MNL_CB_OK;
      },
      &text);
  return text;
}

}  // namespace

Socket::Socket(UniqueFd fd) : fd_(std::move(fd)) {}

Socket Socket::open() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) throw SystemError("open netlink socket", "NETLINK_ROUTE");
  int size = kSocketReceiveBytes;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    set_option(fd.get(), SOL_SOCKET, SO_RCVBUF, size, "SO_RCVBUF");
  }
  // Extended acks carry the kernel's error text; capped acks leave out the echoed request.
  set_option(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
  set_option(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
  // Strict checking makes the kernel honour the filters in dump headers (family, ifindex) and
  // reject malformed ones instead of ignoring them.
  set_option(fd.get(), SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw SystemError("bind netlink socket", "NETLINK_ROUTE");
  }
  return Socket(std::move(fd));
}

Socket Socket::open_in(const UniqueFd& netns) {
  ScopedNetns inside(netns);
  return open();
}

Socket Socket::open_in(const UniqueFd& netns, std::string netns_name) {
  Socket socket = open_in(netns);
  socket.set_netns_name(std::move(netns_name));
  return socket;
}

uint32_t Socket::enqueue(Request& request, Outstanding entry) {
  if (!send_buffer_.empty() && send_buffer_.size() + request.size() > kSendBatchBytes) flush();
  uint32_t sequence = next_sequence_++;
  if (next_sequence_ == 0) next_sequence_ = 1;
  request.set_sequence(sequence);
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("netlink: {}{}{}{}{} [{} {} seq {}]", entry.operation,
                  entry.object.empty() ? "" : " ", entry.object,
                  netns_name_.empty() ? "" : " in netns ", netns_name_, type_name(request.type()),
                  flag_names(request.type(), request.flags()), sequence);
  }
  auto bytes = request.bytes();
  send_buffer_.insert(send_buffer_.end(), bytes.begin(), bytes.end());
  // Messages in one datagram start on 4-byte boundaries.
  send_buffer_.resize(MNL_ALIGN(send_buffer_.size()));
  entry.hints = request.error_hints();
  outstanding_.emplace_hint(outstanding_.end(), sequence, std::move(entry));
  return sequence;
}

void Socket::flush() {
  if (send_buffer_.empty()) return;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(fd_.get(), send_buffer_.data(), send_buffer_.size(), 0,
                    reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    SystemError error("send netlink requests", netns_name_);
    abandon_outstanding();
    throw error;
  }
  send_buffer_.clear();
}

void Socket::receive() {
  // new[] without (): default-initialised, so the buffer is not zeroed.
  if (!receive_buffer_) receive_buffer_.reset(new uint8_t[kReceiveBufferBytes]);
  sockaddr_nl sender{};
  iovec vector{receive_buffer_.get(), kReceiveBufferBytes};
  msghdr header{};
  header.msg_name = &sender;
  header.msg_namelen = sizeof sender;
  header.msg_iov = &vector;
  header.msg_iovlen = 1;
  ssize_t received;
  do {
    received = ::recvmsg(fd_.get(), &header, 0);
  } while (received < 0 && errno == EINTR);
  if (received < 0) {
    // ENOBUFS: the kernel dropped answers because the receive buffer overflowed; the window is
    // meant to prevent it, and the lost acknowledgements cannot be recovered.
    SystemError error("receive netlink answers", netns_name_);
    abandon_outstanding();
    if (error.error_number() == ENOBUFS) discard_received();
    throw error;
  }
  if (header.msg_flags & MSG_TRUNC) {
    abandon_outstanding();
    throw SystemError("receive netlink answers", netns_name_, EMSGSIZE,
                      "message larger than buffer");
  }
  if (sender.nl_pid != 0) return;  // only the kernel answers requests
  int remaining = static_cast<int>(received);
  for (auto* message = reinterpret_cast<const nlmsghdr*>(receive_buffer_.get());
       mnl_nlmsg_ok(message, remaining); message = mnl_nlmsg_next(message, &remaining)) {
    handle(message);
  }
}

void Socket::handle(const nlmsghdr* message) {
  auto entry = outstanding_.find(message->nlmsg_seq);
  if (entry == outstanding_.end()) return;  // not ours (or a late answer to a finished dump)
  size_t payload = mnl_nlmsg_get_payload_len(message);
  switch (message->nlmsg_type) {
    case NLMSG_NOOP:
      return;
    case NLMSG_OVERRUN:
      finish(entry, EOVERFLOW, {});
      return;
    case NLMSG_ERROR: {
      if (payload < sizeof(nlmsgerr)) {
        finish(entry, EBADMSG, "truncated acknowledgement");
        return;
      }
      const auto* error = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(message));
      // Without NLM_F_CAPPED the kernel echoes the whole request before the TLVs.
      size_t offset = sizeof(nlmsgerr);
      if ((message->nlmsg_flags & NLM_F_CAPPED) == 0) {
        offset += error->msg.nlmsg_len - sizeof(nlmsghdr);
      }
      finish(entry, -error->error, extack_message(message, offset));
      return;
    }
    case NLMSG_DONE: {
      if (!entry->second.is_dump) return;
      int error_number = 0;
      if (payload >= sizeof(int)) {
        error_number = -*static_cast<const int*>(mnl_nlmsg_get_payload(message));
      }
      finish(entry, error_number, extack_message(message, sizeof(int)));
      return;
    }
    default: {
      Outstanding& outstanding = entry->second;
      if (outstanding.on_message == nullptr || outstanding.handler_error) return;
      try {
        (*outstanding.on_message)(message);
      } catch (...) {
        // Keep reading so the socket stays in step; the waiter rethrows this.
        outstanding.handler_error = std::current_exception();
      }
      return;
    }
  }
}

void Socket::finish(std::map<uint32_t, Outstanding>::iterator entry, int error_number,
                    std::string kernel_message) {
  Outstanding& outstanding = entry->second;
  std::optional<NetlinkError> error;
  if (error_number != 0) {
    std::string hint;
    for (const auto& candidate : outstanding.hints) {
      if (candidate.error_number == error_number) hint = candidate.text;
    }
    error.emplace(outstanding.operation, outstanding.object, netns_name_, error_number,
                  std::move(kernel_message), std::move(hint));
  } else if (!kernel_message.empty()) {
    // The kernel accepted the request but had something to say (deprecations, clamped values).
    spdlog::info("netlink: {}{}{}: kernel says: {}", outstanding.operation,
                 outstanding.object.empty() ? "" : " ", outstanding.object, kernel_message);
  }
  if (outstanding.waited_on) {
    outstanding.done = true;
    outstanding.error = std::move(error);
    return;
  }
  if (error) {
    if (!first_failure_) {
      first_failure_ = std::move(error);
    } else {
      // Only the first failure is thrown; the rest would otherwise vanish without a trace.
      spdlog::debug("netlink: also failed: {}", error->what());
    }
  }
  outstanding_.erase(entry);
  --submitted_;
}

void Socket::abandon_outstanding() {
  send_buffer_.clear();
  outstanding_.clear();
  submitted_ = 0;
}

void Socket::discard_received() {
  // The kernel reports an overrun once and then drops answers silently until the queue is empty
  // (netlink_overrun sets NETLINK_S_CONGESTED; netlink_rcv_wake clears it): empty it now, or the
  // next request's acknowledgement could be dropped without a word and its waiter hang.
  for (;;) {
    ssize_t got = ::recv(fd_.get(), receive_buffer_.get(), kReceiveBufferBytes, MSG_DONTWAIT);
    if (got < 0 && errno != EINTR && errno != ENOBUFS) return;  // EAGAIN: empty
  }
}

void Socket::transact(Request& request, Outstanding entry) {
  entry.waited_on = true;
  uint32_t sequence = enqueue(request, std::move(entry));
  flush();
  // Map iterators stay valid while other entries come and go; a failed receive() throws.
  auto position = outstanding_.find(sequence);
  while (!position->second.done) receive();
  Outstanding finished = std::move(outstanding_.extract(position).mapped());
  if (finished.error) throw std::move(*finished.error);
  if (finished.handler_error) std::rethrow_exception(finished.handler_error);
}

void Socket::execute(Request& request, std::string what) {
  execute(request, std::move(what), std::string());
}

void Socket::execute(Request& request, std::string operation, std::string object) {
  Outstanding entry;
  entry.operation = std::move(operation);
  entry.object = std::move(object);
  transact(request, std::move(entry));
}

void Socket::submit(Request request, std::string what) {
  submit(std::move(request), std::move(what), std::string());
}

void Socket::submit(Request request, std::string operation, std::string object) {
  while (outstanding_.size() >= kWindow) {
    flush();
    receive();
  }
  Outstanding entry;
  entry.operation = std::move(operation);
  entry.object = std::move(object);
  enqueue(request, std::move(entry));
  ++submitted_;
}

void Socket::wait_all() {
  flush();
  while (submitted_ > 0) receive();
  if (first_failure_) {
    NetlinkError failure = std::move(*first_failure_);
    first_failure_.reset();
    throw failure;
  }
}

void Socket::dump(Request& request, const MessageHandler& on_message, std::string what) {
  dump(request, on_message, std::move(what), std::string());
}

void Socket::dump(Request& request, const MessageHandler& on_message, std::string operation,
                  std::string object) {
  request.add_flags(NLM_F_DUMP);
  Outstanding entry;
  entry.operation = std::move(operation);
  entry.object = std::move(object);
  entry.on_message = &on_message;
  entry.is_dump = true;
  transact(request, std::move(entry));
}

void Socket::query(Request& request, const MessageHandler& on_reply, std::string what) {
  query(request, on_reply, std::move(what), std::string());
}

void Socket::query(Request& request, const MessageHandler& on_reply, std::string operation,
                   std::string object) {
  Outstanding entry;
  entry.operation = std::move(operation);
  entry.object = std::move(object);
  entry.on_message = &on_reply;
  transact(request, std::move(entry));
}

}  // namespace nettopo::netlink
