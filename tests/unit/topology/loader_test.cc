#include "topology/loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"
#include "topology/interfaces.h"
#include "topology/lab_json.h"

namespace nettopo::topology {
namespace {

using testing::address_of;
using testing::dump;
using testing::load_ok;

constexpr const char* kMixed = R"(
name = "mixed"
[addressing]
ipv4 = "10.10.0.0/16"
[nodes.h1]
[nodes.r1]
[nodes.h2]
[nodes.h3]
[nodes.r2]
[bridges.lan]
[[links]]
endpoints = ["h1", "r1"]
[[links]]
endpoints = ["r1", "lan"]
[[links]]
endpoints = ["h2", "lan"]
[[links]]
endpoints = ["lan", "h3"]
[[links]]
endpoints = ["r1", "r2"]
)";

TEST(Loader, AllocatesAlignedBlocksInLinkOrder) {
  Lab lab = load_ok(kMixed);
  EXPECT_EQ(address_of(lab, "h1", "eth0"), "10.10.0.1/30");
  EXPECT_EQ(address_of(lab, "r1", "eth0"), "10.10.0.2/30");
  // The bridged segment needs a /24: the first one not overlapping the /30 above.
  EXPECT_EQ(address_of(lab, "r1", "eth1"), "10.10.1.1/24");
  EXPECT_EQ(address_of(lab, "h2", "eth0"), "10.10.1.2/24");
  EXPECT_EQ(address_of(lab, "h3", "eth0"), "10.10.1.3/24");
  // Later /30s fill the gap left in the first /24.
  EXPECT_EQ(address_of(lab, "r1", "eth2"), "10.10.0.5/30");
  EXPECT_EQ(address_of(lab, "r2", "eth0"), "10.10.0.6/30");
}

TEST(Loader, SameInputGivesTheSameLab) {
  Lab first = load_ok(kMixed);
  Lab second = load_ok(kMixed);
  EXPECT_EQ(first, second);
  EXPECT_EQ(to_json(first).dump(), to_json(second).dump());
}

TEST(Loader, SkipsBlocksOverlappingWrittenAddresses) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
addresses = ["10.10.0.1/29", "10.10.0.2/29"]
)");
  EXPECT_EQ(address_of(lab, "a", "eth0"), "10.10.0.9/30");
  EXPECT_EQ(address_of(lab, "b", "eth0"), "10.10.0.10/30");
  EXPECT_EQ(address_of(lab, "b", "eth1"), "10.10.0.1/29");
}

TEST(Loader, FillsMissingAddressesFromTheSegmentsSubnet) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
[nodes.a]
[nodes.b]
[nodes.c]
[bridges.lan]
[[links]]
endpoints = ["a", "lan"]
[[links]]
endpoints = ["b", "lan"]
addresses = ["192.168.7.1/24"]
[[links]]
endpoints = ["c", "lan"]
)");
  EXPECT_EQ(address_of(lab, "a", "eth0"), "192.168.7.2/24");
  EXPECT_EQ(address_of(lab, "b", "eth0"), "192.168.7.1/24");
  EXPECT_EQ(address_of(lab, "c", "eth0"), "192.168.7.3/24");
}

TEST(Loader, Ipv6PoolGivesEverySegmentASlash64) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
addresses = ["10.0.0.1/24", ["10.0.0.2/24", "fd00:99::2/64"]]
)");
  EXPECT_EQ(address_of(lab, "a", "eth0", IpFamily::V6), "fd00:10::1/64");
  EXPECT_EQ(address_of(lab, "b", "eth0", IpFamily::V6), "fd00:10::2/64");
  // The second link has IPv6 on one end: the other end is filled from that subnet.
  EXPECT_EQ(address_of(lab, "b", "eth1", IpFamily::V6), "fd00:99::1/64");
  EXPECT_EQ(address_of(lab, "c", "eth0", IpFamily::V6), "fd00:99::2/64");
  EXPECT_EQ(address_of(lab, "c", "eth0"), "10.0.0.2/24");
}

TEST(Loader, NoPoolAndNoAddressesLeavesLinksUnnumbered) {
  Lab lab = load_ok(R"(
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
)");
  EXPECT_TRUE(lab.links[0].ends[0].addresses.empty());
  EXPECT_TRUE(lab.links[0].ends[1].addresses.empty());
}

