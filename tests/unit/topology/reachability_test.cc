#include "topology/reachability.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nettopo::topology {
namespace {

using testing::load_ok;

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

std::string line_lab(bool static_routing) {
  return std::string("[addressing]\nipv4 = \"10.0.0.0/16\"\n[routing]\nstatic = ") +
         (static_routing ? "true" : "false") + R"(
[nodes.a]
[nodes.b]
[nodes.c]
[nodes.d]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["c", "d"]
)";
}
// a 10.0.0.1 | b 10.0.0.2, 10.0.0.5 | c 10.0.0.6, 10.0.0.9 | d 10.0.0.10

TEST(Reachability, WithoutRoutesOnlyNeighboursAnswer) {
  Lab lab = load_ok(line_lab(false));
  EXPECT_TRUE(can_ping(lab, "a", ip("10.0.0.2")));
  EXPECT_TRUE(can_ping(lab, "b", ip("10.0.0.1")));
  EXPECT_TRUE(can_ping(lab, "b", ip("10.0.0.6")));
  EXPECT_TRUE(can_ping(lab, "a", ip("10.0.0.1")));   // its own address
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.5")));  // b's other side: a has no route
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.6")));
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.10")));
  EXPECT_FALSE(can_ping(lab, "nobody", ip("10.0.0.1")));
}

TEST(Reachability, WithStaticRoutesEveryoneAnswers) {
  Lab lab = load_ok(line_lab(true));
  for (const char* from : {"a", "b", "c", "d"})
    for (const char* to : {"10.0.0.1", "10.0.0.2", "10.0.0.5", "10.0.0.6", "10.0.0.9", "10.0.0.10"})
      EXPECT_TRUE(can_ping(lab, from, ip(to))) << from << " -> " << to;
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.200")));  // in no subnet: nobody answers
}

TEST(Reachability, NeedsForwardingInTheMiddle) {
  Lab lab = load_ok(line_lab(true));
  lab.nodes[1].forward = false;  // b
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.6")));
  EXPECT_TRUE(can_ping(lab, "a", ip("10.0.0.5")));  // b's own address: delivered locally
}

TEST(Reachability, NeedsAReturnPath) {
  Lab lab = load_ok(R"(
[nodes.a]
routes = [{ to = "10.0.2.0/24", via = "10.0.1.2" }]
[nodes.r]
forward = true
[nodes.c]
[[links]]
endpoints = ["a", "r"]
addresses = ["10.0.1.1/24", "10.0.1.2/24"]
[[links]]
endpoints = ["r", "c"]
addresses = ["10.0.2.1/24", "10.0.2.2/24"]
)");
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.2.2")));  // c cannot answer: no route back
  lab.nodes[2].routes.push_back(
      Route{*IpPrefix::parse("0.0.0.0/0"), ip("10.0.2.1"), "", 0, false, {}});
  EXPECT_TRUE(can_ping(lab, "a", ip("10.0.2.2")));
}

TEST(Reachability, LongestPrefixWins) {
  Lab lab = load_ok(R"(
[nodes.a]
routes = [{ to = "default", via = "10.0.1.99" }, { to = "10.0.2.0/24", via = "10.0.1.2" }]
[nodes.r]
forward = true
routes = [{ to = "default", via = "10.0.1.1" }]
[nodes.c]
routes = [{ to = "default", via = "10.0.2.1" }]
[[links]]
endpoints = ["a", "r"]
addresses = ["10.0.1.1/24", "10.0.1.2/24"]
[[links]]
endpoints = ["r", "c"]
addresses = ["10.0.2.1/24", "10.0.2.2/24"]
)");
  EXPECT_TRUE(can_ping(lab, "a", ip("10.0.2.2")));
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.3.1")));  // default route's gateway does not exist
}

TEST(Reachability, ThroughABridge) {
  Lab lab = load_ok(R"(
[nodes.h1]
[nodes.h2]
[nodes.h3]
[bridges.lan]
[bridges.lan2]
[[links]]
endpoints = ["h1", "lan"]
addresses = ["10.0.0.1/24"]
[[links]]
endpoints = ["lan", "lan2"]
[[links]]
endpoints = ["h2", "lan2"]
addresses = ["10.0.0.2/24"]
[[links]]
endpoints = ["h3", "lan"]
)");
  EXPECT_TRUE(can_ping(lab, "h1", ip("10.0.0.2")));
  EXPECT_TRUE(can_ping(lab, "h3", ip("10.0.0.2")));  // filled in: 10.0.0.3
}

TEST(Reachability, EchoIgnoredMeansNoAnswer) {
  Lab lab = load_ok(R"(
[nodes.a]
[nodes.b]
sysctl = { "net.ipv4.icmp_echo_ignore_all" = "1" }
[[links]]
endpoints = ["a", "b"]
addresses = ["10.0.0.1/24", "10.0.0.2/24"]
)");
  EXPECT_FALSE(can_ping(lab, "a", ip("10.0.0.2")));
  EXPECT_TRUE(can_ping(lab, "b", ip("10.0.0.1")));
}

TEST(Reachability, Ipv6) {
  Lab lab = load_ok(R"(
[addressing]
ipv6 = "fd00::/48"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  EXPECT_TRUE(can_ping(lab, "a", ip("fd00:0:0:1::2")));
  EXPECT_FALSE(can_ping(lab, "a", ip("fd00:0:0:1::9")));
}

}  // namespace
}  // namespace nettopo::topology
