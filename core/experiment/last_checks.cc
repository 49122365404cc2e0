#include "core/experiment/last_checks.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/experiment/results_dir.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path last_checks_file(const RunningLab& lab) {
  return experiment_scratch(lab) / "last-checks.json";
}

json optional_int(const std::optional<int>& value) { return value ? json(*value) : json(nullptr); }

std::optional<int> int_or_none(const json& value) {
  return value.is_null() ? std::nullopt : std::optional<int>(value.get<int>());
}

// Every field, as the record holds it: this file is read back, not shown.
json check_json(const CheckRun& run) {
  return {{"check", run.check},           {"node", run.node},
          {"context", run.context},       {"passed", run.passed},
          {"skipped", run.skipped},       {"started", run.started},
          {"started_at", run.started_at}, {"seconds", run.seconds},
          {"attempts", run.attempts},     {"exit_status", optional_int(run.exit_status)},
          {"failure", run.failure},       {"output", run.output}};
}

CheckRun check_from(const json& in) {
  CheckRun run;
  run.check = in.at("check");
  run.node = in.at("node");
  run.context = in.at("context");
  run.passed = in.at("passed");
  run.skipped = in.at("skipped");
  run.started = in.at("started");
  run.started_at = in.at("started_at");
  run.seconds = in.at("seconds");
  run.attempts = in.at("attempts");
  run.exit_status = int_or_none(in.at("exit_status"));
  run.failure = in.at("failure");
  run.output = in.at("output");
  return run;
}

json step_json(const StepRun& step) {
  return {{"number", step.number},
          {"name", step.name},
          {"kind", step.kind},
          {"outcome", step.outcome},
          {"error", step.error},
          {"started", step.started},
          {"started_at", step.started_at},
          {"seconds", step.seconds},
          {"node", step.node},
          {"output_file", step.output_file},
          {"exit_status", optional_int(step.exit_status)}};
}

StepRun step_from(const json& in) {
  StepRun step;
  step.number = in.at("number");
  step.name = in.at("name");
  step.kind = in.at("kind");
  step.outcome = in.at("outcome");
  step.error = in.at("error");
  step.started = in.at("started");
  step.started_at = in.at("started_at");
  step.seconds = in.at("seconds");
  step.node = in.at("node");
  step.output_file = in.at("output_file");
  step.exit_status = int_or_none(in.at("exit_status"));
  return step;
}

}  // namespace

void store_last_checks(const RunningLab& lab, const ExperimentRecord& record,
                       const std::string& command_line) {
  json checks = json::array(), steps = json::array();
  for (const auto& run : record.checks) checks.push_back(check_json(run));
  for (const auto& step : record.steps) steps.push_back(step_json(step));
  json stored = {{"command", command_line},
                 {"started_at", record.started_at},
                 {"finished_at", record.finished_at},
                 {"seconds", record.seconds},
                 {"error", record.error},
                 {"checks", checks},
                 {"steps", steps}};
  fs::path path = last_checks_file(lab);
  fs::create_directories(path.parent_path());
  // Written beside and renamed over: a `down --save` reading meanwhile sees the old or the new.
  fs::path partial = path.string() + ".new";
  {
    std::ofstream file(partial, std::ios::trunc);
    file << stored.dump() << "\n";
    if (!file.flush()) throw SystemError("write", partial.string());
  }
  std::error_code error;
  fs::rename(partial, path, error);
  if (error) throw SystemError("rename " + partial.string() + " to", path.string(), error.value());
}

std::optional<ExperimentRecord> load_last_checks(const RunningLab& lab) {
  std::ifstream file(last_checks_file(lab));
  if (!file) return std::nullopt;
  json stored = json::parse(file, nullptr, false);
  if (stored.is_discarded()) return std::nullopt;
  try {
    ExperimentRecord record;
    record.lab = lab.dir.lab();
    record.lab_file = lab.model.source_file;
    record.started_at = stored.at("started_at");
    record.finished_at = stored.at("finished_at");
    record.seconds = stored.at("seconds");
    record.error = stored.at("error");
    for (const auto& run : stored.at("checks")) record.checks.push_back(check_from(run));
    for (const auto& step : stored.at("steps")) record.steps.push_back(step_from(step));
    record.checks_from = EarlierRun{stored.at("command"), record.started_at, record.finished_at};
    return record;
  } catch (const json::exception&) {
    return std::nullopt;  // written by another version of nettopo: as if none were stored
  }
}

}  // namespace nettopo
