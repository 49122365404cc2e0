#pragma once

// Loading a lab: read, parse, validate and resolve a topology file into the model the runtime
// consumes.

#include <optional>
#include <string>
#include <string_view>

#include "topology/diagnostic.h"
#include "topology/model.h"
#include "topology/name_rules.h"  // check_lab_name()

namespace nettopo::topology {

struct LoadOptions {
  std::string name_override;  ///< lab name from the command line (--name); empty = none
};

struct LoadResult {
  std::optional<Lab> lab;  ///< set only when there are no errors
  Diagnostics diagnostics;
};

/// Reads, parses, validates and resolves a lab file: interface names, automatic addresses,
/// automatic routes. Reports every mistake found as a diagnostic; never throws for bad input
/// (an unreadable file is a diagnostic too).
LoadResult load_lab_file(const std::string& path, const LoadOptions& options = {});

/// As load_lab_file, for text already in memory. `path_for_messages` names it in diagnostics, its
/// directory anchors relative `files` sources, and its stem is the default lab name.
LoadResult load_lab_string(std::string_view toml_text, const std::string& path_for_messages,
                           const LoadOptions& options = {});

}  // namespace nettopo::topology
