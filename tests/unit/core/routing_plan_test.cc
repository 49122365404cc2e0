// What a protocol lab adds to the plan and the runtime files: each router's loopbacks on lo,
// in place before lo comes up; the ready steps, after every program started; router names that
// resolve to their loopbacks.

#include <gtest/gtest.h>

#include <algorithm>

#include "core/hosts_file.h"
#include "core/lab_plan.h"
#include "core/plan_executor.h"
#include "tests/unit/core/fake_kernel.h"
#include "topology/loader.h"

namespace nettopo {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kOspfLine = R"(
name = "line"
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[routing.ospf]
[nodes.h1]
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "bird"
ready = ["echo mine"]
[[links]]
endpoints = ["h1", "r1"]
[[links]]
endpoints = ["r1", "r2"]
)";

topology::Lab load(std::string_view text) {
  auto loaded = topology::load_lab_string(text, "/tmp/line.toml");
  if (!loaded.lab) {
    for (const auto& diagnostic : loaded.diagnostics.all()) ADD_FAILURE() << diagnostic.to_string();
    return {};
  }
  return std::move(*loaded.lab);
}

Strings operations_of(const topology::Lab& lab) {
  LabPlan plan = make_plan(lab);
  testing::FakeKernel kernel(plan);
  execute_plan(plan, kernel);
  EXPECT_EQ(plan.describe(), kernel.described());  // --dry-run says the same
  return kernel.operations();
}

// The position of the first operation starting with `prefix`, or -1.
long position(const Strings& operations, const std::string& prefix) {
  auto found = std::find_if(operations.begin(), operations.end(),
                            [&](const std::string& op) { return op.starts_with(prefix); });
  return found == operations.end() ? -1 : found - operations.begin();
}

std::string joined(const Strings& operations) {
  std::string text;
  for (const auto& operation : operations) text += operation + "\n";
  return text;
}

TEST(RoutingPlan, LoopbacksGoOnLoBeforeLoComesUp) {
  Strings ops = operations_of(load(kOspfLine));
  for (auto [node, v4, v6] : {std::tuple{"r1", "10.255.0.1/32", "fd00:255::1/128"},
                              std::tuple{"r2", "10.255.0.2/32", "fd00:255::2/128"}}) {
    std::string prefix = std::string(node) + ": ";
    long address4 = position(ops, prefix + "lo address " + v4);
    long address6 = position(ops, prefix + "lo address " + v6);
    long up = position(ops, prefix + "lo up");
    ASSERT_GE(address4, 0) << node << "\n" << joined(ops);
    ASSERT_GE(address6, 0) << node << "\n" << joined(ops);
    ASSERT_GE(up, 0) << node << "\n" << joined(ops);
    EXPECT_LT(address4, address6);
    EXPECT_LT(address6, up);
  }
  // A host has no loopback address beyond the kernel's own.
  EXPECT_EQ(position(ops, "h1: lo address"), -1) << joined(ops);
  EXPECT_GE(position(ops, "h1: lo up"), 0);
}

TEST(RoutingPlan, ReadyStepsComeAfterEveryProgramStarted) {
  Strings ops = operations_of(load(kOspfLine));
  long last_program = -1;
  long first_ready = -1;
  Strings ready;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].find(": start program ") != std::string::npos) last_program = long(i);
    if (ops[i].find(": ready step ") != std::string::npos) {
      if (first_ready < 0) first_ready = long(i);
      ready.push_back(ops[i].substr(0, ops[i].find(':', 4)));
    }
  }
  ASSERT_GE(last_program, 0) << joined(ops);
  ASSERT_GE(first_ready, 0) << joined(ops);
  EXPECT_LT(last_program, first_ready) << joined(ops);
  // The daemon's own ready step first, then the node's; and `up` waits for all of them.
  EXPECT_EQ(ready, (Strings{"r1: ready step 1", "r2: ready step 1", "r2: ready step 2"}));
  EXPECT_GE(position(ops, "r2: ready step 2: echo mine"), 0) << joined(ops);
  EXPECT_EQ(ops.back(), "wait EXEC");
}

TEST(RoutingPlan, NoReadyStepsNoWaitForThem) {
  Strings ops = operations_of(load(R"(
[nodes.a]
run = ["sleep 1000"]
)"));
  EXPECT_EQ(position(ops, "a: ready step"), -1);
  EXPECT_EQ(ops.back(), "a: start program 1: sleep 1000");
}

// Generated files are copied like the user's, and --dry-run says they are generated.
TEST(RoutingPlan, GeneratedFilesAreNamedAsSuch) {
  Strings ops = operations_of(load(kOspfLine));
  EXPECT_GE(position(ops, "r1: file /etc/frr/frr.conf from (written by nettopo)"), 0)
      << joined(ops);
  EXPECT_GE(position(ops, "r2: file /etc/bird/bird.conf from (written by nettopo)"), 0)
      << joined(ops);
}

TEST(RoutingHostsFile, ARoutersNameIsItsLoopback) {
  topology::Lab lab = load(kOspfLine);
  std::string hosts = make_hosts_file(lab);
  EXPECT_NE(hosts.find("10.255.0.1\tr1\nfd00:255::1\tr1\n"), std::string::npos) << hosts;
  EXPECT_NE(hosts.find("10.255.0.2\tr2\nfd00:255::2\tr2\n"), std::string::npos) << hosts;
  // Its interfaces keep their names, and a host's name stays its first address.
  EXPECT_NE(hosts.find("10.10.0.2\tr1-eth0\n"), std::string::npos) << hosts;
  EXPECT_EQ(hosts.find("10.10.0.2\tr1\n"), std::string::npos) << hosts;
  EXPECT_NE(hosts.find("10.10.0.1\th1\n"), std::string::npos) << hosts;
}

}  // namespace
}  // namespace nettopo
