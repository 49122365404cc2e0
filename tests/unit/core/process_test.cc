#include <gtest/gtest.h>
#include <unistd.h>

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
