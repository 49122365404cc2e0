#pragma once

// What the kernel and nettopo accept as names: labs, nodes and bridges become hostnames and
// /run/netns/LAB-NODE entries; interfaces must pass the kernel's dev_valid_name().

#include <optional>
#include <string>
#include <string_view>

namespace nettopo::topology {

/// Longest lab, node or bridge name.
inline constexpr size_t kMaxNameLength = 32;
/// Longest interface name the kernel accepts (IFNAMSIZ - 1).
inline constexpr size_t kMaxInterfaceNameLength = 15;

/// nullopt when `name` is a valid lab, node or bridge name (a letter, then letters, digits, '-' or
/// '_', at most 32 characters), else why not: "must start with a letter".
std::optional<std::string> check_name(std::string_view name);

/// The name of the bridge device inside bridge `bridge`'s namespace: the bridge's own name when it
/// fits in an interface name, else "br0". No port of that bridge may have this name.
std::string bridge_device_name(std::string_view bridge);

/// nullopt when `name` is a valid lab name (same rule as check_name); used for --name and the
/// file's `name`.
std::optional<std::string> check_lab_name(std::string_view name);

/// nullopt when the kernel accepts `name` as an interface name, else why not: "is longer than 15
/// bytes", "contains '/'", "is reserved". Also refuses '%', which the kernel would expand as a
/// template ("eth%d" -> "eth0"), and byte 0xA0 ("à" in UTF-8), which the kernel counts as
/// whitespace.
std::optional<std::string> check_interface_name(std::string_view name);

}  // namespace nettopo::topology
