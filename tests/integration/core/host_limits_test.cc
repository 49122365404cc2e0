// Host limits: a lab larger than the caller's open-file soft limit would allow still comes up and
// goes down, and one that cannot fit is refused before anything is built.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/core/lab_runner.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kNodes = 300;          // `up` holds one descriptor per node while it builds
constexpr int kSmallSoftLimit = 64;  // what the test leaves nettopo at start
// Room for one descriptor per namespace and the 128 transient handles and fixed few `up` counts
// (open_files_needed: 492), and not for two per namespace (664), which `up` held before.
constexpr int kTightHardLimit = kNodes + 220;

std::string chain_file(const std::string& lab) {
  fs::path path = fs::temp_directory_path() / (lab + ".toml");
  std::ofstream file(path);
  file << "[addressing]\nipv4 = \"10.201.0.0/16\"\n";
  for (int i = 0; i < kNodes; ++i) file << "[nodes.n" << i << "]\n";
  for (int i = 1; i < kNodes; ++i)
    file << "[[links]]\nendpoints = [\"n" << i - 1 << "\", \"n" << i << "\"]\n";
  return path.string();
}

rlim_t hard_open_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_max;
}

std::string nofile(rlim_t soft, rlim_t hard) {
  auto text = [](rlim_t value) {
    return value == RLIM_INFINITY ? std::string("unlimited") : std::to_string(value);
  };
  return "--nofile=" + text(soft) + ":" + text(hard);
}

// A chain of kNodes comes up, shows in status and goes down, every command run under `limit`.
void comes_up_and_goes_down_under(const std::string& limit, const std::string& prefix) {
  std::string lab = unique_lab_name(prefix);
  std::string file = chain_file(lab);
  auto up = run({"prlimit", limit, "{nettopo}", "up", "-q", "--name", lab, file});
  EXPECT_EQ(up.status, 0) << up.output;
  auto status = run({"prlimit", limit, "{nettopo}", "status", "--lab", lab});
  EXPECT_EQ(status.status, 0) << status.output;
  EXPECT_NE(status.output.find(std::to_string(kNodes) + " of " + std::to_string(kNodes)),
            std::string::npos)
      << status.output;
  auto down = run({"prlimit", limit, "{nettopo}", "down", "--lab", lab});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_TRUE(eventually([&] { return traces_of(lab).empty(); }));
  nettopo({"down", "--lab", lab});  // in case an assertion above failed with the lab up
  fs::remove(file);
}

TEST(HostLimits, ALabLargerThanTheSoftOpenFileLimitComesUpAndGoesDown) {
  REQUIRE_ROOT();
  rlim_t hard = hard_open_file_limit();
  if (hard != RLIM_INFINITY && hard < rlim_t{4} * kNodes)
    GTEST_SKIP() << "the hard open-file limit (" << hard << ") is too low for this test";
  comes_up_and_goes_down_under(nofile(kSmallSoftLimit, hard), "nofile");
}

TEST(HostLimits, UpHoldsOneDescriptorPerNamespace) {
  REQUIRE_ROOT();
  comes_up_and_goes_down_under(nofile(kSmallSoftLimit, kTightHardLimit), "onefd");
}

TEST(HostLimits, ALabThatCannotFitIsRefusedBeforeAnythingIsBuilt) {
  NETTOPO_REQUIRE_ROOT("`up` checks the limits as root");
  std::string lab = unique_lab_name("nofit");
  std::string file = chain_file(lab);
  auto up = run({"prlimit", nofile(kSmallSoftLimit, kSmallSoftLimit), "{nettopo}", "up", "--name",
                 lab, file});
  EXPECT_EQ(up.status, 1) << up.output;
  EXPECT_NE(up.output.find("open files"), std::string::npos) << up.output;
  EXPECT_NE(up.output.find("ulimit -n"), std::string::npos) << up.output;
  EXPECT_TRUE(traces_of(lab).empty());
  nettopo({"down", "--lab", lab});
  fs::remove(file);
}

}  // namespace
}  // namespace nettopo::testing
