#include "netlink/netlink_error.h"

namespace nettopo::netlink {
namespace {

// SystemError's message, with the namespace after the object and the kernel's words as detail.
std::string describe(const std::string& operation, const std::string& object,
                     const std::string& netns, int error_number, const std::string& kernel_message,
                     const std::string& hint) {
  std::string where = object;
  if (!netns.empty()) where += (where.empty() ? "" : " ") + ("in netns " + netns);
  std::string detail = kernel_message.empty() ? "" : "kernel: \"" + kernel_message + "\"";
  return describe_failure(operation, where, error_number, detail, hint);
}

}  // namespace

NetlinkError::NetlinkError(const std::string& what, int error_number, std::string kernel_message,
                           std::string hint)
    : NetlinkError(what, "", "", error_number, std::move(kernel_message), std::move(hint)) {}

NetlinkError::NetlinkError(const std::string& operation, const std::string& object,
                           std::string netns, int error_number, std::string kernel_message,
                           std::string hint)
    : SystemError(Message{describe(operation, object, netns, error_number, kernel_message, hint)},
                  operation, object, error_number),
      netns_(std::move(netns)),
      kernel_message_(std::move(kernel_message)),
      hint_(std::move(hint)) {}

}  // namespace nettopo::netlink
