#pragma once

// The first phase of loading: TOML document -> Lab as written (no interface names or addresses
// filled in yet) plus where each part was written. Reports unknown keys, wrong types, bad names,
// malformed values and dangling endpoints; links too broken to use are left out of the result.

#include <toml++/toml.h>

#include <string>

#include "topology/lab_source.h"
#include "topology/model.h"
#include "topology/toml_reader.h"

namespace nettopo::topology {

struct ParsedLab {
  Lab lab;
  LabSource source;
};

/// Reads `document` into a Lab. `lab_file` is the (absolute) path of the topology file: `files`
/// sources are resolved against its directory and its stem is the default lab name.
/// `name_override`, when not empty, replaces the lab name. Never throws on bad input.
ParsedLab parse_lab(const toml::table& document, const std::string& lab_file,
                    const std::string& name_override, TomlReader& reader);

}  // namespace nettopo::topology
