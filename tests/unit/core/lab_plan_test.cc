#include "core/lab_plan.h"

#include <gtest/gtest.h>

#include "core/sys/error.h"
#include "netlink/sysctl.h"
#include "tests/unit/core/test_labs.h"
#include "topology/loader.h"

namespace nettopo {
namespace {

TEST(LabPlan, NodesComeFirstThenBridges) {
  LabPlan plan = make_plan(testing::small_lab());
  ASSERT_EQ(plan.namespaces.size(), 4u);
  EXPECT_EQ(plan.node_count, 3u);
  EXPECT_EQ(plan.namespaces[3].name, "lan");
  EXPECT_TRUE(plan.namespaces[3].is_bridge);
  EXPECT_EQ(plan.namespaces[3].bridge_device, "lan");
}

TEST(LabPlan, InterfacesGetFixedIfindexesPerNamespace) {
  LabPlan plan = make_plan(testing::small_lab());
  ASSERT_EQ(plan.veths.size(), 3u);
  // r1: eth0 is its first interface (2), eth1 its second (3).
  const auto& r1_eth0 = plan.interfaces[plan.veths[0].b];
  const auto& r1_eth1 = plan.interfaces[plan.veths[1].a];
  EXPECT_EQ(r1_eth0.name, "eth0");
  EXPECT_EQ(r1_eth0.ifindex, 2);
  EXPECT_EQ(r1_eth1.ifindex, 3);
  // Bridge ports start after the bridge device (2) and are enslaved to it.
  const auto& port_r1 = plan.interfaces[plan.veths[1].b];
  const auto& port_h2 = plan.interfaces[plan.veths[2].b];
  EXPECT_EQ(port_r1.ifindex, 3);
  EXPECT_EQ(port_h2.ifindex, 4);
  EXPECT_EQ(port_r1.master_ifindex, 2);
  EXPECT_EQ(r1_eth0.master_ifindex, 0);
}

TEST(LabPlan, CarriesLinkPropertiesToBothEnds) {
  LabPlan plan = make_plan(testing::small_lab());
  EXPECT_EQ(plan.interfaces[plan.veths[0].a].mtu, 1400u);
  EXPECT_EQ(plan.interfaces[plan.veths[0].b].mtu, 1400u);
  EXPECT_EQ(plan.interfaces[plan.veths[2].a].impairments.rate_bits_per_second, 10'000'000u);
  EXPECT_FALSE(plan.needs_netem());
}

TEST(LabPlan, ForwardingBecomesSysctlsAndRoutesKeepTheirGateway) {
  LabPlan plan = make_plan(testing::small_lab());
  std::vector<std::string> r1;
  for (const auto& sysctl : plan.sysctls)
    if (plan.namespaces[sysctl.owner].name == "r1") r1.push_back(sysctl.key + "=" + sysctl.value);
  EXPECT_EQ(r1, (std::vector<std::string>{
                    "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                    "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"}));
  ASSERT_EQ(plan.routes.size(), 1u);
  EXPECT_EQ(plan.namespaces[plan.routes[0].owner].name, "h1");
  EXPECT_EQ(plan.routes[0].via->to_string(), "10.0.0.2");
  EXPECT_TRUE(plan.routes[0].destination.is_default());
}

TEST(LabPlan, EveryNamespaceSkipsDuplicateAddressDetection) {
  LabPlan plan = make_plan(testing::small_lab());
  size_t dad_off = 0;
  for (const auto& sysctl : plan.sysctls)
    if (sysctl.key == "net.ipv6.conf.default.accept_dad" && sysctl.value == "0") ++dad_off;
  EXPECT_EQ(dad_off, plan.namespaces.size());
}

TEST(LabPlan, RouteDeviceBecomesItsIfindex) {
  auto lab = testing::small_lab();
  lab.nodes[0].routes[0].device = "eth0";
  EXPECT_EQ(make_plan(lab).routes[0].oif, 2);
}

TEST(LabPlan, RefusesSysctlsOutsideTheNetworkNamespace) {
  auto lab = testing::small_lab();
  lab.nodes[0].sysctls.push_back({"kernel.panic", "1"});
  try {
    make_plan(lab);
    FAIL() << "kernel.panic was accepted";
  } catch (const UsageError& error) {
    EXPECT_STREQ(error.what(),
                 "node h1: sysctl kernel.panic is not per network namespace: a node can set "
                 "only net.* keys");
  }
}

// Issue 8 item 13: validate accepted the slash form the docs promise and the plan refused it.
TEST(LabPlan, TakesBothSysctlFormsValidateTakes) {
  auto lab = testing::small_lab();
  lab.nodes[0].sysctls.push_back({"net/ipv4/conf/all/rp_filter", "0"});
  lab.nodes[0].sysctls.push_back({"net/ipv4/conf/eth0.100/rp_filter", "0"});
  lab.nodes[0].sysctls.push_back({"net.ipv4.conf.all.rp_filter", "0"});
  std::vector<std::string> h1;
  for (const auto& sysctl : make_plan(lab).sysctls)
    if (sysctl.owner == 0 && sysctl.key.find("rp_filter") != std::string::npos)
      h1.push_back(sysctl.key);
  EXPECT_EQ(h1, (std::vector<std::string>{"net/ipv4/conf/all/rp_filter",
                                          "net/ipv4/conf/eth0.100/rp_filter",
                                          "net.ipv4.conf.all.rp_filter"}));
  lab.nodes[0].sysctls.push_back({"net/../kernel/panic", "1"});
  EXPECT_THROW(make_plan(lab), UsageError);
}

// validate, the plan and the writer apply one rule: a key is accepted by all three or by none.
TEST(LabPlan, AcceptsExactlyTheSysctlsValidateAccepts) {
  size_t accepted = 0;
  for (std::string key :
       {"net.ipv4.ip_forward", "net/ipv4/conf/all/rp_filter", "net/ipv4/conf/eth0.100/rp_filter",
        "net.ipv4.conf.eth0.rp_filter", "kernel.hostname", "kernel/hostname", "net", "net.", "net/",
        "net..x", "net/../kernel/panic", "net/./x", "/net/ipv4", "net.ipv4/x", "net.a b",
        "net.a;b"}) {
    std::string text = "[nodes.a]\nsysctl = { \"" + key + "\" = 1 }\n";
    auto loaded = topology::load_lab_string(text, "/tmp/sysctl.toml");
    bool validated = loaded.lab.has_value();
    if (!validated) {
      topology::Lab lab = testing::small_lab();
      lab.nodes[0].sysctls.push_back({key, "1"});
      EXPECT_THROW(make_plan(lab), UsageError) << key;
      EXPECT_THROW(netlink::sysctl_path(key), UsageError) << key;
      continue;
    }
    EXPECT_NO_THROW(make_plan(*loaded.lab)) << key;
    EXPECT_NO_THROW(netlink::sysctl_path(loaded.lab->nodes[0].sysctls[0].first)) << key;
    ++accepted;
  }
  EXPECT_EQ(accepted, 4u);  // the first four: both forms, dots inside a slash-form component
}

TEST(LabPlan, BridgesWithStpSaySo) {
  auto lab = testing::small_lab();
  EXPECT_FALSE(make_plan(lab).namespaces[3].stp);
  lab.bridges[0].stp = true;
  LabPlan plan = make_plan(lab);
  EXPECT_TRUE(plan.namespaces[3].stp);
  EXPECT_NE(plan.describe().find("lan: create bridge lan ifindex 2, stp on, forward delay 2 s"),
            std::string::npos)
      << plan.describe();
}

TEST(LabPlan, NetemIsNeededOnlyForDelayOrJitter) {
  auto lab = testing::small_lab();
  lab.links[0].impairments.delay_us = 5000;
  EXPECT_TRUE(make_plan(lab).needs_netem());
  lab.links[0].impairments = {};
  lab.links[0].impairments.jitter_us = 100;
  EXPECT_TRUE(make_plan(lab).needs_netem());
  lab.links[0].impairments = {};
  lab.links[0].impairments.loss_percent = 1;
  EXPECT_FALSE(make_plan(lab).needs_netem());
}

// The steps of one kind, as (interface, sender) pairs by name.
std::vector<std::string> loss_filters(const LabPlan& plan) {
  std::vector<std::string> found;
  auto label = [&](size_t interface) {
    return plan.namespaces[plan.interfaces[interface].owner].name + ":" +
           plan.interfaces[interface].name;
  };
  for (const auto& each : plan.steps)
    if (const auto* filter = std::get_if<step::AddLossFilter>(&each))
      found.push_back(label(filter->interface) + " drops from " + label(filter->sender));
  return found;
}

size_t netem_steps(const LabPlan& plan) {
  size_t count = 0;
  for (const auto& each : plan.steps) count += std::holds_alternative<step::AddNetem>(each);
  return count;
}

TEST(LabPlan, LossAloneIsAFilterOnEachEndsIngressNotNetem) {
  auto lab = testing::small_lab();
  lab.links[0].impairments.loss_percent = 1;
  lab.links[2].impairments.loss_percent = 100;  // with a rate: tbf, and the filter beside it
  LabPlan plan = make_plan(lab);
  EXPECT_EQ(netem_steps(plan), 0u);
  EXPECT_EQ(loss_filters(plan),
            (std::vector<std::string>{"h1:eth0 drops from r1:eth0", "r1:eth0 drops from h1:eth0",
                                      "h2:eth0 drops from lan:h2-eth0",
                                      "lan:h2-eth0 drops from h2:eth0"}));
  std::string text = plan.describe();
  EXPECT_NE(text.find("h1: eth0 clsact, ingress BPF filter 'nettopo loss 1%' (drops that much of "
                      "what r1:eth0 sends)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lan: h2-eth0 clsact, ingress BPF filter 'nettopo loss 100%'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("h2: eth0 tbf rate 10000000bit\n"), std::string::npos) << text;
}

TEST(LabPlan, LossWithDelayStaysInNetem) {
  auto lab = testing::small_lab();
  lab.links[0].impairments.loss_percent = 1;
  lab.links[0].impairments.delay_us = 1000;
  LabPlan plan = make_plan(lab);
  EXPECT_EQ(netem_steps(plan), 2u);
  EXPECT_TRUE(loss_filters(plan).empty());
  EXPECT_NE(plan.describe().find("h1: eth0 netem delay 1000us jitter 0us loss 1.000000%"),
            std::string::npos)
      << plan.describe();
}

TEST(LabPlan, DescribeListsEveryKernelOperation) {
  std::string text = make_plan(testing::small_lab()).describe();
  EXPECT_NE(text.find("h1: create veth eth0 (ifindex 2) <-> r1:eth0 (ifindex 2) mtu 1400"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lan: create bridge lan ifindex 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lan: lan up"), std::string::npos) << text;
  EXPECT_NE(text.find("lan: r1-eth1 master lan"), std::string::npos) << text;
  EXPECT_NE(text.find("h1: route 0.0.0.0/0 via 10.0.0.2"), std::string::npos) << text;
  EXPECT_NE(text.find("h2: eth0 tbf rate 10000000bit"), std::string::npos) << text;
}

}  // namespace
}  // namespace nettopo
