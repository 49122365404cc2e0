#pragma once

// The checks a running lab last ran, kept in its runtime directory: `check`, `up --wait` and
// `test` store them, and `down --save` (which runs no checks) puts them in results.json with
// when they ran and by which command. They go with the lab at `down`.

#include <optional>
#include <string>

#include "core/experiment/experiment_record.h"

namespace nettopo {

struct RunningLab;

/// Replaces the stored checks of `lab` with those of `record` (its checks, steps, times), run
/// by `command_line`. Throws SystemError when the file cannot be written.
void store_last_checks(const RunningLab& lab, const ExperimentRecord& record,
                       const std::string& command_line);

/// What store_last_checks stored for `lab`, as a record whose `checks_from` says by which
/// command and when; nullopt when nothing ran checks on this lab (or the file is unreadable).
std::optional<ExperimentRecord> load_last_checks(const RunningLab& lab);

}  // namespace nettopo
