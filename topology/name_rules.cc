#include "topology/name_rules.h"

namespace nettopo::topology {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::string> check_name(std::string_view name) {
  if (name.empty()) return "is empty";
  if (!is_letter(name[0])) return "must start with a letter";
  for (char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != '-' && c != '_') {
      return "may contain only letters, digits, '-' and '_'";
    }
  }
  if (name.size() > kMaxNameLength) {
    return "is longer than " + std::to_string(kMaxNameLength) + " characters";
  }
  return std::nullopt;
}

std::string bridge_device_name(std::string_view bridge) {
  return bridge.size() <= kMaxInterfaceNameLength ? std::string(bridge) : "br0";
}

std::optional<std::string> check_lab_name(std::string_view name) { return check_name(name); }

std::optional<std::string> check_interface_name(std::string_view name) {
  // The kernel's dev_valid_name(): not empty, below IFNAMSIZ, not "." or "..", no '/', ':' or
  // whitespace. "lo" is every namespace's own loopback device.
  if (name.empty()) return "is empty";
  if (name.size() > kMaxInterfaceNameLength) {
    return "is longer than " + std::to_string(kMaxInterfaceNameLength) + " bytes";
  }
  if (name == "." || name == "..") return "is not allowed by the kernel";
  if (name == "lo") return "is reserved for the loopback device";
  for (char c : name) {
    if (c == '/') return "contains '/'";
    if (c == ':') return "contains ':'";
    // The kernel's isspace() (lib/ctype.c) also counts byte 0xA0, Latin-1's no-break space,
    // which is the second byte of UTF-8 characters such as 'à'.
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      return "contains whitespace";
    }
    if (static_cast<unsigned char>(c) == 0xA0) {
      return "contains byte 0xA0, which the kernel counts as whitespace";
    }
    // dev_get_valid_name() takes a name with '%' as a template ("eth%d") and picks the first
    // free number, so the device would not get the name that was written.
    if (c == '%') return "contains '%', which the kernel takes as a template";
  }
  return std::nullopt;
}

}  // namespace nettopo::topology
