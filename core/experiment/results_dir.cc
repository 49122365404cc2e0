#include "core/experiment/results_dir.h"

#include <openssl/evp.h>
#include <sys/utsname.h>

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/experiment/node_command.h"
#include "core/log_writer.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string sha256_of(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "";
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  char buffer[65536];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0)
    EVP_DigestUpdate(context, buffer, static_cast<size_t>(file.gcount()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  static const char* kHex = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

void copy_file_if_there(const fs::path& from, const fs::path& to) {
  std::error_code error;
  if (!fs::exists(from, error)) return;
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) throw SystemError("copy " + from.string() + " to", to.string(), error.value());
}

// A name not yet used in `taken`: "name", "name-2", ...
std::string unique(const std::string& name, std::set<std::string>& taken) {
  std::string candidate = name;
  for (int n = 2; taken.count(candidate); ++n) candidate = name + "-" + std::to_string(n);
  taken.insert(candidate);
  return candidate;
}

json check_json(const CheckRun& run) {
  return {{"check", run.check},
          {"node", run.node},
          {"context", run.context},
          {"outcome", run.passed    ? "passed"
                      : run.skipped ? "skipped"
                                    : "failed"},
          {"started", run.started},
          {"started_at", run.started_at},
          {"seconds", run.seconds},
          {"attempts", run.attempts},
          {"exit_status", run.exit_status ? json(*run.exit_status) : json(nullptr)},
          {"failure", run.failure},
          {"output", run.output}};
}

}  // namespace

std::string file_name_for(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!keep) c = '-';
    if (c != '-' || (!out.empty() && out.back() != '-')) out += c;  // "ip -s" -> "ip-s"
    if (out.size() >= 60) break;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && out.front() == '.') out.erase(0, 1);
  return out.empty() ? "output" : out;
}

fs::path experiment_scratch(const RunningLab& lab) { return lab.dir.path() / "experiment"; }

std::map<std::string, std::string> run_properties(const std::string& lab_file,
                                                  const std::string& command_line) {
  struct utsname system {};
  ::uname(&system);
  return {{"nettopo_version", NETTOPO_VERSION},
          {"kernel_release", system.release},
          {"lab_file", lab_file},
          {"lab_file_sha256", sha256_of(lab_file)},
          {"command_line", command_line}};
}

void save_results(const RunningLab& lab, ExperimentRecord& record,
                  const std::map<std::string, std::string>& properties, const fs::path& dir) {
  fs::create_directories(dir);
  fs::path scratch = experiment_scratch(lab);
  fs::create_directories(scratch);

  // [collect]: files straight out of the node's mount namespace (through its init's root),
  // command outputs by running them in the node.
  std::set<std::string> taken;
  for (const auto& [node, path] : lab.model.collect.files) {
    CollectRun item{node, "file", path, "", ""};
    auto init = lab.init_of(node);
    fs::path relative = fs::path("nodes") / node / "files" / fs::path(path).relative_path();
    try {
      if (!init) throw Error("node " + node + " is not running");
      fs::path source = "/proc/" + std::to_string(init->pid) + "/root" + path;
      std::error_code error;
      if (!fs::exists(source, error)) throw Error("no such file in node " + node);
      fs::create_directories((dir / relative).parent_path());
      fs::copy(source, dir / relative,
               fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
      if (error) throw Error(error.message());
      item.saved_as = relative.string();
    } catch (const Error& failure) {
      item.error = failure.what();
    }
    record.collected.push_back(item);
  }
  for (const auto& [node, line] : lab.model.collect.commands) {
    CollectRun item{node, "command", line, "", ""};
    std::string name = unique(node + "/" + file_name_for(line), taken);
    fs::path relative =
        fs::path("nodes") / node / "commands" / (fs::path(name).filename().string() + ".txt");
    fs::path output = scratch / ("collect-" + std::to_string(record.collected.size()) + ".txt");
    try {
      { std::ofstream emptied(output, std::ios::trunc); }  // the command appends
      NodeCommand command(lab, node, line, output);
      auto status = command.wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(60));
      copy_file_if_there(output, dir / relative);
      item.saved_as = relative.string();
      if (!status)
        item.error = "timed out after 60 s";
      else if (*status != 0)
        item.error = "exit status " + std::to_string(*status);
    } catch (const Error& failure) {
      item.error = failure.what();
    }
    record.collected.push_back(item);
  }

  // Programs and exec steps, as up logged them, each with the times its lines were written
  // (log_writer.h: LOG.times, "OFFSET SECONDS.NANOSECONDS" per line).
  auto copy_log = [](const fs::path& from, const fs::path& to) {
    copy_file_if_there(from, to);
    copy_file_if_there(log_times_path(from), log_times_path(to));
  };
  for (const auto& node : lab.model.nodes) {
    fs::path logs = lab.dir.log_dir(node.name);
    std::set<std::string> names;
    for (size_t i = 0; i < node.run.size(); ++i)
      copy_log(logs / ("run-" + std::to_string(i) + ".log"),
               dir / "nodes" / node.name / "programs" /
                   (unique(file_name_for(node.run[i]), names) + ".log"));
    copy_log(logs / "exec.log", dir / "nodes" / node.name / "exec.log");
  }
  // Run steps.
  json steps = json::array();
  std::set<std::string> step_names;
  for (const auto& step : record.steps) {
    json out = {
        {"number", step.number},         {"name", step.name},      {"kind", step.kind},
        {"outcome", step.outcome},       {"error", step.error},    {"started", step.started},
        {"started_at", step.started_at}, {"seconds", step.seconds}};
    if (!step.node.empty()) {
      out["node"] = step.node;
      out["exit_status"] = step.exit_status ? json(*step.exit_status) : json(nullptr);
      if (!step.output_file.empty() && fs::exists(step.output_file)) {
        fs::path relative = fs::path("nodes") / step.node / "steps" /
                            (unique(step.node + "/" + file_name_for(step.name), step_names)
                                 .substr(step.node.size() + 1) +
                             ".log");
        copy_file_if_there(step.output_file, dir / relative);
        out["output"] = relative.string();
      }
    }
    steps.push_back(std::move(out));
  }

  copy_file_if_there(lab.dir.model(), dir / "lab.json");
  if (!lab.model.source_file.empty())
    copy_file_if_there(lab.model.source_file, dir / fs::path(lab.model.source_file).filename());

  json checks = json::array();
  for (const auto& run : record.checks) checks.push_back(check_json(run));
  json collected = json::array();
  for (const auto& item : record.collected)
    collected.push_back({{"node", item.node},
                         {"kind", item.kind},
                         {"item", item.item},
                         {"saved_as", item.saved_as},
                         {"error", item.error}});
  json results = {
      {"schema_version", 1},
      {"lab", record.lab},
      {"passed", record.passed()},
      {"started_at", record.started_at},
      {"finished_at", record.finished_at.empty() ? iso_time_now() : record.finished_at},
      {"seconds", record.seconds},
      {"error", record.error},
      {"checks_from", record.checks_from ? json{{"command", record.checks_from->command},
                                                {"started_at", record.checks_from->started_at},
                                                {"finished_at", record.checks_from->finished_at}}
                                         : json(nullptr)},
      {"checks", checks},
      {"steps", steps},
      {"collected", collected}};
  for (const auto& [key, value] : properties) results[key] = value;
  std::ofstream file(dir / "results.json", std::ios::trunc);
  file << results.dump(2) << "\n";
  if (!file.flush()) throw SystemError("write", (dir / "results.json").string());
}

}  // namespace nettopo
