#include "core/experiment/node_command.h"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "core/node_entry.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo {

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
  {
    ScopedNodeEntry entry(*init, node);
    pid_ = spawn_command(command);
  }
  pidfd_ = UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
  if (!pidfd_) {
    // Without a pidfd it can still be waited for; poll() then blocks in waitpid.
    int saved = errno;
    kill();
    throw SystemError("open a pidfd for", "`" + line + "` in node " + node, saved);
  }
}

NodeCommand::NodeCommand(NodeCommand&& other) noexcept
    : pid_(other.pid_), pidfd_(std::move(other.pidfd_)), status_(other.status_) {
  other.pid_ = -1;
  other.status_ = 0;
}

NodeCommand::~NodeCommand() {
  if (pid_ <= 0 || status_) return;
  kill();
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void NodeCommand::kill() {
  // Not yet reaped, so the PID (and process group) is still this command's.
  if (pid_ > 0 && !status_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
  }
}

std::optional<int> NodeCommand::poll() {
  if (status_ || pid_ <= 0) return status_;
  // Look without reaping first: while the shell is a zombie its PID, and so its process group,
  // cannot be reused, and whatever it left running in its session can be stopped safely.
  siginfo_t info{};
  int result;
  while ((result = ::waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT)) < 0 &&
         errno == EINTR) {
  }
  if (result < 0) throw SystemError("wait for", "PID " + std::to_string(pid_));
  if (info.si_pid == 0) return std::nullopt;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status))
    status_ = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    status_ = 128 + WTERMSIG(status);
  else
    status_ = 1;
  return status_;
}

std::optional<int> NodeCommand::wait_until(std::chrono::steady_clock::time_point deadline) {
  while (!poll()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill();
      while (!poll()) {
        struct pollfd fd = {pidfd_.get(), POLLIN, 0};
        ::poll(&fd, 1, 100);
      }
      return std::nullopt;
    }
    struct pollfd fd = {pidfd_.get(), POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 200)));
  }
  return status_;
}

}  // namespace nettopo
