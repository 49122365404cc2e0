#pragma once

// What `check`, `test`, `up --wait` and `down --save` share.

#include <optional>
#include <string>
#include <vector>

#include "core/experiment/experiment_record.h"

namespace nettopo {
struct RunningLab;
}

namespace nettopo::cli {

/// Runs every check of `lab` at once, printing one line per check run as it ends (unless
/// `quiet`). Returns the runs in the order of the lab file, and keeps them for `down --save`.
std::vector<CheckRun> run_all_checks(const RunningLab& lab, bool quiet);

/// Keeps `record`'s checks and steps for a later `down --save` (last_checks.h); a failure to
/// write them is logged, not thrown.
void keep_last_checks(const RunningLab& lab, const ExperimentRecord& record);

/// nettopo's own command line, for the results: the words of /proc/self/cmdline.
std::string own_command_line();

/// Runs [collect] of running lab `name` and writes its results directory (down --save).
void save_lab_results(const std::string& name, const std::string& dir);

/// The running lab a command means: `lab` when given, else the one up built from `file`.
/// Throws UsageError when neither or both are given, or when no lab from `file` is up.
std::string lab_meant(const std::string& file, const std::optional<std::string>& lab);

}  // namespace nettopo::cli
