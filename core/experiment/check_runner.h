#pragma once

// Runs [[checks]] against a running lab: every check on every one of its nodes at once, each
// retried until it passes or its `within` is over, and how long each took to pass.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/experiment/experiment_record.h"
#include "topology/experiment.h"

namespace nettopo {

struct RunningLab;

struct CheckOptions {
  /// Where attempts write their output: a directory the nodes see (under the runtime dir).
  std::filesystem::path scratch;
  std::string context;  ///< CheckRun::context of every run
  /// When the experiment began, for CheckRun::started.
  std::chrono::steady_clock::time_point epoch = std::chrono::steady_clock::now();
  /// Called as each run ends, in the order they end (for a live display). Optional.
  std::function<void(const CheckRun&)> on_done;
  /// Called between rounds of waiting; may throw to stop (an interrupt). Optional.
  std::function<void()> checkpoint;
};

/// How long one attempt of a check without `within` may take before it counts as failed.
constexpr std::chrono::seconds kSingleAttemptLimit{30};
/// The pause between two attempts of a check that has not passed yet.
constexpr std::chrono::milliseconds kRetryInterval{100};

/// The checks that hold once the lab is up (`initially`, the default), in file order: what
/// `nettopo check`, the API's Lab::check() and the start of `nettopo test` run.
std::vector<const topology::Check*> initial_checks(const std::vector<topology::Check>& checks);

/// Runs `checks` on all their nodes concurrently; returns one CheckRun per (check, node) in the
/// order of `checks` and their nodes. An attempt passes when its exit status is 0 and, with
/// `expect`, its output matches. Throws only when a command cannot be started at all.
std::vector<CheckRun> run_checks(const RunningLab& lab,
                                 const std::vector<const topology::Check*>& checks,
                                 const CheckOptions& options);

/// "PASS  h1 reaches web (on h1)  0.42 s" and, for a failure, why and the tail of its output.
std::string describe(const CheckRun& run);

/// The last `lines` lines of `text`.
std::string tail_lines(const std::string& text, size_t lines);

}  // namespace nettopo
