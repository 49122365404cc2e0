#include "core/plan_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/lab_plan.h"
#include "core/sys/error.h"
#include "tests/unit/core/fake_kernel.h"
#include "tests/unit/core/test_labs.h"
#include "topology/loader.h"

namespace nettopo {
namespace {

std::vector<std::string> operations_of(const topology::Lab& lab) {
  LabPlan plan = make_plan(lab);
  testing::FakeKernel kernel(plan);
  execute_plan(plan, kernel);
  return kernel.operations();
}

TEST(PlanExecutor, SmallLabInTheKernelsOrder) {
  auto lab = testing::small_lab();
  lab.nodes[0].exec = {"echo one", "echo two"};
  lab.nodes[2].exec = {"echo three"};
  lab.nodes[1].run = {"sleep infinity"};
  lab.nodes[1].dirs = {"/etc/frr"};
  lab.links[0].impairments.delay_us = 5000;
  lab.links[0].impairments.rate_bits_per_second = 8000;
  EXPECT_EQ(
      operations_of(lab),
      (std::vector<std::string>{
          std::string("lab small: write runtime files (model, ") + "hosts file, log directories)",
          "h1: new namespaces: net uts mnt pid ipc; init as PID 1",
          "r1: new namespaces: net uts mnt pid ipc; init as PID 1",
          "r1: private directory /etc/frr",
          "h2: new namespaces: net uts mnt pid ipc; init as PID 1",
          "lan: new network namespace (bridge holder)",
          "wait NAMESPACES",
          "h1: name network namespace /run/netns/small-h1",
          "r1: name network namespace /run/netns/small-r1",
          "h2: name network namespace /run/netns/small-h2",
          "lan: name network namespace /run/netns/small-lan",
          "h1: sysctl net.ipv6.conf.all.accept_dad=0",
          "h1: sysctl net.ipv6.conf.default.accept_dad=0",
          "r1: sysctl net.ipv6.conf.all.accept_dad=0",
          "r1: sysctl net.ipv6.conf.default.accept_dad=0",
          "h2: sysctl net.ipv6.conf.all.accept_dad=0",
          "h2: sysctl net.ipv6.conf.default.accept_dad=0",
          "lan: sysctl net.ipv6.conf.all.accept_dad=0",
          "lan: sysctl net.ipv6.conf.default.accept_dad=0",
          "r1: sysctl net.ipv4.ip_forward=1",
          "r1: sysctl net.ipv6.conf.all.forwarding=1",
          "lan: create bridge lan ifindex 2",
          "wait NETLINK",
          std::string("h1: create veth eth0 (ifindex 2) <-> ") + "r1:eth0 (ifindex 2) mtu 1400",
          "r1: create veth eth1 (ifindex 3) <-> lan:r1-eth1 (ifindex 3)",
          "h2: create veth eth0 (ifindex 2) <-> lan:h2-eth0 (ifindex 4)",
          "wait NETLINK",
          "h1: eth0 address 10.0.0.1/30",
          "h1: eth0 up",
          "h1: lo up",
          "r1: eth0 address 10.0.0.2/30",
          "r1: eth0 up",
          "r1: eth1 address 10.1.0.1/24",
          "r1: eth1 up",
          "r1: lo up",
          "h2: eth0 address 10.1.0.2/24",
          "h2: eth0 up",
          "h2: lo up",
          "lan: r1-eth1 master lan",
          "lan: r1-eth1 up",
          "lan: h2-eth0 master lan",
          "lan: h2-eth0 up",
          "lan: lan up",
          "lan: lo up",
          "wait NETLINK",
          "h1: route 0.0.0.0/0 via 10.0.0.2",
          "wait NETLINK",
          "h1: eth0 netem delay 5000us jitter 0us loss 0.000000%",
          "h1: eth0 tbf rate 8000bit under netem",
          "r1: eth0 netem delay 5000us jitter 0us loss 0.000000%",
          "r1: eth0 tbf rate 8000bit under netem",
          "h2: eth0 tbf rate 10000000bit",
          "lan: h2-eth0 tbf rate 10000000bit",
          "wait NETLINK",
          "wait NAMES",
          "h1: exec step 1: echo one",
          "h1: exec step 2: echo two",
          "h2: exec step 1: echo three",
          "wait EXEC",
          "r1: start program 1: sleep infinity",
      }));
}

TEST(PlanExecutor, LossFiltersComeOnceTheLinksAreUp) {
  auto lab = testing::small_lab();
  lab.links[0].impairments.loss_percent = 20;
  auto operations = operations_of(lab);  // the fake kernel refuses a filter on a link not made
  auto routes = std::find(operations.begin(), operations.end(), "h1: route 0.0.0.0/0 via 10.0.0.2");
  ASSERT_NE(routes, operations.end());
  EXPECT_EQ(std::vector<std::string>(routes + 1, routes + 6),
            (std::vector<std::string>{
                "wait NETLINK",
                std::string("h1: eth0 clsact, ingress BPF filter 'nettopo loss 20%' ") +
                    "(drops that much of what r1:eth0 sends)",
                std::string("r1: eth0 clsact, ingress BPF filter 'nettopo loss 20%' ") +
                    "(drops that much of what h1:eth0 sends)",
                "h2: eth0 tbf rate 10000000bit",
                "lan: h2-eth0 tbf rate 10000000bit",
            }));
}

TEST(PlanExecutor, AFailingStepEndsTheWalk) {
  LabPlan plan = make_plan(testing::small_lab());
  testing::FakeKernel kernel(plan);
  kernel.fail_at("r1: eth0 address");
  try {
    execute_plan(plan, kernel);
    FAIL() << "the walk went on";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "fake kernel: r1: eth0 address 10.0.0.2/30: refused");
  }
  EXPECT_EQ(kernel.operations().back(), "r1: eth0 address 10.0.0.2/30");
}

TEST(PlanExecutor, PhasesAreAnnouncedAndCheckedBetween) {
  LabPlan plan = make_plan(testing::small_lab());
  testing::FakeKernel kernel(plan);
  std::vector<std::string> phases;
  size_t checks = 0;
  PhaseHooks hooks;
  hooks.check = [&] { ++checks; };
  hooks.on_phase = [&](const std::string& phase) { phases.push_back(phase); };
  execute_plan(plan, kernel, hooks);
  EXPECT_EQ(phases, (std::vector<std::string>{"writing runtime files", "creating 4 namespaces",
                                              "creating links, addresses and routes",
                                              "running exec steps", "starting programs"}));
  EXPECT_EQ(checks, phases.size() + 1);
}

TEST(PlanExecutor, AnInterruptStopsBeforeTheNextPhase) {
  LabPlan plan = make_plan(testing::small_lab());
  testing::FakeKernel kernel(plan);
  size_t checks = 0;
  PhaseHooks hooks;
  hooks.check = [&] {
    if (++checks == 3) throw Error("interrupted");
  };
  EXPECT_THROW(execute_plan(plan, kernel, hooks), Error);
  EXPECT_EQ(kernel.operations().back(), "wait NAMESPACES");
}

std::vector<std::filesystem::path> lab_files() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {NETTOPO_EXAMPLES_DIR, NETTOPO_TEST_DATA_DIR "/labs"})
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class LabFile : public ::testing::TestWithParam<std::filesystem::path> {};

// `up --dry-run` prints exactly what `up` asks of the kernel, in its order, and that order is
// one the kernel accepts (the fake refuses a link used before it exists, and the like).
TEST_P(LabFile, DryRunIsWhatTheExecutorDoes) {
  auto loaded = topology::load_lab_file(GetParam().string());
  ASSERT_TRUE(loaded.lab) << GetParam();
  LabPlan plan = make_plan(*loaded.lab);
  testing::FakeKernel kernel(plan);
  execute_plan(plan, kernel);
  EXPECT_EQ(plan.describe(), kernel.described());
  std::string joined;
  for (const auto& operation : kernel.operations())
    if (!operation.starts_with("wait ")) joined += operation + "\n";
  EXPECT_EQ(joined, plan.describe());
}

std::string test_name(const ::testing::TestParamInfo<std::filesystem::path>& param) {
  std::string name = param.param.stem().string();
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(EveryLab, LabFile, ::testing::ValuesIn(lab_files()), test_name);

}  // namespace
}  // namespace nettopo
