#include <gtest/gtest.h>

#include "test_util.h"
#include "topology/name_rules.h"

namespace nettopo::topology {
namespace {

using testing::load_ok;

TEST(InterfaceNaming, ExplicitNamesAreReservedBeforeAutomaticOnes) {
  Lab lab = load_ok(R"(
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["a", "b:eth0"]
[[links]]
endpoints = ["a:eth1", "b"]
)");
  // a: eth1 is written on link 3, so link 1 and 2 take eth0 and eth2.
  EXPECT_EQ(lab.links[0].ends[0].interface, "eth0");
  EXPECT_EQ(lab.links[1].ends[0].interface, "eth2");
  EXPECT_EQ(lab.links[2].ends[0].interface, "eth1");
  // b: eth0 is written on link 2, so links 1 and 3 take eth1 and eth2.
  EXPECT_EQ(lab.links[0].ends[1].interface, "eth1");
  EXPECT_EQ(lab.links[1].ends[1].interface, "eth0");
  EXPECT_EQ(lab.links[2].ends[1].interface, "eth2");
}

TEST(InterfaceNaming, BridgePortsAreNamedAfterThePeerOrNumbered) {
  Lab lab = load_ok(R"(
[nodes.h1]
[nodes.averylongname]
[nodes.h2]
[bridges.lan]
[bridges.lan2]
[[links]]
endpoints = ["h1:eth-0", "lan"]
[[links]]
endpoints = ["lan", "averylongname"]
[[links]]
endpoints = ["h2:x", "lan"]
[[links]]
endpoints = ["lan", "lan2"]
[[links]]
endpoints = ["lan:h2-x", "h1"]
)");
  EXPECT_EQ(lab.links[0].ends[1].interface, "h1-eth-0");
  // "averylongname-eth0" is 18 bytes: port counter 1 of lan.
  EXPECT_EQ(lab.links[1].ends[0].interface, "p1");
  // "h2-x" is reserved in lan by link 5: port counter 2.
  EXPECT_EQ(lab.links[2].ends[1].interface, "p2");
  EXPECT_EQ(lab.links[3].ends[0].interface, "p3");
  EXPECT_EQ(lab.links[3].ends[1].interface, "p0");
  EXPECT_EQ(lab.links[4].ends[0].interface, "h2-x");
  EXPECT_EQ(lab.links[4].ends[1].interface, "eth0");
}

TEST(InterfaceNaming, GeneratedPortsStepOverTheBridgeDevice) {
  // The bridge device is called after the bridge ("h1-eth0", "p0"), or "br0" when the bridge's
  // name is too long; a generated port name must not take it.
  Lab lab = load_ok(R"(
[nodes.h1]
[nodes.averylongname]
[bridges.h1-eth0]
[bridges.p0]
[bridges.averyverylongbridgename]
[[links]]
endpoints = ["h1", "h1-eth0"]
[[links]]
endpoints = ["averylongname", "p0"]
[[links]]
endpoints = ["averyverylongbridgename:p0", "h1"]
[[links]]
endpoints = ["averyverylongbridgename", "averylongname"]
)");
  EXPECT_EQ(lab.links[0].ends[1].interface, "p0");
  EXPECT_EQ(lab.links[1].ends[1].interface, "p1");
  EXPECT_EQ(lab.links[3].ends[0].interface, "p1");
  EXPECT_EQ(bridge_device_name("h1-eth0"), "h1-eth0");
  EXPECT_EQ(bridge_device_name("averyverylongbridgename"), "br0");
}

TEST(InterfaceNaming, SelfLinkWithAutomaticNamesIsFine) {
  Lab lab = load_ok("[nodes.a]\n[[links]]\nendpoints = [\"a\", \"a\"]\n");
  EXPECT_EQ(lab.links[0].ends[0].interface, "eth0");
  EXPECT_EQ(lab.links[0].ends[1].interface, "eth1");
}

}  // namespace
}  // namespace nettopo::topology
