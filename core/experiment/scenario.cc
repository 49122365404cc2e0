#include "core/experiment/scenario.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "core/experiment/check_runner.h"
#include "core/experiment/node_command.h"
#include "core/experiment/results_dir.h"
#include "core/link_control.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point epoch) {
  return std::chrono::duration<double>(Clock::now() - epoch).count();
}

const char* kind_name(topology::Step::Kind kind) {
  switch (kind) {
    case topology::Step::Kind::Link:
      return "link";
    case topology::Step::Kind::Run:
      return "run";
    case topology::Step::Kind::Wait:
      return "wait";
    case topology::Step::Kind::Check:
      return "check";
  }
  return "wait";
}

std::vector<const topology::Check*> checks_named(const topology::Lab& lab,
                                                 const std::vector<std::string>& names) {
  std::vector<const topology::Check*> found;
  for (const auto& name : names)
    for (const auto& check : lab.checks)
      if (check.name == name) found.push_back(&check);
  return found;
}

class ScenarioRunner {
 public:
  ScenarioRunner(const RunningLab& lab, ExperimentRecord& record, const ScenarioOptions& options)
      : lab_(lab), record_(record), options_(options), scratch_(experiment_scratch(lab)) {}

  void run() {
    std::filesystem::create_directories(scratch_);
    bool ready = run_checks_now(initial_checks(lab_.model.checks), "");
    for (size_t i = 0; i < lab_.model.steps.size(); ++i) {
      const auto& step = lab_.model.steps[i];
      StepRun run;
      run.number = i + 1;
      run.name = step.name;
      run.kind = kind_name(step.kind);
      run.started = since(options_.epoch);
      run.started_at = iso_time_now();
      if (!ready) {
        run.outcome = "skipped";
        record_.steps.push_back(run);
        if (step.kind == topology::Step::Kind::Check) skip_checks(step, run);
        continue;
      }
      line("step " + std::to_string(run.number) + " at " + seconds_text(run.started) + ": " +
           step.name);
      auto started = Clock::now();
      try {
        execute(step, run);
        run.outcome = "passed";
      } catch (const Error& failure) {
        run.outcome = "failed";
        run.error = failure.what();
        ready = false;
        line("  step " + std::to_string(run.number) + " failed: " + run.error);
      }
      run.seconds = std::chrono::duration<double>(Clock::now() - started).count();
      record_.steps.push_back(run);
    }
  }

 private:
  static std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", seconds);
    return text;
  }

  void line(const std::string& text) {
    if (options_.on_line) options_.on_line(text);
  }

  bool run_checks_now(const std::vector<const topology::Check*>& checks,
                      const std::string& context) {
    if (checks.empty()) return true;
    CheckOptions options;
    options.scratch = scratch_;
    options.context = context;
    options.epoch = options_.epoch;
    options.checkpoint = options_.checkpoint;
    options.on_done = [&](const CheckRun& run) { line(describe(run)); };
    bool all = true;
    for (auto& run : run_checks(lab_, checks, options)) {
      all = all && run.passed;
      record_.checks.push_back(std::move(run));
    }
    return all;
  }

  void skip_checks(const topology::Step& step, const StepRun& run) {
    for (const auto* check : checks_named(lab_.model, step.checks)) {
      for (const auto& node : check->nodes) {
        CheckRun skipped;
        skipped.check = check->name;
        skipped.node = node;
        skipped.context = context_of(run);
        skipped.skipped = true;
        skipped.started_at = run.started_at;
        record_.checks.push_back(std::move(skipped));
      }
    }
  }

  static std::string context_of(const StepRun& run) {
    return "after step " + std::to_string(run.number) + " (" + run.name + ")";
  }

  void execute(const topology::Step& step, StepRun& run) {
    using Kind = topology::Step::Kind;
    switch (step.kind) {
      case Kind::Link:
        apply_link_change(lab_, step.link, link_change_of(step));
        break;
      case Kind::Run: {
        run.node = step.node;
        run.output_file = (scratch_ / ("step-" + std::to_string(run.number) + ".log")).string();
        if (step.background) {
          // It runs until the steps are done; then it is stopped (with everything it started)
          // and its output is kept like any other step's.
          background_.push_back(
              std::make_unique<NodeCommand>(lab_, step.node, step.run, run.output_file));
          break;
        }
        NodeCommand command(lab_, step.node, step.run, run.output_file);
        auto deadline = Clock::now() + std::chrono::microseconds(step.timeout_us);
        std::optional<int> status;
        while (!(status = command.poll())) {
          if (Clock::now() >= deadline) {
            command.wait_until(Clock::now());  // kills it and everything it started
            break;
          }
          if (options_.checkpoint) options_.checkpoint();
          struct pollfd fd = {command.pidfd(), POLLIN, 0};
          ::poll(&fd, 1, 200);
        }
        run.exit_status = status;
        if (!status)
          throw Error("node " + step.node + ": `" + step.run + "` did not end within " +
                      seconds_text(step.timeout_us / 1e6));
        if (*status != 0)
          throw Error("node " + step.node + ": `" + step.run + "` exited with status " +
                      std::to_string(*status));
        break;
      }
      case Kind::Wait: {
        auto until = Clock::now() + std::chrono::microseconds(step.wait_us);
        while (Clock::now() < until) {
          if (options_.checkpoint) options_.checkpoint();
          std::this_thread::sleep_for(
              std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100)));
        }
        break;
      }
      case Kind::Check: {
        // A failed check is a result, not a broken scenario: the steps go on.
        run_checks_now(checks_named(lab_.model, step.checks), context_of(run));
        break;
      }
    }
  }

  const RunningLab& lab_;
  ExperimentRecord& record_;
  const ScenarioOptions& options_;
  std::filesystem::path scratch_;
  std::vector<std::unique_ptr<NodeCommand>> background_;
};

}  // namespace

void run_scenario(const RunningLab& lab, ExperimentRecord& record, const ScenarioOptions& options) {
  ScenarioRunner(lab, record, options).run();
}

}  // namespace nettopo
