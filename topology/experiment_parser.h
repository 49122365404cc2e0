#pragma once

// Reading [[checks]], [[steps]] and [collect] (topology/experiment.h) out of a lab file, with a
// diagnostic at the offending key or value for every mistake.

#include <toml++/toml.h>

#include "topology/diagnostic.h"
#include "topology/model.h"
#include "topology/toml_reader.h"

namespace nettopo::topology {

/// Reads the experiment keys of `document` into `lab`, whose nodes and bridges are already
/// parsed (checks, steps and collect name them). Reports unknown keys, wrong types, unknown
/// nodes and checks, malformed durations, impairments and regular expressions. Never throws.
void parse_experiment(const toml::table& document, TomlReader& reader, Lab& lab);

/// Once every interface has its name: reports each link step whose "NODE:IF" names no
/// interface of the lab. `file` names the lab file in the diagnostics.
void check_experiment_links(const Lab& lab, const std::string& file, Diagnostics& diagnostics);

}  // namespace nettopo::topology
