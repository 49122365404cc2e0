#include "core/experiment/node_command.h"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <sstream>

#include "core/node_command.h"
#include "core/process_ref.h"
#include "core/running_lab.h"
#include "core/scoped_node_entry.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

std::optional<std::string> pid_namespace_of(pid_t pid) {
  char link[64];
  std::string path = "/proc/" + std::to_string(pid) + "/ns/pid";
  ssize_t size = ::readlink(path.c_str(), link, sizeof link);
  if (size <= 0) return std::nullopt;
  return std::string(link, static_cast<size_t>(size));
}

// SIGKILL to `root`'s descendants, through pidfds, and only to those proven to live in another
// PID namespace than nettopo's own (the node's): never a process group, never a bare PID that
// might have been reused by a host process.
void kill_descendants(pid_t root) {
  auto ours = pid_namespace_of(::getpid());
  std::vector<pid_t> pending = {root};
  while (!pending.empty()) {
    pid_t parent = pending.back();
    pending.pop_back();
    auto children = read_proc_file("/proc/" + std::to_string(parent) + "/task/" +
                                   std::to_string(parent) + "/children");
    std::istringstream list(children.value_or(""));
    for (pid_t child; list >> child;) {
      int fd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
      if (fd < 0) continue;
      UniqueFd pidfd(fd);
      auto theirs = pid_namespace_of(child);  // checked after the pidfd pins the process
      if (!theirs || !ours || *theirs == *ours) continue;
      pending.push_back(child);
      ::syscall(SYS_pidfd_send_signal, pidfd.get(), SIGKILL, nullptr, 0);
    }
  }
}

}  // namespace

NodeCommand::NodeCommand(const RunningLab& lab, const std::string& node, const std::string& line,
                         const std::filesystem::path& output) {
  auto init = lab.init_of(node);
  const topology::Node* model = lab.model.find_node(node);
  if (!init || !model) throw Error("lab " + lab.dir.lab() + " has no running node " + node);
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", line};
  command.env = node_environment(lab.dir.lab(), node, model->env, false);
  auto directory = std::filesystem::path(lab.model.source_file).parent_path();
  std::error_code error;
  if (std::filesystem::is_directory(directory, error))
    command.working_directory = directory.string();
  command.output_file = output.string();
  command.null_stdin = true;
  command.new_session = true;
  ScopedNodeEntry entry(*init, node);
  child_ = spawn(command);
}

NodeCommand::~NodeCommand() {
  if (child_.running() && !status_) kill();
  // ChildProcess kills and reaps the shell itself.
}

void NodeCommand::kill() {
  if (!child_.running() || status_) return;
  // The shell first stops forking, then whatever it started goes.
  ::syscall(SYS_pidfd_send_signal, child_.pidfd(), SIGSTOP, nullptr, 0);
  kill_descendants(child_.pid());
  ::syscall(SYS_pidfd_send_signal, child_.pidfd(), SIGKILL, nullptr, 0);
}

std::optional<int> NodeCommand::poll() {
  if (status_ || !child_.running()) return status_;
  struct pollfd fd = {child_.pidfd(), POLLIN, 0};
  if (::poll(&fd, 1, 0) <= 0) return std::nullopt;
  // Ended. Whatever it left running (a job put in the background) now belongs to the node's
  // init, which reaps it; `down` ends it at the latest.
  status_ = child_.wait();
  return status_;
}

std::optional<int> NodeCommand::wait_until(std::chrono::steady_clock::time_point deadline) {
  while (!poll()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill();
      while (!poll()) {
        struct pollfd fd = {child_.pidfd(), POLLIN, 0};
        ::poll(&fd, 1, 100);
      }
      return std::nullopt;
    }
    struct pollfd fd = {child_.pidfd(), POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 200)));
  }
  return status_;
}

}  // namespace nettopo
