#pragma once

// The one rule for the sysctl keys a lab may set, shared by `validate` (topology), the plan
// (core) and the writer (netlink), so that what one accepts the others accept too. Pure string
// logic, header-only: every module links core/sys, so none has to depend on another for it.

#include <optional>
#include <string>
#include <string_view>

namespace nettopo {

/// nullopt when `key` names a sysctl a network namespace owns, else why not, as the end of a
/// sentence that starts with the key ("is not per network namespace: ...").
///
/// Two forms, as sysctl(8) reads them: dots ("net.ipv4.ip_forward") or, when a component holds
/// a dot itself (a VLAN interface), slashes ("net/ipv4/conf/eth0.100/rp_filter"). A key holding
/// a '/' is in the slash form. Only the net tree follows the network namespace (every other one
/// would change the host), so the first component must be "net". No component may be empty,
/// "." or "..", and components hold only letters, digits, '_', '-' and (slash form) '.', so the
/// file stays below /proc/sys/net.
inline std::optional<std::string> sysctl_key_problem(std::string_view key) {
  char separator = key.find('/') != std::string_view::npos ? '/' : '.';
  if (key.substr(0, 4) != std::string("net") + separator)
    return "is not per network namespace: a node can set only net.* keys";
  for (size_t start = 0; start <= key.size();) {
    size_t end = key.find(separator, start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view component = key.substr(start, end - start);
    if (component.empty() || component == "." || component == "..")
      return "has an empty, '.' or '..' component";
    for (char c : component) {
      bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      bool digit = c >= '0' && c <= '9';
      if (!letter && !digit && c != '_' && c != '-' && c != '.') {
        // Printable characters are shown as they are; others by their code, so a control
        // byte never reaches a terminal raw.
        static constexpr char kHex[] = "0123456789abcdef";
        auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f) return std::string("contains '") + c + "'";
        return std::string("contains byte 0x") + kHex[byte >> 4] + kHex[byte & 0xf];
      }
    }
    start = end + 1;
  }
  return std::nullopt;
}

/// The file of a valid `key` relative to /proc/sys: "net.ipv4.ip_forward" ->
/// "net/ipv4/ip_forward"; a slash-form key as it is. Check the key with sysctl_key_problem()
/// first.
inline std::string sysctl_key_path(std::string_view key) {
  std::string path(key);
  if (path.find('/') == std::string::npos)
    for (char& c : path)
      if (c == '.') c = '/';
  return path;
}

}  // namespace nettopo
