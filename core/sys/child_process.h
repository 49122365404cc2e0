#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/sys/unique_fd.h"

namespace nettopo {

/// How to start a command: program, environment, stdio, session, descriptors to pass on.
struct CommandSpec {
  /// argv[0] is looked up in the PATH of `env` (/bin:/usr/bin without one) unless it has a /.
  std::vector<std::string> argv;
  std::vector<std::string> env;   ///< "KEY=VALUE", the complete environment
  std::string working_directory;  ///< empty = keep the current one
  std::string output_file;        ///< empty = inherit stdout/stderr; else both appended here
  bool null_stdin = false;        ///< stdin from /dev/null instead of inherited
  bool null_stdout = false;       ///< stdout to /dev/null (stderr stays), unless output_file
  bool new_session = false;       ///< setsid: for programs that outlive nettopo
  /// (descriptor of ours, number it gets in the child): the only descriptors passed on besides
  /// stdio, since everything nettopo opens is close-on-exec.
  std::vector<std::pair<int, int>> pass_fds;
};

/// Everything posix_spawn needs for one command, built up front so that start() neither allocates
/// nor throws and may run in a freshly forked child. argv[0] without a slash is searched in the
/// command's own PATH (not nettopo's), the way execvp(3) would, at start(): so a command started
/// inside a node's mount namespace is found in the node's view of the files.
class PreparedCommand {
 public:
  explicit PreparedCommand(const CommandSpec& command);
  ~PreparedCommand();
  PreparedCommand(const PreparedCommand&) = delete;
  PreparedCommand& operator=(const PreparedCommand&) = delete;

  /// The PID, or -errno. Async-signal-safe.
  pid_t start();

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
  std::string program_;
  std::vector<std::string> search_;  ///< PATH directories, each with a trailing '/'
  std::vector<char> candidate_;      ///< room for the longest DIR/PROGRAM
  std::vector<char*> argv_;
  std::vector<char*> envp_;
  std::vector<std::string> strings_;  ///< owns what argv_ and envp_ point at
  std::vector<UniqueFd> copies_;      ///< high copies of CommandSpec::pass_fds
};

/// How a child ended.
struct ExitStatus {
  int code = 0;    ///< the exit code, when it exited
  int signal = 0;  ///< the signal that ended it, or 0 when it exited
  /// The shell's way to say it: the exit code, or 128 + the signal.
  int shell() const { return signal ? 128 + signal : code; }
};

/// A child process this process started and owns, held by a pidfd so that it can be waited for
/// with poll(2) and signalled without any PID reuse race. The destructor kills (SIGKILL) and reaps
/// a child still running, unless it was detach()ed. Move-only.
class ChildProcess {
 public:
  /// Takes charge of `pid`, a child of this process not yet reaped (so its PID cannot have been
  /// reused). Throws SystemError when no pidfd can be opened; the child is then killed and
  /// reaped, so nothing leaks.
  static ChildProcess adopt(pid_t pid);

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  /// Readable (POLLIN) once the child has exited: for poll(2) over many children.
  int pidfd() const { return pidfd_.get(); }
  bool running() const { return pid_ > 0; }

  /// Waits for the child to exit and reaps it; returns a shell-style status: the exit code, or
  /// 128 + the signal that ended it. Throws SystemError.
  int wait() { return wait_exit().shell(); }
  /// Like wait(), telling an exit apart from death by a signal.
  ExitStatus wait_exit();
  /// Like wait(), but gives up after `timeout`: nullopt while the child still runs.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  /// Sends `signal_number` (SIGTERM by default) and waits `grace` for the exit, then SIGKILL.
  /// Returns the shell-style status.
  int terminate(std::chrono::milliseconds grace, int signal_number = 15);
  /// Gives the child up: it is neither killed nor reaped here. Returns its PID.
  pid_t detach();

 private:
  ChildProcess(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  void kill_and_reap() noexcept;

  pid_t pid_ = -1;
  UniqueFd pidfd_;
};

/// Starts `command` (posix_spawn) and returns the child. Throws SystemError naming argv[0] when
/// it cannot be started ("start ping: No such file or directory").
ChildProcess spawn(const CommandSpec& command);

}  // namespace nettopo
