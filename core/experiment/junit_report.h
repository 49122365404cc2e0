#pragma once

// The JUnit XML report of an experiment, for CI systems: one testsuite per lab file, one
// testcase per check run (a check run again after a step is a testcase of its own), a failed
// step as a testcase with an error.

#include <filesystem>
#include <map>
#include <string>

#include "core/experiment/experiment_record.h"

namespace nettopo {

/// The report as XML text. `properties` (nettopo version, kernel, lab file hash) go into the
/// testsuite's <properties>.
std::string junit_xml(const ExperimentRecord& record,
                      const std::map<std::string, std::string>& properties);

/// Writes junit_xml() to `path` (replacing it). Throws SystemError.
void write_junit(const ExperimentRecord& record,
                 const std::map<std::string, std::string>& properties,
                 const std::filesystem::path& path);

}  // namespace nettopo
