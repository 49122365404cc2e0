#pragma once

// The experiment part of the lab JSON (topology/lab_json.h): "checks", "steps" and "collect".

#include <nlohmann/json.hpp>

#include "topology/model.h"

namespace nettopo::topology {

/// {"checks": [...], "steps": [...], "collect": {...}} for `lab`, merged into to_json(lab).
nlohmann::json experiment_to_json(const Lab& lab);

/// Reads those members back into `lab`; each may be absent (a lab.json written before them).
/// Throws nlohmann::json::exception on mistyped members (lab_from_json reports it).
void experiment_from_json(const nlohmann::json& json, Lab& lab);

}  // namespace nettopo::topology
