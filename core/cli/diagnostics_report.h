#pragma once

#include <string>

#include "topology/loader.h"

namespace nettopo::cli {

/// Loads a lab file and prints its diagnostics (errors and warnings) to stderr. Returns the lab,
/// or, when the file has errors, throws UsageError (exit 2) after printing them all.
topology::Lab load_or_report(const std::string& path, const std::string& name_override = {});

}  // namespace nettopo::cli
