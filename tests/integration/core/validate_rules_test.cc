// What validate accepts, up builds; what the kernel would refuse, validate refuses first
// (issue 8: items 3 and 13, the MTU of item 15). The real binary on real namespaces, as root.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/integration/core/lab_runner.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

/// A lab file in the temporary directory, removed at the end of the test; the lab is taken
/// down then too, whatever happened in between.
class TestLab {
 public:
  TestLab(const std::string& tag, const std::string& content)
      : name_(unique_lab_name(tag)), file_(fs::temp_directory_path() / (name_ + ".toml")) {
    std::ofstream(file_) << content;
  }
  ~TestLab() {
    nettopo({"down", "--lab", name_});
    fs::remove(file_);
  }
  const std::string& name() const { return name_; }
  std::string file() const { return file_.string(); }
  CommandResult up() const { return nettopo({"up", "--name", name_, file()}); }
  CommandResult exec(const std::string& node, const std::vector<std::string>& command) const {
    std::vector<std::string> arguments = {"exec", "--lab", name_, node, "--"};
    arguments.insert(arguments.end(), command.begin(), command.end());
    return nettopo(arguments);
  }
  /// `argv` inside the network namespace of `owner` (a node or a bridge), by its /run/netns name.
  CommandResult in_netns(const std::string& owner, std::vector<std::string> argv) const {
    argv.insert(argv.begin(), {"ip", "netns", "exec", name_ + "-" + owner});
    return run(argv);
  }
  void down_leaves_nothing() const {
    auto down = nettopo({"down", "--lab", name_});
    EXPECT_EQ(down.status, 0) << down.output;
    EXPECT_TRUE(eventually([&] { return traces_of(name_).empty(); }));
  }

 private:
  std::string name_;
  fs::path file_;
};

// Two links between s1 and s2 made a broadcast storm that took the host. With stp = true the
// loop is allowed: up turns STP on, one port blocks, and traffic flows across.
TEST(ValidateRules, ALoopOfStpBridgesComesUpAndForwards) {
  REQUIRE_ROOT();
  TestLab lab("stp", R"(
[nodes.h1]
[nodes.h2]
[bridges.s1]
stp = true
[bridges.s2]
stp = true
[[links]]
endpoints = ["h1", "s1"]
addresses = ["10.78.0.1/24"]
[[links]]
endpoints = ["s1", "s2"]
[[links]]
endpoints = ["s2", "s1"]
[[links]]
endpoints = ["h2", "s2"]
addresses = ["10.78.0.2/24"]
)");
  auto validate = nettopo({"validate", lab.file()});
  EXPECT_EQ(validate.status, 0) << validate.output;
  auto up = lab.up();
  ASSERT_EQ(up.status, 0) << up.output;
  EXPECT_NE(up.output.find("spanning tree on bridges s1, s2"), std::string::npos) << up.output;

  for (const char* bridge : {"s1", "s2"}) {
    auto details = lab.in_netns(bridge, {"ip", "-d", "link", "show", bridge});
    EXPECT_NE(details.output.find("stp_state 1"), std::string::npos) << details.output;
    EXPECT_NE(details.output.find("forward_delay 200"), std::string::npos) << details.output;
  }
  // STP blocks one of the two ports the loop has on s1 or s2.
  EXPECT_TRUE(eventually(
      [&] {
        return (lab.in_netns("s1", {"bridge", "link"}).output +
                lab.in_netns("s2", {"bridge", "link"}).output)
                   .find("state blocking") != std::string::npos;
      },
      std::chrono::seconds(20)));
  // Ports forward after listening and learning (2 s each): poll until the ping answers.
  EXPECT_TRUE(eventually(
      [&] {
        return lab.exec("h1", {"ping", "-c1", "-W1", "-q", "10.78.0.2"}).status == 0;
      },
      std::chrono::seconds(30)));
  lab.down_leaves_nothing();
}

TEST(ValidateRules, ALoopWithoutStpIsRefusedBeforeAnythingIsBuilt) {
  REQUIRE_ROOT();
  TestLab lab("loop", R"(
[nodes.h1]
[bridges.s1]
[bridges.s2]
[[links]]
endpoints = ["h1", "s1"]
[[links]]
endpoints = ["s1", "s2"]
[[links]]
endpoints = ["s2", "s1"]
)");
  auto up = lab.up();
  EXPECT_EQ(up.status, 2) << up.output;
  EXPECT_NE(up.output.find(":9:1: error: this link closes a loop of bridges ('s2' -- 's1' -- "
                           "'s2')"),
            std::string::npos)
      << up.output;
  EXPECT_TRUE(traces_of(lab.name()).empty());
}

// The docs promise the slash form; validate took it and up refused it ("not per network
// namespace"). Both forms now come up and set the node's own value.
TEST(ValidateRules, BothSysctlFormsValidateAndComeUp) {
  REQUIRE_ROOT();
  TestLab lab("sysctl", R"(
[nodes.a.sysctl]
"net/ipv4/conf/all/rp_filter" = 0
"net/ipv4/conf/default/rp_filter" = 2
"net.ipv4.icmp_echo_ignore_broadcasts" = 0
[nodes.b]
[[links]]
endpoints = ["a", "b"]
)");
  auto validate = nettopo({"validate", lab.file()});
  EXPECT_EQ(validate.status, 0) << validate.output;
  auto up = lab.up();
  ASSERT_EQ(up.status, 0) << up.output;
  auto values = lab.exec("a", {"cat", "/proc/sys/net/ipv4/conf/all/rp_filter",
                               "/proc/sys/net/ipv4/conf/default/rp_filter",
                               "/proc/sys/net/ipv4/icmp_echo_ignore_broadcasts"});
  EXPECT_EQ(values.output, "0\n2\n0\n");  // icmp_echo_ignore_broadcasts defaults to 1
  lab.down_leaves_nothing();
}

// mtu = 68 with IPv6 passed validate and failed up with EINVAL: the kernel refuses an IPv6
// address on an interface below 1280. Refused by validate now, and only then: IPv4 takes 68.
TEST(ValidateRules, AnMtuTheKernelRefusesIsRefusedByValidateAndOnlyThat) {
  REQUIRE_ROOT();
  TestLab ipv6("mtu6", R"(
[addressing]
ipv6 = "fd00:78::/48"
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
mtu = 68
)");
  auto up = ipv6.up();
  EXPECT_EQ(up.status, 2) << up.output;
  EXPECT_NE(up.output.find(":8:7: error: mtu 68 is below 1280, the least IPv6 allows"),
            std::string::npos)
      << up.output;
  EXPECT_TRUE(traces_of(ipv6.name()).empty());

  TestLab ipv4("mtu4", R"(
[addressing]
ipv4 = "10.79.0.0/16"
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
mtu = 68
[[links]]
endpoints = ["a", "b"]
addresses = ["fd00:79::1/64", "fd00:79::2/64"]
mtu = 1280
)");
  up = ipv4.up();
  ASSERT_EQ(up.status, 0) << up.output;
  auto eth0 = ipv4.exec("a", {"ip", "-o", "link", "show", "eth0"});
  EXPECT_NE(eth0.output.find(" mtu 68 "), std::string::npos) << eth0.output;
  auto eth1 = ipv4.exec("a", {"ip", "-o", "link", "show", "eth1"});
  EXPECT_NE(eth1.output.find(" mtu 1280 "), std::string::npos) << eth1.output;
  ipv4.down_leaves_nothing();
}

}  // namespace
}  // namespace nettopo::testing
