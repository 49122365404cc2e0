#include "core/sys/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/sys/error.h"

namespace nettopo {
namespace {

using namespace std::chrono_literals;

CommandSpec shell(const std::string& line) {
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", line};
  command.env = {"PATH=/usr/bin:/bin"};
  return command;
}

bool exists(pid_t pid) { return ::kill(pid, 0) == 0; }

TEST(ChildProcess, TrueExitsZero) {
  CommandSpec command;
  command.argv = {"/bin/true"};
  ChildProcess child = spawn(command);
  EXPECT_TRUE(child.running());
  EXPECT_GT(child.pidfd(), 2);
  EXPECT_EQ(child.wait(), 0);
  EXPECT_FALSE(child.running());
}

TEST(ChildProcess, ReportsExitStatus) { EXPECT_EQ(spawn(shell("exit 7")).wait(), 7); }

TEST(ChildProcess, SignalDeathIs128PlusSignal) {
  EXPECT_EQ(spawn(shell("kill -9 $$")).wait(), 128 + 9);
}

TEST(ChildProcess, SearchesTheCommandsOwnPath) {
  // nettopo's own PATH would not find it: only the command's PATH names the directory.
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", "/nonexistent", 1);
  CommandSpec command;
  command.argv = {"true"};
  command.env = {"PATH=/nonexistent:/usr/bin:/bin"};
  int status = spawn(command).wait();
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(status, 0);
}

TEST(ChildProcess, LeavesTheProcessPathAlone) {
  std::string before = std::getenv("PATH") ? std::getenv("PATH") : "";
  CommandSpec command;
  command.argv = {"true"};
  command.env = {"PATH=/usr/bin:/bin"};
  spawn(command).wait();
  EXPECT_EQ(std::getenv("PATH") ? std::getenv("PATH") : "", before);
}

TEST(ChildProcess, MissingProgramNamesIt) {
  CommandSpec command;
  command.argv = {"nettopo-no-such-program"};
  command.env = {"PATH=/usr/bin:/bin"};
  try {
    spawn(command);
    FAIL() << "a missing program started";
  } catch (const SystemError& error) {
    EXPECT_EQ(std::string(error.what()),
              "start nettopo-no-such-program: No such file or directory");
  }
}

TEST(ChildProcess, OutputFileGetsStdoutAndStderr) {
  char path[] = "/tmp/nettopo-child-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  CommandSpec command = shell("echo out; echo err >&2");
  command.output_file = path;
  command.null_stdin = true;
  EXPECT_EQ(spawn(command).wait(), 0);
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ::unlink(path);
  EXPECT_EQ(text, "out\nerr\n");
}

TEST(ChildProcess, PassesDescriptorsUnderTheirNewNumbers) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  // Both the swap and the close-on-exec source are handled: the child writes to fd 4.
  CommandSpec command = shell("echo hi >&4");
  command.pass_fds = {{pipe_fds[1], 4}};
  EXPECT_EQ(spawn(command).wait(), 0);
  ::close(pipe_fds[1]);
  char buffer[8] = {};
  EXPECT_EQ(::read(pipe_fds[0], buffer, sizeof buffer), 3);
  ::close(pipe_fds[0]);
  EXPECT_STREQ(buffer, "hi\n");
}

TEST(ChildProcess, WaitForGivesUpOnARunningChild) {
  ChildProcess child = spawn(shell("exec sleep 10"));
  EXPECT_EQ(child.wait_for(20ms), std::nullopt);
  EXPECT_EQ(child.terminate(1s), 128 + SIGTERM);
}

TEST(ChildProcess, DestructorKillsAndReaps) {
  pid_t pid;
  {
    ChildProcess child = spawn(shell("exec sleep 10"));
    pid = child.pid();
    EXPECT_TRUE(exists(pid));
  }
  EXPECT_FALSE(exists(pid));  // reaped, so not even a zombie is left
}

TEST(ChildProcess, DetachLeavesItRunning) {
  pid_t pid;
  {
    ChildProcess child = spawn(shell("exec sleep 10"));
    pid = child.detach();
    EXPECT_FALSE(child.running());
  }
  EXPECT_TRUE(exists(pid));
  ChildProcess again = ChildProcess::adopt(pid);
  EXPECT_EQ(again.terminate(1s), 128 + SIGTERM);
}

TEST(ChildProcess, MovedFromOwnsNothing) {
  ChildProcess first = spawn(shell("exit 3"));
  ChildProcess second = std::move(first);
  EXPECT_FALSE(first.running());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(second.wait(), 3);
}

}  // namespace
}  // namespace nettopo
