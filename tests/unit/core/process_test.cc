#include <gtest/gtest.h>
#include <unistd.h>

#include "core/node_entry.h"
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

TEST(SpawnCommand, ReportsExitStatus) {
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", "exit 7"};
  command.env = {"PATH=/usr/bin:/bin"};
  EXPECT_EQ(wait_for_exit(spawn_command(command)), 7);
  command.argv = {"true"};
  EXPECT_EQ(wait_for_exit(spawn_command(command)), 0);
}

TEST(SpawnCommand, SignalDeathIs128PlusSignal) {
  CommandSpec command;
  command.argv = {"/bin/sh", "-c", "kill -9 $$"};
  EXPECT_EQ(wait_for_exit(spawn_command(command)), 128 + 9);
}

TEST(SpawnCommand, MissingProgramNamesIt) {
  CommandSpec command;
  command.argv = {"nettopo-no-such-program"};
  command.env = {"PATH=/usr/bin:/bin"};
  try {
    spawn_command(command);
    FAIL() << "a missing program started";
  } catch (const SystemError& error) {
    EXPECT_EQ(std::string(error.what()),
              "start nettopo-no-such-program: No such file or directory");
  }
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
