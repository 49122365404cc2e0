// The C++ API on a real lab, as root: up, exec, links, checks, down, and nothing left behind
// when a test fails or throws. Run by hand: sudo
// build/tests/integration/api/nettopo_integration_api

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/runtime_dir.h"
#include "nettopo/lab.h"
#include "nettopo/testing.h"

namespace nettopo::api {
namespace {

namespace fs = std::filesystem;

// h1 - r1 - h2, addresses and routes computed, with one check that holds once the lab is up.
constexpr const char* kRouted = R"(
name = "routed"

[addressing]
ipv4 = "10.20.0.0/16"

[routing]
static = true

[nodes.h1]
[nodes.r1]
forward = true
[nodes.h2]

[[links]]
endpoints = ["h1:eth0", "r1:left"]
[[links]]
endpoints = ["r1:right", "h2:eth0"]

[[checks]]
name = "h1 reaches h2"
node = "h1"
ping = "h2"
within = "5s"
)";

// What lab `name` still has on this host: its runtime directory and its /run/netns names.
std::vector<std::string> traces_of(const std::string& name) {
  std::vector<std::string> traces;
  if (RuntimeDir(name).exists()) traces.push_back("runtime directory of " + name);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/run/netns", error))
    if (entry.path().filename().string().starts_with(name + "-"))
      traces.push_back(entry.path().string());
  return traces;
}

class Routed : public testing::LabSuite<Routed> {
 public:
  static LabFile lab_file() { return LabFile::parse(kRouted); }
};

TEST_F(Routed, RunsUnderAUniqueName) {
  EXPECT_TRUE(lab().name().starts_with("routed-" + std::to_string(::getpid()) + "-"));
  EXPECT_TRUE(lab().is_up());
  EXPECT_TRUE(fs::exists("/run/netns/" + lab().name() + "-h1"));
}

TEST_F(Routed, ExecCapturesStatusAndBothOutputs) {
  ExecResult result = lab().sh("h1", "echo to-out; echo to-err >&2; hostname; exit 3");
  EXPECT_EQ(result.status, 3);
  EXPECT_EQ(result.out, "to-out\nh1\n");
  EXPECT_EQ(result.err, "to-err\n");
  EXPECT_FALSE(result.timed_out);
  EXPECT_FALSE(result.ok());
}

TEST_F(Routed, ExecPingsAcrossTheRouter) {
  ExecResult ping = lab().exec("h1", {"ping", "-c1", "-W5", "h2"});
  EXPECT_TRUE(ping.ok()) << ping.out << ping.err;
}

TEST_F(Routed, ExecReportsAMissingProgramAsAShellWould) {
  ExecResult result = lab().exec("h1", {"no-such-program-here"});
  EXPECT_EQ(result.status, 127);
  EXPECT_NE(result.err.find("no-such-program-here"), std::string::npos) << result.err;
}

TEST_F(Routed, ExecDoesNotWaitForBackgroundJobs) {
  ExecResult result = lab().sh("h2", "sleep 30 & echo started");
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, "started\n");
}

TEST_F(Routed, ExecStopsAtItsTimeout) {
  ExecOptions options;
  options.timeout = std::chrono::milliseconds(200);
  auto started = std::chrono::steady_clock::now();
  ExecResult result = lab().exec("h1", {"sleep", "30"}, options);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.status, 137);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(Routed, ExecInAnUnknownNodeThrows) {
  try {
    lab().exec("h9", {"true"});
    FAIL() << "no exception";
  } catch (const Error& failure) {
    EXPECT_EQ(std::string(failure.what()), "lab " + lab().name() + " has no node or bridge h9");
    EXPECT_EQ(failure.exit_code(), 2);
  }
}

TEST_F(Routed, ChecksPass) {
  CheckReport report = lab().check();
  ASSERT_EQ(report.runs.size(), 1u);
  EXPECT_TRUE(report.passed()) << report.describe();
  EXPECT_EQ(report.runs[0].check, "h1 reaches h2");
  EXPECT_EQ(report.runs[0].node, "h1");
}

TEST_F(Routed, LinkDownCutsThePathAndUpRestoresIt) {
  lab().set_link("r1:right", {.up = false});
  ExecResult cut = lab().exec("h1", {"ping", "-c1", "-W1", "h2"});
  lab().set_link("r1:right", {.up = true});
  EXPECT_NE(cut.status, 0) << cut.out;
  CheckReport report = lab().check();  // retried within 5 s while the link comes back
  EXPECT_TRUE(report.passed()) << report.describe();
}

TEST_F(Routed, LinkChangeOfAnUnknownEndpointThrows) {
  try {
    lab().set_link("r1:nowhere", {.up = false});
    FAIL() << "no exception";
  } catch (const Error& failure) {
    EXPECT_EQ(failure.exit_code(), 2) << failure.what();
  }
}

TEST(Lab, UpOfARunningLabsNameThrowsAndLeavesTheRunningOneAlone) {
  if (auto why = testing::why_no_labs(); !why.empty()) GTEST_SKIP() << why;
  LabFile file = LabFile::parse(kRouted).with_name(unique_lab_name("twice"));
  Lab first = Lab::up(file);
  try {
    Lab second = Lab::up(file);
    FAIL() << "no exception";
  } catch (const Error& failure) {
    EXPECT_EQ(failure.exit_code(), 2) << failure.what();
  }
  EXPECT_TRUE(first.exec("h1", {"true"}).ok());
}

