#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "core/process_ref.h"
#include "core/sys/unique_fd.h"

namespace nettopo {

/// Moves this whole process into every namespace of a node (network, UTS, IPC, mount, and PID
/// for the children it starts next) in one setns(2) on the init's pidfd, and back when it goes
/// out of scope. The process must be single-threaded (setns into a mount namespace demands it).
class ScopedNodeEntry {
 public:
  /// Throws Error when the node's init is gone, SystemError when setns refuses.
  /// `network_only` enters just the network namespace: bridges have no others of their own.
  ScopedNodeEntry(const ProcessRef& init, const std::string& node, bool network_only = false);
  ~ScopedNodeEntry();
  ScopedNodeEntry(const ScopedNodeEntry&) = delete;
  ScopedNodeEntry& operator=(const ScopedNodeEntry&) = delete;

 private:
  std::vector<std::pair<UniqueFd, int>> original_;  // (namespace fd, CLONE_NEW* type)
  UniqueFd original_cwd_;
};

/// How to start a command inside a node (after ScopedNodeEntry): stdio, environment, session.
struct CommandSpec {
  std::vector<std::string> argv;  ///< argv[0] is looked up in PATH
  std::vector<std::string> env;   ///< "KEY=VALUE", the complete environment
  std::string working_directory;  ///< empty = keep the current one
  std::string output_file;        ///< empty = inherit stdout/stderr; else both appended here
  bool null_stdin = false;        ///< stdin from /dev/null instead of inherited
  bool new_session = false;       ///< setsid: for programs that outlive nettopo
};

/// posix_spawn's the command; returns its PID as the host sees it. Throws SystemError naming
/// argv[0] when it cannot be started (not found, not executable).
pid_t spawn_command(const CommandSpec& command);

/// Starts a command that outlives nettopo, as a child of the node's init, which reaps it and
/// stops it at `down`. (A process nettopo starts directly would, once nettopo exits, be
/// reparented to the host's init, not the node's: the kernel picks the reaper from the pid
/// namespace of the parent that died. So an intermediate inside the node starts it and exits.)
/// The caller must not be inside the node. Returns pid 0 when the program has already exited
/// and been reaped (a program that ends at once is not a failure to start it). Throws
/// SystemError naming argv[0] when it cannot be started.
ProcessRef spawn_orphan_in_node(const ProcessRef& init, const std::string& node,
                                const CommandSpec& command);

/// Waits for a child; returns a shell-style status: the exit code, or 128 + signal.
int wait_for_exit(pid_t pid);

/// The environment every command in a node starts from (PATH, HOME, TERM, NETTOPO_LAB/NODE),
/// then the node's own `env`.
std::vector<std::string> node_environment(
    const std::string& lab, const std::string& node,
    const std::vector<std::pair<std::string, std::string>>& env, bool inherit_caller_environment);

}  // namespace nettopo
