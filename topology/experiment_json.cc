#include "topology/experiment_json.h"

namespace nettopo::topology {
namespace {

using nlohmann::json;

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

template <typename T>
std::optional<T> optional_from(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

const char* kind_name(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::Link:
      return "link";
    case Step::Kind::Run:
      return "run";
    case Step::Kind::Wait:
      return "wait";
    case Step::Kind::Check:
      return "check";
  }
  return "wait";
}

Step::Kind kind_from(const std::string& name) {
  if (name == "link") return Step::Kind::Link;
  if (name == "run") return Step::Kind::Run;
  if (name == "check") return Step::Kind::Check;
  return Step::Kind::Wait;
}

json pairs_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [node, item] : pairs) out.push_back({node, item});
  return out;
}

std::vector<std::pair<std::string, std::string>> pairs_from(const json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& pair : value)
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  return out;
}

}  // namespace

json experiment_to_json(const Lab& lab) {
  json checks = json::array();
  for (const auto& check : lab.checks) {
    checks.push_back({{"name", check.name},
                      {"nodes", check.nodes},
                      {"run", check.run},
                      {"expect", optional_json(check.expect)},
                      {"within_us", optional_json(check.within_us)},
                      {"initially", check.initially},
                      {"line", check.line},
                      {"column", check.column}});
  }
  json steps = json::array();
  for (const auto& step : lab.steps) {
    json out = {{"kind", kind_name(step.kind)},
                {"name", step.name},
                {"line", step.line},
                {"column", step.column}};
    switch (step.kind) {
      case Step::Kind::Link:
        out.update({{"link", step.link},
                    {"up", optional_json(step.up)},
                    {"rate", optional_json(step.rate)},
                    {"delay", optional_json(step.delay)},
                    {"jitter", optional_json(step.jitter)},
                    {"loss", optional_json(step.loss)},
                    {"blackhole", step.blackhole},
                    {"clear", step.clear}});
        break;
      case Step::Kind::Run:
        out.update({{"node", step.node},
                    {"run", step.run},
                    {"background", step.background},
                    {"timeout_us", step.timeout_us}});
        break;
      case Step::Kind::Wait:
        out["wait_us"] = step.wait_us;
        break;
      case Step::Kind::Check:
        out["checks"] = step.checks;
        break;
    }
    steps.push_back(std::move(out));
  }
  return {
      {"checks", checks},
      {"steps", steps},
      {"collect",
       {{"files", pairs_json(lab.collect.files)}, {"commands", pairs_json(lab.collect.commands)}}}};
}

void experiment_from_json(const json& value, Lab& lab) {
  if (value.contains("checks")) {
    for (const auto& item : value.at("checks")) {
      Check check;
      check.name = item.at("name").get<std::string>();
      check.nodes = item.at("nodes").get<std::vector<std::string>>();
      check.run = item.at("run").get<std::string>();
      check.expect = optional_from<std::string>(item.at("expect"));
      check.within_us = optional_from<uint32_t>(item.at("within_us"));
      check.initially = item.value("initially", true);
      check.line = item.at("line").get<int>();
      check.column = item.at("column").get<int>();
      lab.checks.push_back(std::move(check));
    }
  }
  if (value.contains("steps")) {
    for (const auto& item : value.at("steps")) {
      Step step;
      step.kind = kind_from(item.at("kind").get<std::string>());
      step.name = item.at("name").get<std::string>();
      step.line = item.at("line").get<int>();
      step.column = item.at("column").get<int>();
      switch (step.kind) {
        case Step::Kind::Link:
          step.link = item.at("link").get<std::string>();
          step.up = optional_from<bool>(item.at("up"));
          step.rate = optional_from<std::string>(item.at("rate"));
          step.delay = optional_from<std::string>(item.at("delay"));
          step.jitter = optional_from<std::string>(item.at("jitter"));
          step.loss = optional_from<std::string>(item.at("loss"));
          step.blackhole = item.at("blackhole").get<bool>();
          step.clear = item.at("clear").get<bool>();
          break;
        case Step::Kind::Run:
          step.node = item.at("node").get<std::string>();
          step.run = item.at("run").get<std::string>();
          step.background = item.at("background").get<bool>();
          step.timeout_us = item.at("timeout_us").get<uint32_t>();
          break;
        case Step::Kind::Wait:
          step.wait_us = item.at("wait_us").get<uint32_t>();
          break;
        case Step::Kind::Check:
          step.checks = item.at("checks").get<std::vector<std::string>>();
          break;
      }
      lab.steps.push_back(std::move(step));
    }
  }
  if (value.contains("collect")) {
    lab.collect.files = pairs_from(value.at("collect").at("files"));
    lab.collect.commands = pairs_from(value.at("collect").at("commands"));
  }
}

}  // namespace nettopo::topology
