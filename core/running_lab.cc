#include "core/running_lab.h"

#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/sys/error.h"
#include "topology/lab_json.h"

namespace nettopo {

std::optional<ProcessRef> RunningLab::init_of(const std::string& name) const {
  for (const auto& init : journal.inits)
    if (init.name == name) return init.process;
  return std::nullopt;
}

std::string describe_running_labs() {
  auto labs = list_labs();
  if (labs.empty()) return "none";
  return fmt::format("{}", fmt::join(labs, ", "));
}

std::vector<std::string> labs_started_from(const std::string& path) {
  std::error_code error;
  auto wanted = std::filesystem::absolute(path, error).lexically_normal();
  std::vector<std::string> found;
  for (const auto& name : list_labs()) {
    try {
      if (std::filesystem::path(load_running_lab(name).model.source_file) == wanted)
        found.push_back(name);
    } catch (const Error&) {
      // An up that did not finish has no model to say where it came from: down --lab finds it.
    }
  }
  return found;
}

BuildState build_state(const JournalEntries& journal) {
  if (journal.complete) return BuildState::Complete;
  // The up that builds a lab holds its lock throughout, and rolls back whatever stops it short
  // of SIGKILL; while it lives, the lab is still being built (or taken back down).
  if (journal.builder && journal.builder->alive()) return BuildState::Building;
  return BuildState::Abandoned;
}

const char* to_string(BuildState state) {
  switch (state) {
    case BuildState::Complete:
      return "complete";
    case BuildState::Building:
      return "building";
    case BuildState::Abandoned:
      break;
  }
  return "abandoned";
}

RunningLab load_running_lab(const std::string& name) {
  RuntimeDir dir(name);
  if (!dir.holds_lab())
    throw UsageError("no lab named " + name + " is up (running labs: " + describe_running_labs() +
                     ")");
  JournalEntries journal = Journal::read(dir.journal());
  switch (build_state(journal)) {
    case BuildState::Complete:
      break;
    case BuildState::Building:
      throw Error("lab " + name + " is still being built: its up (PID " +
                  std::to_string(journal.builder->pid) + ") is running; try again once it is up");
    case BuildState::Abandoned:
      throw Error("lab " + name + " is partly up: its up died before it finished; take it down " +
                  "with: nettopo down --lab " + name);
  }
  std::ifstream file(dir.model());
  if (!file)
    throw Error("lab " + name + " has no saved model (" + dir.model().string() +
                "); take it down with: nettopo down --lab " + name);
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& error) {
    throw Error("read " + dir.model().string() + ": " + error.what());
  }
  return RunningLab{dir, topology::lab_from_json(json), std::move(journal)};
}

std::string find_lab_of(const std::optional<std::string>& lab, const std::string& node) {
  if (lab) {
    RunningLab running = load_running_lab(*lab);
    if (!running.model.find_node(node) && !running.model.find_bridge(node)) {
      std::vector<std::string_view> names;
      for (const auto& each : running.model.nodes) names.push_back(each.name);
      throw UsageError(
          fmt::format("lab {} has no node {} (its nodes: {})", *lab, node, fmt::join(names, ", ")));
    }
    return *lab;
  }
  std::vector<std::string> owners;
  auto labs = list_labs();
  for (const auto& name : labs) {
    try {
      RunningLab running = load_running_lab(name);
      if (running.model.find_node(node) || running.model.find_bridge(node)) owners.push_back(name);
    } catch (const Error&) {
      // A lab whose up is still under way or was killed has no model yet: it cannot be meant.
    }
  }
  if (owners.size() == 1) return owners.front();
  if (labs.empty()) throw UsageError("no lab is up: start one with nettopo up LAB.toml");
  if (owners.empty())
    throw UsageError("no running lab has a node named " + node +
                     " (running labs: " + describe_running_labs() + ")");
  throw UsageError(fmt::format("node {} exists in several labs ({}): choose one with --lab", node,
                               fmt::join(owners, ", ")));
}

}  // namespace nettopo
