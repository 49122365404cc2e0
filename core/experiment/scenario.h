#pragma once

// Runs an experiment on a lab that is up: the checks until they pass, then the [[steps]] in
// order, each timestamped. What `nettopo test` does between up and down.

#include <chrono>
#include <functional>
#include <string>

#include "core/experiment/experiment_record.h"

namespace nettopo {

struct RunningLab;

struct ScenarioOptions {
  std::chrono::steady_clock::time_point epoch = std::chrono::steady_clock::now();
  /// Called with each line worth showing as it happens (a check's result, a step starting).
  std::function<void(const std::string&)> on_line;
  /// Called between waits; may throw to stop (an interrupt).
  std::function<void()> checkpoint;
};

/// Runs every check of the lab (each within its `within`); when all pass, the steps in order.
/// A failed check step is recorded and the scenario goes on; a step that fails (a link change
/// the kernel refuses, a command that exits non-zero) stops it, and the steps after it are
/// recorded as skipped. Fills `record.checks` and `record.steps`.
void run_scenario(const RunningLab& lab, ExperimentRecord& record, const ScenarioOptions& options);

}  // namespace nettopo
