// tbf created and changed in place; netem, or the plain message saying the kernel has none.

#include "netlink/qdisc.h"

#include <gtest/gtest.h>
#include <linux/pkt_sched.h>
#include <unistd.h>

#include <string>

#include "netlink/veth.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

Namespace namespace_with_link() {
  Namespace ns = Namespace::create();
  Request veth = veth_request({.name = "eth0", .ifindex = 2}, {.name = "peer", .ifindex = 3}, true);
  ns.socket.execute(veth, "create veth eth0 -> peer");
  return ns;
}

TEST(QdiscIntegration, TbfIsCreatedChangedInPlaceAndRemoved) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  Request create = tbf_request(2, {.rate_bytes_per_second = 125'000});  // 1 Mbit/s
  ns.socket.execute(create, "add tbf on eth0");
  auto qdiscs = list_qdiscs(ns.socket, 2);
  ASSERT_EQ(qdiscs.size(), 1u);
  EXPECT_EQ(qdiscs[0].kind, "tbf");
  EXPECT_EQ(qdiscs[0].handle, kRootQdiscHandle);
  EXPECT_EQ(qdiscs[0].parent, TC_H_ROOT);

  // Adding again is EEXIST; changing in place is fine, twice, also beyond 4 GB/s.
  Request again = tbf_request(2, {.rate_bytes_per_second = 250'000});
  EXPECT_THROW(ns.socket.execute(again, "add tbf on eth0 again"), NetlinkError);
  Request change = tbf_request(2, {.rate_bytes_per_second = 250'000, .burst_bytes = 64'000}, true);
  ns.socket.execute(change, "change tbf on eth0");
  Request fast = tbf_request(2, {.rate_bytes_per_second = uint64_t{5} << 32}, true);
  ns.socket.execute(fast, "change tbf on eth0 to 40 Gbit/s");
  qdiscs = list_qdiscs(ns.socket, 2);
  ASSERT_EQ(qdiscs.size(), 1u);
  EXPECT_EQ(qdiscs[0].kind, "tbf");

  Request remove = qdisc_delete_request(2);
  ns.socket.execute(remove, "delete qdisc on eth0");
  for (const auto& qdisc : list_qdiscs(ns.socket, 2)) EXPECT_NE(qdisc.kind, "tbf");
}

TEST(QdiscIntegration, ChangingAMissingTbfFails) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  Request change = tbf_request(2, {.rate_bytes_per_second = 125'000}, true);
  EXPECT_THROW(ns.socket.execute(change, "change tbf on eth0"), NetlinkError);
}

TEST(QdiscIntegration, NetemWithTbfChild) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  if (!netem_available()) GTEST_SKIP() << "kernel has no sch_netem (CONFIG_NET_SCH_NETEM)";
  Namespace ns = namespace_with_link();
  add_netem(ns.socket, 2, {.delay_us = 10'000, .jitter_us = 1'000, .loss_percent = 1});
  Request change = netem_request(2, {.delay_us = 20'000}, true);
  ns.socket.execute(change, "change netem on eth0");
  Request shaper = tbf_under_netem_request(2, {.rate_bytes_per_second = 125'000});
  ns.socket.execute(shaper, "add tbf under netem on eth0");
  auto qdiscs = list_qdiscs(ns.socket, 2);
  ASSERT_EQ(qdiscs.size(), 2u);
  EXPECT_EQ(qdiscs[0].kind, "netem");
  EXPECT_EQ(qdiscs[1].kind, "tbf");
  EXPECT_EQ(qdiscs[1].parent, kUnderNetemParent);
}

TEST(QdiscIntegration, MissingNetemIsNamedPlainly) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  if (netem_available()) GTEST_SKIP() << "this kernel has netem";
  Namespace ns = namespace_with_link();
  auto expect_plain = [](const NetlinkError& error) {
    std::string text = error.what();
    EXPECT_NE(text.find("netem"), std::string::npos) << text;
    EXPECT_NE(text.find("CONFIG_NET_SCH_NETEM"), std::string::npos) << text;
    std::cout << "missing netem: " << text << "\n";
  };
  try {
    add_netem(ns.socket, 2, {.delay_us = 10'000});
    FAIL() << "netem was created although netem_available() said no";
  } catch (const NetlinkError& error) {
    expect_plain(error);
  }
  // The same words when the request goes through the pipeline.
  ns.socket.submit(netem_request(2, {.delay_us = 10'000}), "add netem qdisc on eth0");
  try {
    ns.socket.wait_all();
    FAIL() << "netem was created although netem_available() said no";
  } catch (const NetlinkError& error) {
    expect_plain(error);
    EXPECT_EQ(error.operation(), "add netem qdisc on eth0");
  }
}

}  // namespace
}  // namespace nettopo::netlink
