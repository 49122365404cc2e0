#pragma once

// The fully resolved model as JSON: what `nettopo validate --json` prints and what the runtime
// stores next to a running lab. The shape is documented in docs/topology.md.

#include <nlohmann/json.hpp>

#include "topology/model.h"

namespace nettopo::topology {

/// Every field of `lab`, addresses and prefixes as text ("10.0.0.1/24"), absent optionals as null,
/// ordered pairs (sysctl, env) as arrays of [key, value].
nlohmann::json to_json(const Lab& lab);

/// The exact inverse of to_json. Throws nettopo::Error on malformed input (missing or mistyped
/// members, unparsable addresses).
Lab lab_from_json(const nlohmann::json& json);

}  // namespace nettopo::topology
