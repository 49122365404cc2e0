// [[checks]], [[steps]] and [collect] as the model holds them, and through the lab JSON.

#include <gtest/gtest.h>

#include "topology/lab_json.h"
#include "topology/loader.h"

namespace nettopo::topology {
namespace {

const char* kLab = R"(
[nodes.h1]
[nodes.h2]
[[links]]
endpoints = ["h1", "h2"]
[[checks]]
node = "*"
ping = "h2"
within = "2s"
[[checks]]
name = "web"
node = ["h1"]
run = "curl -sf http://h2/"
expect = "Hello"
initially = false
[[steps]]
link = "h1:eth0"
state = "down"
rate = "1mbit"
[[steps]]
node = "h2"
run = "iperf3 -s"
background = true
[[steps]]
wait = "500ms"
[[steps]]
check = "*"
[collect]
files = { h1 = "/etc/hosts" }
commands = { "*" = ["ip route"] }
)";

TEST(ExperimentParser, ReadsChecksStepsAndCollect) {
  auto result = load_lab_string(kLab, "x.toml");
  ASSERT_TRUE(result.lab) << (result.diagnostics.all().empty()
                                  ? ""
                                  : result.diagnostics.all().front().to_string());
  const Lab& lab = *result.lab;
  ASSERT_EQ(lab.checks.size(), 2u);
  EXPECT_EQ(lab.checks[0].name, "ping h2");
  EXPECT_EQ(lab.checks[0].nodes, (std::vector<std::string>{"h1", "h2"}));
  EXPECT_EQ(lab.checks[0].run, "ping -c 1 -W 1 h2");
  EXPECT_EQ(lab.checks[0].within_us, 2000000u);
  EXPECT_TRUE(lab.checks[0].initially);
  EXPECT_EQ(lab.checks[1].expect, "Hello");
  EXPECT_FALSE(lab.checks[1].initially);
  EXPECT_FALSE(lab.checks[1].within_us);

  ASSERT_EQ(lab.steps.size(), 4u);
  EXPECT_EQ(lab.steps[0].kind, Step::Kind::Link);
  EXPECT_EQ(lab.steps[0].name, "h1:eth0 down rate 1mbit");
  EXPECT_EQ(lab.steps[0].up, false);
  EXPECT_EQ(lab.steps[0].rate, "1mbit");
  EXPECT_EQ(lab.steps[1].kind, Step::Kind::Run);
  EXPECT_TRUE(lab.steps[1].background);
  EXPECT_EQ(lab.steps[1].name, "h2: iperf3 -s");
  EXPECT_EQ(lab.steps[2].wait_us, 500000u);
  EXPECT_EQ(lab.steps[3].checks, (std::vector<std::string>{"ping h2", "web"}));

  EXPECT_EQ(lab.collect.files,
            (std::vector<std::pair<std::string, std::string>>{{"h1", "/etc/hosts"}}));
  EXPECT_EQ(lab.collect.commands.size(), 2u);
}

TEST(ExperimentParser, SurvivesTheLabJson) {
  auto result = load_lab_string(kLab, "x.toml");
  ASSERT_TRUE(result.lab);
  EXPECT_EQ(lab_from_json(to_json(*result.lab)), *result.lab);
}

}  // namespace
}  // namespace nettopo::topology
