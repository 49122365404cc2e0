#include <gtest/gtest.h>

#include "test_util.h"

namespace nettopo::topology {
namespace {

using testing::address_of;
using testing::dump;
using testing::load_ok;

TEST(Addressing, Slash31AndSlash32NeedNoNetworkAddressRule) {
  Lab lab = load_ok(R"(
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
addresses = ["10.0.0.0/31", "10.0.0.1/31"]
)");
  EXPECT_EQ(address_of(lab, "a", "eth0"), "10.0.0.0/31");
}

TEST(Addressing, PoolExactlyBigEnough) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/29"
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["a", "b"]
)");
  EXPECT_EQ(address_of(lab, "a", "eth1"), "10.10.0.5/30");
}

TEST(Addressing, BridgedSegmentsMergeAcrossBridgeLinks) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
[nodes.a]
[nodes.b]
[nodes.c]
[bridges.s1]
[bridges.s2]
[bridges.s3]
[[links]]
endpoints = ["a", "s1"]
[[links]]
endpoints = ["b", "s3"]
[[links]]
endpoints = ["s1", "s2"]
[[links]]
endpoints = ["s2", "s3"]
[[links]]
endpoints = ["c", "s2"]
)");
  // One segment, one /24, hosts in link order.
  EXPECT_EQ(address_of(lab, "a", "eth0"), "10.10.0.1/24");
  EXPECT_EQ(address_of(lab, "b", "eth0"), "10.10.0.2/24");
  EXPECT_EQ(address_of(lab, "c", "eth0"), "10.10.0.3/24");
}

TEST(Addressing, SubnetRunningOutIsAnError) {
  LoadResult result = load_lab_string(R"(
[nodes.a]
[nodes.b]
[nodes.c]
[bridges.lan]
[[links]]
endpoints = ["a", "lan"]
addresses = ["10.0.0.1/30"]
[[links]]
endpoints = ["b", "lan"]
[[links]]
endpoints = ["c", "lan"]
)",
                                      "lab.toml");
  EXPECT_FALSE(result.lab);
  ASSERT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(),
            "lab.toml:12:14: error: subnet 10.0.0.0/30 has no free address left for c:eth0");
}

}  // namespace
}  // namespace nettopo::topology