TEST(Lab, DownIsIdempotentAndLeavesNothing) {
  if (auto why = testing::why_no_labs(); !why.empty()) GTEST_SKIP() << why;
  Lab lab = Lab::up(LabFile::parse(kRouted).with_name(unique_lab_name("down")));
  std::string name = lab.name();
  EXPECT_FALSE(traces_of(name).empty());
  lab.down();
  EXPECT_FALSE(lab.is_up());
  EXPECT_EQ(traces_of(name), std::vector<std::string>{});
  lab.down();
  EXPECT_THROW(lab.exec("h1", {"true"}), Error);
}

TEST(Lab, ALabLeftByAThrowingTestIsGone) {
  if (auto why = testing::why_no_labs(); !why.empty()) GTEST_SKIP() << why;
  std::string name = unique_lab_name("thrown");
  try {
    Lab lab = Lab::up(LabFile::parse(kRouted).with_name(name));
    ASSERT_FALSE(traces_of(name).empty());
    throw std::runtime_error("the test went wrong");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(traces_of(name), std::vector<std::string>{});
}

TEST(Lab, MovingHandsTheLabOver) {
  if (auto why = testing::why_no_labs(); !why.empty()) GTEST_SKIP() << why;
  std::string first_name, second_name;
  {
    Lab first = Lab::up(LabFile::parse(kRouted).with_name(unique_lab_name("moved")));
    Lab second = Lab::up(LabFile::parse(kRouted).with_name(unique_lab_name("moved")));
    first_name = first.name();
    second_name = second.name();
    first = std::move(second);  // takes the first lab down
    EXPECT_EQ(traces_of(first_name), std::vector<std::string>{});
    EXPECT_EQ(first.name(), second_name);
    EXPECT_TRUE(first.exec("h1", {"true"}).ok());
  }
  EXPECT_EQ(traces_of(second_name), std::vector<std::string>{});
}

// Runs this test binary again with `arguments` (as user nobody when `as_nobody`), and returns
// its exit status and output.
std::pair<int, std::string> run_self(const std::string& arguments, bool as_nobody = false) {
  std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string command = (as_nobody ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "") +
                        self + " " + arguments + " 2>&1";
  FILE* child = ::popen(command.c_str(), "r");
  if (!child) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  while (size_t got = std::fread(buffer, 1, sizeof buffer, child)) output.append(buffer, got);
  return {::pclose(child), output};
}

// A fresh lab for each test. The DISABLED_ tests fail on purpose: FailingTestsLeaveNothing runs
// them in a child process.
class PerTest : public testing::LabTest<PerTest> {
 public:
  static LabFile lab_file() { return LabFile::parse(kRouted).with_name("pertest"); }
  void SetUp() override {
    testing::LabTest<PerTest>::SetUp();
    if (!HasFatalFailure() && !IsSkipped()) std::cout << "lab: " << lab().name() << std::endl;
  }
};

TEST_F(PerTest, GetsItsOwnLab) {
  EXPECT_TRUE(lab().name().starts_with("pertest-"));
  EXPECT_TRUE(lab().exec("h2", {"true"}).ok());
}

TEST_F(PerTest, DISABLED_FailsOnPurpose) { ASSERT_TRUE(false) << "failing on purpose"; }

TEST_F(PerTest, DISABLED_ThrowsOnPurpose) { throw std::runtime_error("throwing on purpose"); }

TEST(Fixture, FailingTestsLeaveNothing) {
  if (auto why = testing::why_no_labs(); !why.empty()) GTEST_SKIP() << why;
  auto [status, output] =
      run_self("--gtest_also_run_disabled_tests --gtest_filter='PerTest.DISABLED_*'");
  EXPECT_NE(status, 0) << output;
  EXPECT_NE(output.find("failing on purpose"), std::string::npos) << output;
  EXPECT_NE(output.find("throwing on purpose"), std::string::npos) << output;
  std::vector<std::string> labs;
  for (size_t at = output.find("lab: "); at != std::string::npos; at = output.find("lab: ", at)) {
    at += 5;
    labs.push_back(output.substr(at, output.find('\n', at) - at));
  }
  EXPECT_EQ(labs.size(), 2u) << output;
  for (const auto& name : labs) EXPECT_EQ(traces_of(name), std::vector<std::string>{}) << name;
}

TEST(Lab, DISABLED_UpRefusesWithoutRoot) {
  try {
    Lab::up(LabFile::parse(kRouted).with_name(unique_lab_name("noroot")));
    FAIL() << "no exception";
  } catch (const Error& failure) {
    EXPECT_EQ(failure.exit_code(), 2);
    EXPECT_NE(std::string(failure.what()).find("needs root"), std::string::npos) << failure.what();
  }
}

TEST(Fixture, SkipsSayingWhyWhenNotRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become another user";
  auto [status, output] = run_self(
      "--gtest_also_run_disabled_tests "
      "--gtest_filter='Routed.RunsUnderAUniqueName:PerTest.GetsItsOwnLab:Lab.DISABLED_*'",
      /*as_nobody=*/true);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("[  SKIPPED ] 2 tests"), std::string::npos) << output;
  EXPECT_NE(output.find("bringing a lab up needs root"), std::string::npos) << output;
  EXPECT_NE(output.find("[  PASSED  ] 1 test"), std::string::npos) << output;
}

}  // namespace
}  // namespace nettopo::api

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
