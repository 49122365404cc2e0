#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "core/node_command.h"
#include "core/process_ref.h"
#include "core/sys/error.h"

namespace nettopo {
namespace {

TEST(ProcessRef, KnowsThisProcessAndOpensItsPidfd) {
  auto self = ProcessRef::of(::getpid());
  ASSERT_TRUE(self.has_value());
  EXPECT_GT(self->start_time, 0u);
  EXPECT_TRUE(self->alive());
  EXPECT_TRUE(self->open_pidfd().valid());
}

TEST(ProcessRef, AReusedPidIsNotTheSameProcess) {
  auto self = *ProcessRef::of(::getpid());
  ProcessRef impostor{self.pid, self.start_time + 1};
  EXPECT_FALSE(impostor.alive());
  EXPECT_FALSE(impostor.open_pidfd().valid());
}

// A process that exits while its /proc entry is read is an expected outcome, not an exception
// ("basic_filebuf::underflow ... No such process" once made `down` fail at random).
TEST(ProcFile, AProcessThatVanishedReadsAsNothing) {
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  std::string path = "/proc/" + std::to_string(child) + "/status";
  UniqueFd open_before(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(open_before.valid());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_FALSE(read_to_end(open_before).has_value());
  EXPECT_FALSE(read_proc_file(path).has_value());
  auto self = read_proc_file("/proc/self/status");
  ASSERT_TRUE(self.has_value());
  EXPECT_NE(self->find("Pid:"), std::string::npos);
}

// Nothing but stdin, stdout and stderr reaches a command: a caller's pipe held by a node's
// program would never see its end of file.
TEST(SpawnCommand, PassesOnlyTheStandardFds) {
  int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, like a caller's pipe
  ASSERT_GE(leaked, 3);
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", "test -e /proc/self/fd/" + std::to_string(leaked)};
  int status = spawn(command).wait();
  ::close(leaked);
  EXPECT_NE(status, 0) << "fd " << leaked << " reached the command";
}

TEST(NodeEnvironment, NodeEnvOverridesAndNamesTheNode) {
  auto env = node_environment("lab", "r1", {{"ROLE", "core"}, {"PATH", "/opt/bin"}}, false);
  auto has = [&](const std::string& entry) {
    return std::find(env.begin(), env.end(), entry) != env.end();
  };
  EXPECT_TRUE(has("ROLE=core"));
  EXPECT_TRUE(has("PATH=/opt/bin"));
  EXPECT_TRUE(has("NETTOPO_NODE=r1"));
  EXPECT_TRUE(has("NETTOPO_LAB=lab"));
  EXPECT_EQ(std::count_if(env.begin(), env.end(),
                          [](const std::string& e) { return e.rfind("PATH=", 0) == 0; }),
            1);
}

}  // namespace
}  // namespace nettopo
