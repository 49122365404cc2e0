#include "netlink/netlink_error.h"

#include <cstring>

namespace nettopo::netlink {
namespace {

std::string kernel_detail(const std::string& kernel_message) {
  return kernel_message.empty() ? std::string() : "kernel: \"" + kernel_message + "\"";
}

std::string describe(const std::string& operation, const std::string& object,
                     const std::string& netns, int error_number, const std::string& kernel_message,
                     const std::string& hint) {
  std::string text = operation;
  if (!object.empty()) text += " " + object;
  if (!netns.empty()) text += " in netns " + netns;
  text += ": ";
  if (!hint.empty()) text += hint + ": ";
  text += std::strerror(error_number);
  if (!kernel_message.empty()) text += " (" + kernel_detail(kernel_message) + ")";
  return text;
}

}  // namespace

NetlinkError::NetlinkError(const std::string& what, int error_number, std::string kernel_message,
                           std::string hint)
    : NetlinkError(what, "", "", error_number, std::move(kernel_message), std::move(hint)) {}

NetlinkError::NetlinkError(const std::string& operation, const std::string& object,
                           std::string netns, int error_number, std::string kernel_message,
                           std::string hint)
    : SystemError(operation, object, error_number, kernel_detail(kernel_message)),
      netns_(std::move(netns)),
      kernel_message_(std::move(kernel_message)),
      hint_(std::move(hint)),
      message_(describe(operation, this->object(), netns_, error_number, kernel_message_, hint_)) {}

}  // namespace nettopo::netlink
