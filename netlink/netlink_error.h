#pragma once

#include <string>

#include "core/sys/error.h"

namespace nettopo::netlink {

/// The kernel refused a netlink request. Carries what was attempted (operation()), on what
/// (object(): a link, an address, a route), in which namespace (netns(), the name the Socket was
/// given; empty when it has none), the errno the kernel answered with and its extended-ack
/// message (NLMSGERR_ATTR_MSG), when it gave one. what() is one sentence:
///   create veth h1:eth0 -> r1:eth0 in netns lab-h1: File exists (kernel: "...")
/// or, when the request carried a hint for this errno,
///   add netem qdisc ifindex 2: the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM):
///   No such file or directory (kernel: "Specified qdisc kind is unknown")
class NetlinkError : public nettopo::SystemError {
 public:
  /// `what` is the whole description ("node h1: add route 10.0.0.0/8"); object() is empty.
  NetlinkError(const std::string& what, int error_number, std::string kernel_message,
               std::string hint = {});
  /// The description in parts; `object` and `netns` may be empty.
  NetlinkError(const std::string& operation, const std::string& object, std::string netns,
               int error_number, std::string kernel_message, std::string hint = {});

  /// The namespace the refusing socket acts in, as named by Socket::set_netns_name.
  const std::string& netns() const { return netns_; }
  /// The kernel's own words; empty when it sent none.
  const std::string& kernel_message() const { return kernel_message_; }
  /// What nettopo knows about this failure beyond the kernel's answer; usually empty.
  const std::string& hint() const { return hint_; }

 private:
  std::string netns_;
  std::string kernel_message_;
  std::string hint_;
};

}  // namespace nettopo::netlink
