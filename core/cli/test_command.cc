// test: an experiment from a lab file to a verdict: up, checks, steps, collect, down.

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/cli/check_command.h"
#include "core/cli/command.h"
#include "core/cli/diagnostics_report.h"
#include "core/experiment/junit_report.h"
#include "core/experiment/results_dir.h"
#include "core/experiment/scenario.h"
#include "core/init_spawner.h"
#include "core/lab_teardown.h"
#include "core/lab_up.h"
#include "core/running_lab.h"
#include "core/runtime_dir.h"
#include "core/sys/error.h"
#include "core/sys/interrupt_guard.h"

namespace nettopo::cli {
namespace {

struct TestOptions {
  std::string file;
  std::string name;
  std::string junit;
  std::string results;
  bool keep = false;
};
TestOptions options;

void take_down(const std::string& name) {
  LabLock lock = LabLock::acquire(name, 30);
  teardown_lab(name, std::chrono::milliseconds(2000));
  lock.remove_file();
}

int test(const GlobalOptions& global) {
  topology::Lab lab = load_or_report(options.file, options.name);  // bad input: exit 2
  require_root("nettopo test", "it builds the lab and runs commands in its nodes");
  auto print = [&](const std::string& line) {
    if (!global.quiet) std::cout << line << "\n" << std::flush;
  };
  ExperimentRecord record;
  record.lab = lab.name;
  record.lab_file = lab.source_file;
  record.started_at = iso_time_now();
  auto epoch = std::chrono::steady_clock::now();
  auto properties = run_properties(lab.source_file, own_command_line());
  auto finish_record = [&] {
    record.finished_at = iso_time_now();
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch).count();
  };

  UpOptions up_options;
  up_options.init_binary = find_init_binary();
  try {
    lab_up(lab, up_options);  // rolls itself back when it fails
  } catch (const Error& failure) {
    record.error = std::string("up failed: ") + failure.what();
    finish_record();
    if (!options.junit.empty()) write_junit(record, properties, options.junit);
    throw;
  }
  print("lab " + lab.name + " is up");

  std::exception_ptr failure;
  try {
    InterruptGuard interrupts;
    RunningLab running = load_running_lab(lab.name);
    ScenarioOptions scenario;
    scenario.epoch = epoch;
    scenario.on_line = print;
    scenario.checkpoint = [&] { interrupts.check("lab " + lab.name + ": test"); };
    try {
      run_scenario(running, record, scenario);
    } catch (const Interrupted&) {
      throw;
    } catch (const Error& error) {
      record.error = error.what();
    }
    finish_record();
    keep_last_checks(running, record);  // for a `down --save` after --keep
    if (!options.results.empty()) save_results(running, record, properties, options.results);
    if (!options.junit.empty()) write_junit(record, properties, options.junit);
  } catch (...) {
    failure = std::current_exception();
  }
  if (options.keep) {
    print("lab " + lab.name + " stays up (--keep); remove it with: nettopo down --lab " + lab.name);
  } else {
    take_down(lab.name);
    print("lab " + lab.name + " is down");
  }
  if (failure) std::rethrow_exception(failure);

  size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& run : record.checks) {
    if (run.passed)
      ++passed;
    else if (run.skipped)
      ++skipped;
    else
      ++failed;
  }
  size_t steps_failed = 0;
  for (const auto& step : record.steps) steps_failed += step.outcome == "failed" ? 1 : 0;
  std::string verdict = record.passed() ? "PASSED" : "FAILED";
  std::string summary = verdict + ": " + std::to_string(passed) + " check runs passed, " +
                        std::to_string(failed) + " failed";
  if (skipped) summary += ", " + std::to_string(skipped) + " skipped";
  if (steps_failed) summary += ", " + std::to_string(steps_failed) + " step(s) failed";
  if (!record.error.empty()) summary += "; " + record.error;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, " (%.2f s)", record.seconds);
  print(summary + seconds);
  return record.passed() ? 0 : 1;
}

}  // namespace

std::vector<Command> test_commands() {
  return {
      {"test", "Run an experiment: up, wait for the checks, run the steps, collect, down",
       [](CLI::App& app) {
         app.add_option("file", options.file, "the lab file (TOML)")->required();
         app.add_option("--name,-n", options.name,
                        "lab name (default: the file's `name`, else its base name)");
         app.add_option("--junit", options.junit, "write a JUnit XML report to this file");
         app.add_option("--results", options.results,
                        "keep everything in this directory: results.json, outputs, logs, "
                        "collected files, lab.json");
         app.add_flag("--keep", options.keep, "leave the lab up at the end (to look around)");
         app.footer(
             "Brings the lab up, runs its [[checks]] until each passes (within its `within`),\n"
             "then its [[steps]] in order, runs [collect], writes the results, and takes the\n"
             "lab down, also when something failed (unless --keep). docs/experiments.md.\n"
             "Exit status: 0 every check passed, 1 a check or step failed (or up failed),\n"
             "2 bad file or usage.\n"
             "Example: sudo nettopo test examples/web.toml --junit report.xml --results out/");
       },
       test},
  };
}

}  // namespace nettopo::cli