TEST(Loader, ReadsEveryNodeKeyInFileOrder) {
  auto directory = std::filesystem::temp_directory_path() / "nettopo-loader-test";
  std::filesystem::create_directories(directory / "r1");
  { std::ofstream(directory / "r1" / "frr.conf") << "hostname r1\n"; }
  std::string path = (directory / "lab.toml").string();
  LoadResult result = load_lab_string(R"(
[nodes.r1]
forward = true
sysctl = { "net.ipv4.z" = "0", "net.ipv4.a" = 1 }
env = { ZETA = "1", ALPHA = "2" }
dirs = ["/etc/frr", "/var/run/frr"]
files = { "/etc/frr/frr.conf" = "r1/frr.conf" }
routes = [{ to = "10.20.0.0/16", via = "10.0.0.2", metric = 5 }, { to = "default", dev = "eth0" }]
exec = ["echo one", "echo two"]
run = ["sleep 1000"]
[nodes.h1]
[[links]]
endpoints = ["r1", "h1"]
addresses = ["10.0.0.1/24", "10.0.0.2/24"]
)",
                                      path);
  ASSERT_TRUE(result.lab) << dump(result);
  const Node& r1 = *result.lab->find_node("r1");
  EXPECT_TRUE(r1.forward);
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(r1.sysctls, (Pairs{{"net.ipv4.z", "0"}, {"net.ipv4.a", "1"}}));
  EXPECT_EQ(r1.env, (Pairs{{"ZETA", "1"}, {"ALPHA", "2"}}));
  EXPECT_EQ(r1.dirs, (std::vector<std::string>{"/etc/frr", "/var/run/frr"}));
  ASSERT_EQ(r1.files.size(), 1u);
  EXPECT_EQ(r1.files[0].inside_path, "/etc/frr/frr.conf");
  EXPECT_EQ(r1.files[0].source_path, (directory / "r1" / "frr.conf").string());
  ASSERT_EQ(r1.routes.size(), 2u);
  EXPECT_EQ(r1.routes[0].destination.to_string(), "10.20.0.0/16");
  EXPECT_EQ(r1.routes[0].via->to_string(), "10.0.0.2");
  EXPECT_EQ(r1.routes[0].metric, 5u);
  EXPECT_EQ(r1.routes[1].destination.to_string(), "0.0.0.0/0");
  EXPECT_EQ(r1.routes[1].device, "eth0");
  EXPECT_FALSE(r1.routes[1].automatic);
  EXPECT_EQ(r1.exec, (std::vector<std::string>{"echo one", "echo two"}));
  EXPECT_EQ(r1.run, (std::vector<std::string>{"sleep 1000"}));
  EXPECT_EQ(result.lab->name, "lab");
  EXPECT_EQ(result.lab->source_file, path);
  EXPECT_EQ(r1.where.line, 2);
}

TEST(Loader, ReadsLinkKeys) {
  Lab lab = load_ok(R"(
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a:left", "b"]
addresses = ["10.0.0.1/24", "10.0.0.2/24"]
mtu = 9000
rate = "10mbit"
delay = "5ms"
jitter = "1ms"
loss = "0.5%"
cost = 10
macs = ["02:00:00:00:00:01", "02:00:00:00:00:02"]
)");
  const Link& link = lab.links[0];
  EXPECT_EQ(link.ends[0].interface, "left");
  EXPECT_EQ(link.ends[1].interface, "eth0");
  EXPECT_EQ(link.mtu, 9000u);
  EXPECT_EQ(link.impairments.rate_bits_per_second, 10'000'000u);
  EXPECT_EQ(link.impairments.delay_us, 5000u);
  EXPECT_EQ(link.impairments.jitter_us, 1000u);
  EXPECT_DOUBLE_EQ(*link.impairments.loss_percent, 0.5);
  EXPECT_EQ(link.cost, 10u);
  EXPECT_EQ(link.ends[1].mac->to_string(), "02:00:00:00:00:02");
  EXPECT_EQ(link.where.line, 4);
}

