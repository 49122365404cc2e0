#include "core/node_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <optional>
#include <sstream>

#include "core/running_lab.h"
#include "core/scoped_node_entry.h"
#include "core/sys/error.h"

extern char** environ;

namespace nettopo {
namespace {

// The host's PID of a child of `init` whose PID inside the node is `local`, from the NSpid line
// of /proc/PID/status ("NSpid: HOST ... LOCAL").
std::optional<ProcessRef> find_child_by_local_pid(const ProcessRef& init, pid_t local) {
  std::string base = "/proc/" + std::to_string(init.pid);
  auto children = read_proc_file(base + "/task/" + std::to_string(init.pid) + "/children");
  std::istringstream list(children.value_or(""));
  pid_t child;
  while (list >> child) {
    auto status = read_proc_file("/proc/" + std::to_string(child) + "/status");
    if (!status) continue;
    auto at = status->find("\nNSpid:");
    if (at == std::string::npos) continue;
    auto end = status->find('\n', at + 1);
    auto last = status->find_last_of(" \t", end);
    if (last != std::string::npos && last > at &&
        std::strtol(status->c_str() + last + 1, nullptr, 10) == local)
      return ProcessRef::of(child);
  }
  return std::nullopt;
}

}  // namespace

ChildProcess start_in_node(const RunningLab& lab, const std::string& node, CommandSpec command,
                           bool inherit_caller_environment) {
  auto init = lab.init_of(node);
  if (!init) throw Error("lab " + lab.dir.lab() + " has no running init for " + node);
  const topology::Node* model = lab.model.find_node(node);
  std::vector<std::pair<std::string, std::string>> no_env;
  command.env = node_environment(lab.dir.lab(), node, model ? model->env : no_env,
                                 inherit_caller_environment);
  std::error_code error;
  std::string cwd = std::filesystem::current_path(error).string();
  ScopedNodeEntry entry(*init, node, /*network_only=*/model == nullptr);
  // The caller's directory, when the node sees it too (it shares the host's files).
  if (!cwd.empty() && ::access(cwd.c_str(), X_OK) == 0) command.working_directory = cwd;
  try {
    return spawn(command);
  } catch (const SystemError& failure) {
    // Like a shell: 127 when the command is not found, 126 when it cannot be run.
    throw ExitStatusError(failure.what(), failure.error_number() == ENOENT ? 127 : 126);
  }
}

ProcessRef spawn_orphan_in_node(const ProcessRef& init, const std::string& node,
                                const CommandSpec& command) {
  return spawn_orphans_in_node(init, node, {command}).front();
}

std::vector<ProcessRef> spawn_orphans_in_node(const ProcessRef& init, const std::string& node,
                                              const std::vector<CommandSpec>& commands) {
  std::deque<PreparedCommand> prepared;  // built before the fork: start() does not allocate
  for (const auto& command : commands) prepared.emplace_back(command);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0)
    throw SystemError("create pipe", "for " + commands.at(0).argv[0]);
  UniqueFd report_read(report[0]), report_write(report[1]);
  std::vector<pid_t> local(commands.size(), -EPIPE);
  {
    ScopedNodeEntry entry(init, node);
    pid_t middle = ::fork();  // lands in the node's PID namespace
    if (middle < 0) throw SystemError("fork", "in node " + node);
    if (middle == 0) {
      for (auto& each : prepared) {
        pid_t started = each.start();
        (void)!::write(report_write.get(), &started, sizeof started);
        if (started < 0) break;
      }
      ::_exit(0);
    }
    ChildProcess middle_process = ChildProcess::adopt(middle);
    report_write.reset();
    for (auto& each : local)
      if (::read(report_read.get(), &each, sizeof each) != sizeof each) break;
    middle_process.wait();
  }
  std::vector<ProcessRef> started;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (local[i] < 0) throw SystemError("start", commands[i].argv[0], -local[i]);
    // The middle process has been reaped, so the program is the init's child by now.
    // Found while it runs or as a zombie; once the init has reaped it, it is simply over. Which
    // of those it is depends on timing, so it must not decide anything.
    started.push_back(find_child_by_local_pid(init, local[i]).value_or(ProcessRef{}));
  }
  return started;
}

std::vector<std::string> node_environment(
    const std::string& lab, const std::string& node,
    const std::vector<std::pair<std::string, std::string>>& env, bool inherit_caller_environment) {
  std::vector<std::string> result;
  auto set = [&](const std::string& key, const std::string& value) {
    std::string prefix = key + "=";
    for (auto& variable : result)
      if (variable.rfind(prefix, 0) == 0) {
        variable = prefix + value;
        return;
      }
    result.push_back(prefix + value);
  };
  if (inherit_caller_environment) {
    for (char** variable = environ; *variable; ++variable) result.emplace_back(*variable);
  } else {
    set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    set("HOME", "/root");
    set("LANG", "C.UTF-8");
  }
  set("HOSTNAME", node);
  set("NETTOPO_LAB", lab);
  set("NETTOPO_NODE", node);
  for (const auto& [key, value] : env) set(key, value);
  return result;
}

}  // namespace nettopo
