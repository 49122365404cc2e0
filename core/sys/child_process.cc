#include "core/sys/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/sys/error.h"

#ifndef P_PIDFD
#define P_PIDFD 3  // waitid(2), Linux 5.4
#endif

namespace nettopo {
namespace {

// Descriptors passed on are first copied this high, so that one dup2 of the file actions never
// overwrites the source of a later one (fds 3 and 4 swapped, say).
constexpr int kHighFd = 100;

ExitStatus exit_status(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return {info.si_status, 0};
  if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) return {0, info.si_status};
  return {1, 0};
}

}  // namespace

PreparedCommand::PreparedCommand(const CommandSpec& command) {
  posix_spawn_file_actions_init(&actions_);
  posix_spawnattr_init(&attributes_);
  strings_ = command.argv;
  strings_.insert(strings_.end(), command.env.begin(), command.env.end());
  for (size_t i = 0; i < strings_.size(); ++i)
    (i < command.argv.size() ? argv_ : envp_).push_back(strings_[i].data());
  argv_.push_back(nullptr);
  envp_.push_back(nullptr);

  if (command.null_stdin) posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
  if (!command.output_file.empty()) {
    posix_spawn_file_actions_addopen(&actions_, 1, command.output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions_, 1, 2);
  } else if (command.null_stdout) {
    posix_spawn_file_actions_addopen(&actions_, 1, "/dev/null", O_WRONLY, 0);
  }
  for (const auto& [ours, theirs] : command.pass_fds) {
    UniqueFd copy(::fcntl(ours, F_DUPFD_CLOEXEC, kHighFd));
    if (!copy) throw SystemError("duplicate fd " + std::to_string(ours), "for " + command.argv[0]);
    posix_spawn_file_actions_adddup2(&actions_, copy.get(), theirs);
    copies_.push_back(std::move(copy));
  }
  // Only stdio and pass_fds: a caller's pipe held by a command (or by a node's init, and so
  // by a program that outlives nettopo) would never see its end of file.
  int highest = 2;
  for (const auto& [ours, theirs] : command.pass_fds) highest = std::max(highest, theirs);
  posix_spawn_file_actions_addclosefrom_np(&actions_, highest + 1);
  if (!command.working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions_, command.working_directory.c_str());
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes_, &none);
  posix_spawnattr_setsigdefault(&attributes_, &all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (command.new_session) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attributes_, flags);

  program_ = command.argv.at(0);
  if (program_.find('/') != std::string::npos) return;
  std::string path = "/bin:/usr/bin";  // execvp(3)'s default, confstr(_CS_PATH)
  for (const auto& variable : command.env)
    if (variable.starts_with("PATH=")) path = variable.substr(5);
  for (size_t at = 0; at <= path.size();) {
    size_t end = std::min(path.find(':', at), path.size());
    std::string directory = path.substr(at, end - at);
    if (!directory.empty() && directory.back() != '/') directory += '/';
    search_.push_back(directory);  // empty: the working directory, as execvp(3) has it
    at = end + 1;
  }
  size_t longest = 0;
  for (const auto& directory : search_) longest = std::max(longest, directory.size());
  candidate_.resize(longest + program_.size() + 1);
}

PreparedCommand::~PreparedCommand() {
  posix_spawn_file_actions_destroy(&actions_);
  posix_spawnattr_destroy(&attributes_);
}

pid_t PreparedCommand::start() {
  auto spawn_at = [&](const char* path) -> int {
    pid_t pid = -1;
    int error = posix_spawn(&pid, path, &actions_, &attributes_, argv_.data(), envp_.data());
    return error == 0 ? pid : -error;
  };
  if (search_.empty()) return spawn_at(program_.c_str());
  // execvp(3)'s search: the first directory where it starts; one that has the file but may not
  // run it is remembered, and reported only when no later directory does better.
  bool denied = false;
  for (const auto& directory : search_) {
    std::memcpy(candidate_.data(), directory.data(), directory.size());
    std::memcpy(candidate_.data() + directory.size(), program_.c_str(), program_.size() + 1);
    pid_t result = spawn_at(candidate_.data());
    if (result > 0) return result;
    if (result == -EACCES)
      denied = true;
    else if (result != -ENOENT && result != -ENOTDIR)
      return result;
  }
  return denied ? -EACCES : -ENOENT;
}

ChildProcess ChildProcess::adopt(pid_t pid) {
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));  // close-on-exec
  if (!pidfd) {
    SystemError error("open a pidfd for", "PID " + std::to_string(pid));
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    throw error;
  }
  return ChildProcess(pid, std::move(pidfd));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::move(other.pidfd_);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::kill_and_reap() noexcept {
  if (pid_ <= 0) return;
  ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), pidfd_.get(), &info, WEXITED) < 0 &&
         errno == EINTR) {
  }
  pid_ = -1;
  pidfd_.reset();
}

ExitStatus ChildProcess::wait_exit() {
  if (pid_ <= 0) throw Error("wait for a child process that is not running");
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), pidfd_.get(), &info, WEXITED) < 0) {
    if (errno != EINTR) throw SystemError("wait for", "PID " + std::to_string(pid_));
  }
  pid_ = -1;
  pidfd_.reset();
  return exit_status(info);
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{pidfd_.get(), POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(std::max<long>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw SystemError("wait for", "PID " + std::to_string(pid_));
    if (ready == 0) return std::nullopt;
    return wait();
  }
}

int ChildProcess::terminate(std::chrono::milliseconds grace, int signal_number) {
  ::syscall(SYS_pidfd_send_signal, pidfd_.get(), signal_number, nullptr, 0);
  if (auto status = wait_for(grace)) return *status;
  ::syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  return wait();
}

pid_t ChildProcess::detach() {
  pidfd_.reset();
  return std::exchange(pid_, -1);
}

ChildProcess spawn(const CommandSpec& command) {
  PreparedCommand prepared(command);
  pid_t pid = prepared.start();
  if (pid < 0) throw SystemError("start", command.argv.at(0), -pid);
  return ChildProcess::adopt(pid);
}

}  // namespace nettopo
