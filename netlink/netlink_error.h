#pragma once

#include <string>

#include "core/sys/error.h"

namespace nettopo::netlink {

/// The kernel refused a netlink request. Carries the errno the kernel answered with and its
/// extended-ack message (NLMSGERR_ATTR_MSG), when it gave one. what() reads
///   create veth h1:eth0 -> r1:eth0: File exists (kernel: "...")
/// or, when the request carried a hint for this errno,
///   add netem qdisc on ifindex 1: the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM):
///   No such file or directory (kernel: "Specified qdisc kind is unknown")
class NetlinkError : public nettopo::SystemError {
 public:
  NetlinkError(const std::string& what, int error_number, std::string kernel_message,
               std::string hint = {});

  /// The kernel's own words; empty when it sent none.
  const std::string& kernel_message() const { return kernel_message_; }
  /// What nettopo knows about this failure beyond the kernel's answer; usually empty.
  const std::string& hint() const { return hint_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string kernel_message_;
  std::string hint_;
  std::string message_;
};

}  // namespace nettopo::netlink
