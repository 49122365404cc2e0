#pragma once

// A shell command run in a node of a running lab on behalf of an experiment (a check, a step,
// a [collect] command): started in its own session so that it and everything it started can be
// stopped together, its output in a file.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/sys/child_process.h"

namespace nettopo {

struct RunningLab;

class NodeCommand {
 public:
  /// Starts `/bin/sh -c LINE` in `node`: the node's namespaces and environment, the lab file's
  /// directory as working directory, stdin from /dev/null, stdout and stderr appended to
  /// `output` (a path the node sees: under the lab's runtime directory). Throws Error when the
  /// node is not running, SystemError when the shell cannot be started.
  NodeCommand(const RunningLab& lab, const std::string& node, const std::string& line,
              const std::filesystem::path& output);
  /// Kills what is still running (the whole session) and reaps it.
  ~NodeCommand();
  NodeCommand(NodeCommand&& other) noexcept = default;
  NodeCommand& operator=(NodeCommand&&) = delete;
  NodeCommand(const NodeCommand&) = delete;
  NodeCommand& operator=(const NodeCommand&) = delete;

  /// Readable (for poll(2)) once the command has ended.
  int pidfd() const { return child_.pidfd(); }
  /// The exit status (128 + signal when killed) once it has ended; nullopt while it runs.
  /// Reaps it the first time it reports an end.
  std::optional<int> poll();
  /// Waits until it ends or `deadline` passes; at the deadline it is killed and nullopt returned.
  std::optional<int> wait_until(std::chrono::steady_clock::time_point deadline);
  /// SIGKILL to it and to every process it started that is still in the node (each through a
  /// pidfd, after proving it is inside the node's PID namespace: never a process group).
  void kill();

 private:
  ChildProcess child_;
  std::optional<int> status_;
};

}  // namespace nettopo