TEST(Loader, NameOverrideWinsOverTheFile) {
  LoadOptions options;
  options.name_override = "other";
  LoadResult result = load_lab_string("name = \"mine\"\n[nodes.a]\n", "/tmp/x.toml", options);
  ASSERT_TRUE(result.lab) << dump(result);
  EXPECT_EQ(result.lab->name, "other");
  EXPECT_EQ(load_ok("name = \"mine\"\n[nodes.a]\n").name, "mine");
}

TEST(Loader, BadNameOverrideIsAnError) {
  LoadOptions options;
  options.name_override = "9lives";
  LoadResult result = load_lab_string("[nodes.a]\n", "/tmp/x.toml", options);
  EXPECT_FALSE(result.lab);
  ASSERT_EQ(result.diagnostics.error_count(), 1u);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(),
            "/tmp/x.toml: error: invalid lab name '9lives': must start with a letter");
}

TEST(Loader, MissingFileIsADiagnosticNotAnException) {
  LoadResult result = load_lab_file("/nonexistent/lab.toml");
  EXPECT_FALSE(result.lab);
  ASSERT_EQ(result.diagnostics.error_count(), 1u);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(),
            "/nonexistent/lab.toml: error: cannot read the lab file\n"
            "  hint: check that it exists and is readable");
}

TEST(Loader, DirectoryIsADiagnosticNotAnEmptyLab) {
  LoadResult result = load_lab_file(NETTOPO_TEST_DATA_DIR);
  EXPECT_FALSE(result.lab);
  ASSERT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(), std::string(NETTOPO_TEST_DATA_DIR) +
                                                         ": error: the lab file is a directory\n"
                                                         "  hint: name a .toml file inside it");
}

TEST(Loader, ReportsAllErrorsNotJustTheFirst) {
  LoadResult result = load_lab_string(R"(
[nodes.a]
forwad = true
[nodes.b]
[[links]]
endpoints = ["a", "c"]
[[links]]
endpoints = ["a", "b"]
mtu = 10
)",
                                      "lab.toml");
  EXPECT_FALSE(result.lab);
  EXPECT_EQ(result.diagnostics.error_count(), 3u) << dump(result);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(),
            "lab.toml:3:1: error: unknown key 'forwad' in node 'a'\n"
            "  hint: did you mean 'forward'?");
}

TEST(Loader, WarnsAboutSeveralParts) {
  LoadResult result = load_lab_string(R"(
[nodes.a]
[nodes.b]
[nodes.c]
[nodes.d]
[nodes.e]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["c", "d"]
)",
                                      "lab.toml");
  ASSERT_TRUE(result.lab) << dump(result);
  std::vector<std::string> warnings;
  for (const auto& d : result.diagnostics.all()) warnings.push_back(d.to_string());
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "lab.toml:4:8: warning: the lab has 3 separate parts: {a, b}, {c, d} and {e}\n"
                "  hint: nodes in different parts cannot reach each other",
                "lab.toml:6:8: warning: node 'e' is connected to no other node"}));
}

TEST(Interfaces, ListsTheEndpointsOfOneOwnerInLinkOrder) {
  Lab lab = load_ok(kMixed);
  auto r1 = interfaces_of(lab, "r1");
  ASSERT_EQ(r1.size(), 3u);
  EXPECT_EQ(r1[0]->interface, "eth0");
  EXPECT_EQ(r1[1]->interface, "eth1");
  EXPECT_EQ(r1[2]->interface, "eth2");
  EXPECT_EQ(r1[1], &lab.links[1].ends[0]);
  EXPECT_EQ(interfaces_of(lab, "lan").size(), 3u);
  EXPECT_TRUE(interfaces_of(lab, "nobody").empty());
}

TEST(Interfaces, OfAllNodesAtOnceAgreesWithOneNodeAtATime) {
  Lab lab = load_ok(kMixed);
  auto all = interfaces_of_nodes(lab);
  ASSERT_EQ(all.size(), lab.nodes.size());
  for (size_t n = 0; n < lab.nodes.size(); ++n)
    EXPECT_EQ(all[n], interfaces_of(lab, lab.nodes[n].name)) << lab.nodes[n].name;
}

}  // namespace
}  // namespace nettopo::topology
