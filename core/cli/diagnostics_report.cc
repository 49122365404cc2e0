#include "core/cli/diagnostics_report.h"

#include <iostream>

#include "core/sys/error.h"

namespace nettopo::cli {

topology::Lab load_or_report(const std::string& path, const std::string& name_override) {
  topology::LoadResult result = topology::load_lab_file(path, {name_override});
  for (const auto& diagnostic : result.diagnostics.all())
    std::cerr << diagnostic.to_string() << "\n";
  if (!result.lab) {
    size_t errors = result.diagnostics.error_count();
    throw UsageError(std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in " + path);
  }
  return std::move(*result.lab);
}

}  // namespace nettopo::cli
