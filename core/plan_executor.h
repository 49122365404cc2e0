#pragma once

#include <functional>
#include <string>

#include "core/kernel.h"
#include "core/lab_plan.h"

namespace nettopo {

/// What the caller of execute_plan() hears of the phases (step::Phase). All optional.
struct PhaseHooks {
  /// Called before each phase begins and once after the last: throws (Interrupted) to stop
  /// between phases, where the rollback that follows removes whatever was made.
  std::function<void()> check;
  /// Called with what a phase is doing ("creating 1000 namespaces") as it begins.
  std::function<void(const std::string&)> on_phase;
  /// Called as a phase ends, with what it did ("1000 namespaces ready") and how long it took.
  std::function<void(const std::string& done, double seconds)> on_phase_done;
};

/// Applies every step of `plan`, in order, through `kernel`.
/// What one step throws ends the walk and reaches the caller; what was made stays for the
/// caller's teardown.
void execute_plan(const LabPlan& plan, Kernel& kernel, const PhaseHooks& hooks = {});

}  // namespace nettopo
