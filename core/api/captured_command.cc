#include "core/api/captured_command.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "core/node_command.h"
#include "core/running_lab.h"
#include "core/sys/error.h"
#include "core/sys/unique_fd.h"

namespace nettopo::api {
namespace {

struct Pipe {
  UniqueFd read, write;
};

Pipe make_pipe(const std::string& what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw SystemError("create pipe", what);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Appends what `fd` holds now; closes it at end of file. With `drain` the fd is non-blocking and
// reading stops when it is empty: the command has exited, and a background job that inherited
// the pipe may keep it open for as long as it likes.
void read_available(UniqueFd& fd, std::string& into, bool drain) {
  char buffer[16384];
  while (fd) {
    ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno == EAGAIN) return;
    if (got <= 0) {
      fd.reset();
      return;
    }
    into.append(buffer, static_cast<size_t>(got));
    if (!drain) return;
  }
}

}  // namespace

ExecResult run_captured(const RunningLab& lab, const std::string& node,
                        const std::vector<std::string>& argv, const ExecOptions& options) {
  ExecResult result;
  std::string what = "for the output of " + (argv.empty() ? std::string("?") : argv[0]);
  Pipe out = make_pipe(what), err = make_pipe(what);
  CommandSpec command;
  command.argv = argv;
  command.null_stdin = true;
  command.pass_fds = {{out.write.get(), 1}, {err.write.get(), 2}};
  ChildProcess child;
  try {
    child = start_in_node(lab, node, std::move(command), options.inherit_environment);
  } catch (const ExitStatusError& failure) {
    // Not found or not executable: a shell's answer, not an API failure.
    result.status = failure.status();
    result.err = std::string(failure.what()) + "\n";
    return result;
  }
  // Only the command holds the write ends now, so its exit (with its jobs') ends the pipes.
  out.write.reset();
  err.write.reset();

  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool exited = false;
  while (!exited) {
    int wait_ms = -1;
    if (options.timeout.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        break;
      }
      wait_ms = static_cast<int>(std::min<long long>(left.count() + 1, 1000LL * 3600));
    }
    pollfd fds[3] = {{child.pidfd(), POLLIN, 0},
                     {out.read ? out.read.get() : -1, POLLIN, 0},
                     {err.read ? err.read.get() : -1, POLLIN, 0}};
    int ready = ::poll(fds, 3, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw SystemError("poll", "the output of " + argv[0]);
    if (fds[1].revents) read_available(out.read, result.out, false);
    if (fds[2].revents) read_available(err.read, result.err, false);
    exited = fds[0].revents != 0;
  }
  if (result.timed_out) {
    // SIGKILL at once: a command that overran its limit gets no grace. What it started in the
    // node lives on until down, as after `nettopo exec`.
    result.status = child.terminate(std::chrono::milliseconds(0), SIGKILL);
  } else {
    result.status = child.wait();
  }
  for (UniqueFd* fd : {&out.read, &err.read}) {
    if (*fd && ::fcntl(fd->get(), F_SETFL, O_NONBLOCK) != 0) fd->reset();
  }
  read_available(out.read, result.out, true);
  read_available(err.read, result.err, true);
  return result;
}

}  // namespace nettopo::api
