#pragma once

// The live state of interfaces and links as JSON, shared by `status` and `link show`.

#include <nlohmann/json.hpp>
#include <string>

#include "core/link_state.h"

namespace nettopo::cli {

/// A tc handle as tc(8) prints it: "1:", "ffff:", "root", "clsact".
std::string tc_handle(uint32_t handle);

/// One interface: state, addresses, counters and, with `with_tc`, qdiscs and filters.
nlohmann::json interface_json(const InterfaceState& interface, bool with_tc);

/// Impairments as a lab file writes them: {"rate": "10mbit", "loss": "20%", "blackhole": true};
/// keys only for what is set.
nlohmann::json impairments_json(const EndImpairments& impairments);

/// One line of text for an interface: "eth0 UP 10.0.0.1/24 fd00::1/64".
std::string interface_line(const InterfaceState& interface);

}  // namespace nettopo::cli
