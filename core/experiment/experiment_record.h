#pragma once

// What an experiment did, as data: every check run and every step with its times and outcome.
// results.json, the JUnit report and the lines `check` and `test` print are all made from it.

#include <optional>
#include <string>
#include <vector>

namespace nettopo {

/// One check on one node, run once (with its retries until it passed or its `within` was over).
struct CheckRun {
  std::string check;  ///< the check's name
  std::string node;
  std::string context;  ///< empty for the checks after up; "after step 3 (r2:eth1 down)"
  bool passed = false;
  bool skipped = false;    ///< not run: an earlier failure stopped the scenario
  double started = 0;      ///< seconds since the experiment began
  std::string started_at;  ///< ISO 8601, UTC
  double seconds = 0;      ///< time to pass (a measurement), or time until it was given up
  int attempts = 0;
  std::optional<int> exit_status;  ///< of the last attempt; nullopt when it was killed
  std::string failure;             ///< why it failed: "exit status 1", "timed out after 5 s"
  std::string output;              ///< the output of the last attempt (at most 64 KiB, the end)
};

/// One [[steps]] entry as it ran.
struct StepRun {
  size_t number = 0;  ///< 1-based, in file order
  std::string name;
  std::string kind;     ///< "link", "run", "wait", "check"
  std::string outcome;  ///< "passed", "failed", "skipped"
  std::string error;    ///< why it failed
  double started = 0;   ///< seconds since the experiment began
  std::string started_at;
  double seconds = 0;
  std::string node;         ///< run steps: where it ran
  std::string output_file;  ///< run steps: its output, under the lab's runtime directory
  std::optional<int> exit_status;
};

/// One [collect] item.
struct CollectRun {
  std::string node;
  std::string kind;      ///< "file" or "command"
  std::string item;      ///< the path or the command
  std::string saved_as;  ///< path relative to the results directory; empty when it failed
  std::string error;
};

/// Checks that ran before the command writing the results, in another command: what
/// `down --save` records (last_checks.h).
struct EarlierRun {
  std::string command;  ///< its command line: "nettopo check --lab web"
  std::string started_at;
  std::string finished_at;
};

struct ExperimentRecord {
  std::string lab;
  std::string lab_file;
  std::string started_at;
  std::string finished_at;
  double seconds = 0;
  std::vector<CheckRun> checks;
  std::vector<StepRun> steps;
  std::vector<CollectRun> collected;
  std::string error;  ///< an operation that failed outside any check or step (up, collect)
  /// Set when `checks` and `steps` are not this command's own but an earlier one's.
  std::optional<EarlierRun> checks_from;

  /// Every check run passed, no step failed, nothing else went wrong.
  bool passed() const;
};

/// Now as ISO 8601 UTC with milliseconds: "2026-11-30T00:59:01.123Z".
std::string iso_time_now();

}  // namespace nettopo
