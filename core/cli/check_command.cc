// check: run a running lab's [[checks]] and report each.

#include "core/cli/check_command.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/cli/command.h"
#include "core/cli/diagnostics_report.h"
#include "core/experiment/check_runner.h"
#include "core/experiment/junit_report.h"
#include "core/experiment/last_checks.h"
#include "core/experiment/results_dir.h"
#include "core/running_lab.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"

namespace nettopo::cli {
namespace {

struct CheckCommandOptions {
  std::string file;
  std::optional<std::string> lab;
  std::string junit;
  bool json = false;
};
CheckCommandOptions options;

nlohmann::json run_json(const CheckRun& run) {
  return {{"check", run.check},
          {"node", run.node},
          {"passed", run.passed},
          {"seconds", run.seconds},
          {"attempts", run.attempts},
          {"started_at", run.started_at},
          {"exit_status", run.exit_status ? nlohmann::json(*run.exit_status) : nullptr},
          {"failure", run.failure},
          {"output", run.output}};
}

int check(const GlobalOptions& global) {
  require_root("nettopo check", "checks run inside the lab's nodes");
  RunningLab lab = load_running_lab(lab_meant(options.file, options.lab));
  if (lab.model.checks.empty())
    throw UsageError("lab " + lab.dir.lab() + " has no [[checks]] (docs/topology.md)");
  ExperimentRecord record;
  record.lab = lab.dir.lab();
  record.lab_file = lab.model.source_file;
  record.started_at = iso_time_now();
  auto started = std::chrono::steady_clock::now();
  record.checks = run_all_checks(lab, global.quiet || options.json);
  record.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  record.finished_at = iso_time_now();
  if (!options.junit.empty())
    write_junit(record, run_properties(record.lab_file, own_command_line()), options.junit);
  size_t passed = 0;
  for (const auto& run : record.checks) passed += run.passed ? 1 : 0;
  if (options.json) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : record.checks) runs.push_back(run_json(run));
    std::cout << nlohmann::json{{"schema_version", 1},
                                {"lab", record.lab},
                                {"passed", passed == record.checks.size()},
                                {"checks", runs}}
                     .dump(2)
              << "\n";
  } else if (!global.quiet) {
    std::cout << "lab " << record.lab << ": " << passed << " of " << record.checks.size()
              << " checks passed\n";
  }
  return passed == record.checks.size() ? 0 : 1;
}

}  // namespace

std::string lab_meant(const std::string& file, const std::optional<std::string>& lab) {
  if (!file.empty() && lab) throw UsageError("give a lab file or --lab, not both");
  if (lab) return *lab;
  if (file.empty()) {
    auto labs = list_labs();
    if (labs.size() == 1) return labs.front();
    throw UsageError(
        "which lab? give its file or --lab NAME (running labs: " + describe_running_labs() + ")");
  }
  auto started = labs_started_from(file);
  if (started.size() == 1) return started.front();
  if (started.size() > 1)
    throw UsageError("several labs were built from " + file + ": choose one with --lab");
  return load_or_report(file).name;
}

std::vector<CheckRun> run_all_checks(const RunningLab& lab, bool quiet) {
  std::vector<const topology::Check*> checks = initial_checks(lab.model.checks);
  InterruptGuard interrupts;
  CheckOptions check_options;
  check_options.scratch = experiment_scratch(lab);
  check_options.checkpoint = [&] { interrupts.check("lab " + lab.dir.lab() + ": checks"); };
  if (!quiet)
    check_options.on_done = [](const CheckRun& run) {
      std::cout << describe(run) << "\n" << std::flush;
    };
  ExperimentRecord record;
  record.started_at = iso_time_now();
  auto started = std::chrono::steady_clock::now();
  record.checks = run_checks(lab, checks, check_options);
  record.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  record.finished_at = iso_time_now();
  keep_last_checks(lab, record);
  return std::move(record.checks);
}

void keep_last_checks(const RunningLab& lab, const ExperimentRecord& record) {
  try {
    store_last_checks(lab, record, own_command_line());
  } catch (const Error& error) {
    // The checks ran and are reported; only a later `down --save` misses them.
    spdlog::warn("lab {}: the check results are not kept for down --save: {}", lab.dir.lab(),
                 error.what());
  }
}

std::string own_command_line() {
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  std::string text, word;
  while (std::getline(file, word, '\0')) text += (text.empty() ? "" : " ") + word;
  return text;
}

void save_lab_results(const std::string& name, const std::string& dir) {
  RunningLab lab = load_running_lab(name);
  ExperimentRecord record;
  record.lab = name;
  record.lab_file = lab.model.source_file;
  record.started_at = iso_time_now();
  // down runs no checks: the results are those `check`, `up --wait` or `test --keep` ran last,
  // with which command and when (results.json: checks_from).
  if (auto last = load_last_checks(lab)) {
    record.checks = std::move(last->checks);
    record.steps = std::move(last->steps);
    record.error = std::move(last->error);
    record.checks_from = std::move(last->checks_from);
  }
  save_results(lab, record, run_properties(record.lab_file, own_command_line()), dir);
}

std::vector<Command> check_commands() {
  return {
      {"check", "Run a running lab's checks and say which pass",
       [](CLI::App& app) {
         app.add_option("file", options.file, "the lab file it was started from");
         app.add_option("--lab,-l", options.lab, "the lab's name instead of its file");
         app.add_option("--junit", options.junit, "also write a JUnit XML report to this file");
         add_format_option(app, options.json);
         app.footer(
             "Runs every [[checks]] entry of the lab on each of its nodes at once, each retried\n"
             "until it passes or its `within` is over, and prints one line per check run: PASS\n"
             "or FAIL, how long it took to pass (a measurement: convergence time), and for a\n"
             "failure why and the end of its output.\n"
             "Exit status: 0 every check passed, 1 one failed, 2 bad usage.\n"
             "Example: sudo nettopo check examples/web.toml --junit report.xml");
       },
       check},
  };
}

}  // namespace nettopo::cli
