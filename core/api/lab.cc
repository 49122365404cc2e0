#include "nettopo/lab.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <utility>

#include "core/api/api_error.h"
#include "core/api/captured_command.h"
#include "core/experiment/check_runner.h"
#include "core/experiment/results_dir.h"
#include "core/init_spawner.h"
#include "core/lab_teardown.h"
#include "core/lab_up.h"
#include "core/link_control.h"
#include "core/running_lab.h"
#include "topology/model.h"

namespace nettopo::api {

struct Lab::State {
  LabFile file;
  std::chrono::milliseconds grace;
  bool up = false;
  // What `up` recorded, read once (after up it does not change): for exec, links and checks.
  mutable std::optional<RunningLab> running;

  const RunningLab& running_lab() const {
    if (!up) throw Error("lab " + file.name() + " is down", 2);
    if (!running) running = load_running_lab(file.name());
    return *running;
  }
};

Lab::Lab(std::unique_ptr<State> state) : state_(std::move(state)) {}

Lab Lab::up(const LabFile& file, const UpOptions& options) {
  if (::geteuid() != 0)
    throw Error("bringing lab " + file.name() +
                    " up needs root: it creates namespaces, network devices and mounts",
                2);
  // Made before the lab, so that once lab_up has returned nothing can fail before an object
  // owns the lab and will take it down.
  auto state = std::make_unique<State>(State{file, options.grace, false, std::nullopt});
  Lab lab(std::move(state));
  try {
    nettopo::UpOptions core;
    core.init_binary =
        options.init_binary.empty() ? find_init_binary(options.packaged_init) : options.init_binary;
    core.grace = options.grace;
    core.ready_timeout = options.ready_timeout;
    lab_up(file.model(), core);  // rolls back on failure: nothing to take down then
  } catch (...) {
    rethrow_as_api_error();
  }
  lab.state_->up = true;
  return lab;
}

Lab::~Lab() {
  if (!state_ || !state_->up) return;
  try {
    down();
  } catch (const std::exception& failure) {
    spdlog::warn("lab {}: {}", state_->file.name(), failure.what());
  }
}

Lab::Lab(Lab&& other) noexcept = default;

Lab& Lab::operator=(Lab&& other) noexcept {
  if (this != &other) {
    Lab old(std::move(*this));  // its destructor takes the lab this one held down
    state_ = std::move(other.state_);
  }
  return *this;
}

const std::string& Lab::name() const { return state_->file.name(); }
const LabFile& Lab::file() const { return state_->file; }
bool Lab::is_up() const { return state_ && state_->up; }

ExecResult Lab::exec(const std::string& node, const std::vector<std::string>& argv,
                     const ExecOptions& options) const {
  if (argv.empty()) throw Error("exec in " + node + " needs a command", 2);
  try {
    const RunningLab& lab = state_->running_lab();
    if (!lab.model.find_node(node) && !lab.is_bridge(node))
      throw Error("lab " + name() + " has no node or bridge " + node, 2);
    return run_captured(lab, node, argv, options);
  } catch (...) {
    rethrow_as_api_error();
  }
}

ExecResult Lab::sh(const std::string& node, const std::string& line,
                   const ExecOptions& options) const {
  return exec(node, {"/bin/sh", "-c", line}, options);
}

void Lab::set_link(std::string_view endpoint, const LinkChange& change) {
  try {
    apply_link_change(state_->running_lab(), endpoint, link_change_of(change));
  } catch (...) {
    rethrow_as_api_error();
  }
}

CheckReport Lab::check() const {
  CheckReport report;
  try {
    const RunningLab& lab = state_->running_lab();
    // The checks `nettopo check` runs: those that hold once the lab is up.
    std::vector<const topology::Check*> checks = initial_checks(lab.model.checks);
    CheckOptions options;
    options.scratch = experiment_scratch(lab);
    for (const CheckRun& run : run_checks(lab, checks, options))
      report.runs.push_back({run.check, run.node, run.passed, run.seconds, run.attempts,
                             run.exit_status, run.failure, run.output, describe(run)});
  } catch (...) {
    rethrow_as_api_error();
  }
  return report;
}

void Lab::down() {
  if (!is_up()) return;
  try {
    down_lab(name(), state_->grace);
  } catch (...) {
    rethrow_as_api_error();
  }
  state_->up = false;
  state_->running.reset();
}

bool CheckReport::passed() const {
  for (const auto& run : runs)
    if (!run.passed) return false;
  return true;
}

std::string CheckReport::describe() const {
  std::string text;
  for (const auto& run : runs) text += run.summary + "\n";
  return text;
}

}  // namespace nettopo::api
