// Who each router is to the routing protocols (topology/routing/router_identities.h): its
// loopbacks from the [addressing] pools, its AS from `asn` or [routing.bgp], the checks that
// refuse protocols that cannot work, and the default route hosts get via their router.

#include <gtest/gtest.h>

#include "test_util.h"
#include "topology/lab_json.h"
#include "topology/loader.h"

namespace nettopo::topology {
namespace {

using testing::dump;
using testing::load_ok;
using Strings = std::vector<std::string>;

const Node& node_named(const Lab& lab, std::string_view name) {
  const Node* node = lab.find_node(name);
  EXPECT_NE(node, nullptr) << name;
  static const Node none;
  return node ? *node : none;
}

Strings loopbacks_of(const Lab& lab, std::string_view name) {
  Strings out;
  for (const auto& prefix : node_named(lab, name).loopbacks) out.push_back(prefix.to_string());
  return out;
}

// Every error as "LINE:COL: MESSAGE", hints aside.
Strings errors_of(std::string_view text) {
  auto result = load_lab_string(text, "/tmp/lab.toml");
  EXPECT_FALSE(result.lab.has_value());
  Strings errors;
  for (const auto& diagnostic : result.diagnostics.all())
    if (diagnostic.severity == Diagnostic::Severity::Error)
      errors.push_back(std::to_string(diagnostic.where.line) + ":" +
                       std::to_string(diagnostic.where.column) + ": " + diagnostic.message);
  return errors;
}

// Routes as "DEST via GATEWAY dev DEVICE [auto]".
Strings routes_of(const Lab& lab, std::string_view name) {
  Strings out;
  for (const auto& route : node_named(lab, name).routes)
    out.push_back(
        route.destination.to_string() + (route.via ? " via " + route.via->to_string() : "") +
        (route.device.empty() ? "" : " dev " + route.device) + (route.automatic ? " auto" : ""));
  return out;
}

// Routers (frr, bird, forward = true) among hosts, in a file order that is not link order.
constexpr const char* kRouters = R"(
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[nodes.h1]
[nodes.r1]
kind = "frr"
[nodes.r2]
forward = true
[nodes.h2]
[nodes.r3]
kind = "bird"
[[links]]
endpoints = ["r3", "r2"]
[[links]]
endpoints = ["r2", "r1"]
[[links]]
endpoints = ["h1", "r1"]
[[links]]
endpoints = ["h2", "r3"]
)";

TEST(Loopbacks, RoutersInFileOrderGetOneEachHostsNone) {
  Lab lab = load_ok(kRouters);
  EXPECT_EQ(loopbacks_of(lab, "r1"), (Strings{"10.255.0.1/32", "fd00:255::1/128"}));
  EXPECT_EQ(loopbacks_of(lab, "r2"), (Strings{"10.255.0.2/32", "fd00:255::2/128"}));
  EXPECT_EQ(loopbacks_of(lab, "r3"), (Strings{"10.255.0.3/32", "fd00:255::3/128"}));
  EXPECT_TRUE(loopbacks_of(lab, "h1").empty());
  EXPECT_TRUE(loopbacks_of(lab, "h2").empty());
  EXPECT_EQ(node_named(lab, "r2").router_id()->to_string(), "10.255.0.2");
  EXPECT_FALSE(node_named(lab, "h1").router_id().has_value());
}

TEST(Loopbacks, TheSameFileGivesTheSameAddresses) {
  Lab first = load_ok(kRouters);
  Lab second = load_ok(kRouters);
  for (const char* name : {"r1", "r2", "r3"})
    EXPECT_EQ(loopbacks_of(first, name), loopbacks_of(second, name));
  EXPECT_EQ(first, second);
}

TEST(Loopbacks, IPv6AloneGivesOnlyA128AndNoRouterId) {
  Lab lab = load_ok(R"(
[addressing]
loopback6 = "fd00:255::/64"
[nodes.r1]
forward = true
)");
  EXPECT_EQ(loopbacks_of(lab, "r1"), (Strings{"fd00:255::1/128"}));
  EXPECT_FALSE(node_named(lab, "r1").router_id().has_value());
}

// The identity reaches the node's programs as environment variables.
TEST(Loopbacks, RoutersGetTheirIdentityInTheirEnvironment) {
  Lab lab = load_ok(R"(
[addressing]
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[nodes.r1]
forward = true
asn = 65001
env = { NETTOPO_ASN = "mine" }
[nodes.h1]
)");
  EXPECT_EQ(node_named(lab, "r1").env, (std::vector<std::pair<std::string, std::string>>{
                                           {"NETTOPO_ASN", "mine"},
                                           {"NETTOPO_ROUTER_ID", "10.255.0.1"},
                                           {"NETTOPO_LOOPBACK", "10.255.0.1"},
                                           {"NETTOPO_LOOPBACK6", "fd00:255::1"}}));
  EXPECT_TRUE(node_named(lab, "h1").env.empty());
}

TEST(Loopbacks, APoolTooSmallIsRefusedAtItsLine) {
  EXPECT_EQ(errors_of(R"(
[addressing]
loopback = "10.255.0.0/30"
loopback6 = "fd00:255::/127"
[nodes.r1]
forward = true
[nodes.r2]
forward = true
[nodes.r3]
forward = true
)"),
            (Strings{"3:12: loopback pool 10.255.0.0/30 holds 2 addresses, but the lab has 3 "
                     "routers",
                     "4:13: loopback pool fd00:255::/127 holds 1 addresses, but the lab has 3 "
                     "routers"}));
}

// The pool's network address is never a loopback, its broadcast address neither.
TEST(Loopbacks, APoolJustLargeEnoughIsTaken) {
  Lab lab = load_ok(R"(
[addressing]
loopback = "10.255.0.0/30"
[nodes.r1]
forward = true
[nodes.r2]
forward = true
)");
  EXPECT_EQ(loopbacks_of(lab, "r2"), (Strings{"10.255.0.2/32"}));
}

TEST(Loopbacks, APoolOverlappingALinkAddressIsRefused) {
  // The link's subnet inside the pool, and the pool inside the link's subnet.
  EXPECT_EQ(errors_of(R"(
[addressing]
loopback = "10.10.0.0/24"
[nodes.r1]
forward = true
[nodes.h1]
[[links]]
endpoints = ["r1", "h1"]
addresses = ["10.10.0.5/30", "10.10.0.6/30"]
)"),
            (Strings{"3:12: loopback pool 10.10.0.0/24 overlaps 10.10.0.5/30 on r1:eth0"}));
  EXPECT_EQ(errors_of(R"(
[addressing]
loopback = "10.255.0.0/24"
[nodes.r1]
forward = true
[nodes.h1]
[[links]]
endpoints = ["r1", "h1"]
addresses = ["10.0.0.1/8", "10.0.0.2/8"]
)"),
            (Strings{"3:12: loopback pool 10.255.0.0/24 overlaps 10.0.0.1/8 on r1:eth0"}));
}

TEST(Loopbacks, AnAllocationPoolHoldingTheLoopbacksIsRefused) {
  EXPECT_EQ(errors_of(R"(
[addressing]
ipv4 = "10.10.0.0/16"
loopback = "10.10.0.0/24"
[nodes.r1]
forward = true
[nodes.h1]
[[links]]
endpoints = ["r1", "h1"]
)"),
            (Strings{"4:12: loopback pool 10.10.0.0/24 overlaps 10.10.0.1/30 on r1:eth0"}));
}

TEST(AsNumbers, OneSharedAsForEveryRouter) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
loopback = "10.255.0.0/24"
[routing.bgp]
asn = 65000
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "bird"
[nodes.h1]
[[links]]
endpoints = ["r1", "r2"]
[[links]]
endpoints = ["h1", "r1"]
)");
  EXPECT_EQ(node_named(lab, "r1").asn, 65000u);
  EXPECT_EQ(node_named(lab, "r2").asn, 65000u);
  EXPECT_FALSE(node_named(lab, "h1").asn.has_value());
}

// The range gives routers without an asn the next number in file order, past the numbers
// routers took for themselves.
TEST(AsNumbers, ARangeInFileOrderSkipsTakenNumbers) {
  Lab lab = load_ok(R"(
[addressing]
loopback = "10.255.0.0/24"
[routing.bgp]
asn = "65001-65099"
[nodes.r1]
kind = "frr"
[nodes.h1]
[nodes.r2]
kind = "frr"
asn = 65001
[nodes.r3]
kind = "bird"
[nodes.r4]
kind = "frr"
asn = 65003
[nodes.r5]
forward = true
)");
  EXPECT_EQ(node_named(lab, "r1").asn, 65002u);
  EXPECT_EQ(node_named(lab, "r2").asn, 65001u);
  EXPECT_EQ(node_named(lab, "r3").asn, 65004u);
  EXPECT_EQ(node_named(lab, "r4").asn, 65003u);
  // A node that only forwards runs no BGP: it takes no number from the pool.
  EXPECT_FALSE(node_named(lab, "r5").asn.has_value());
  EXPECT_FALSE(node_named(lab, "h1").asn.has_value());
}

// One mistake, one error: the routers the range could not serve are not also "without AS".
TEST(AsNumbers, ARangeRunningOutIsRefusedOnce) {
  EXPECT_EQ(errors_of(R"(
[addressing]
loopback = "10.255.0.0/24"
[routing.bgp]
asn = "65001-65002"
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "frr"
[nodes.r3]
kind = "frr"
[nodes.r4]
kind = "frr"
)"),
            (Strings{"5:7: the AS range 65001-65002 runs out at router 'r3'"}));
}

TEST(AsNumbers, ABgpRouterWithoutAsIsRefused) {
  EXPECT_EQ(
      errors_of(R"(
[addressing]
loopback = "10.255.0.0/24"
[routing.bgp]
[nodes.r1]
kind = "frr"
asn = 65001
[nodes.r2]
kind = "bird"
[nodes.r3]
kind = "frr"
)"),
      (Strings{"8:8: BGP router 'r2' has no AS number", "10:8: BGP router 'r3' has no AS number"}));
}

TEST(AsNumbers, MalformedRangesAndNumbersAreRefused) {
  EXPECT_EQ(errors_of(R"(
[routing.bgp]
asn = "65099-65001"
[nodes.r1]
asn = 0
)"),
            (Strings{"3:7: malformed AS range '65099-65001'",
                     "5:7: AS number 0 is outside 1..4294967295"}));
}

TEST(RoutingChecks, ProtocolsWithoutALoopbackPoolAreRefused) {
  EXPECT_EQ(errors_of(R"(
[addressing]
loopback6 = "fd00:255::/64"
[routing.ospf]
[routing.bgp]
asn = 65000
[nodes.r1]
kind = "frr"
)"),
            (Strings{"4:1: [routing.ospf] needs router IDs: the lab has no loopback pool",
                     "5:1: [routing.bgp] needs router IDs: the lab has no loopback pool"}));
}

TEST(RoutingChecks, ProtocolsWithoutRoutersAreOnlyAWarning) {
  auto result = load_lab_string(R"(
[routing.ospf]
[nodes.h1]
)",
                                "/tmp/lab.toml");
  ASSERT_TRUE(result.lab) << dump(result);
  ASSERT_EQ(result.diagnostics.all().size(), 1u);
  EXPECT_EQ(result.diagnostics.all()[0].message, "[routing.ospf] has no router to run on");
}

// Two routers whose only path goes through a host would each be an area of their own.
TEST(RoutingChecks, AnOspfAreaSplitByAHostIsRefused) {
  EXPECT_EQ(errors_of(R"(
[addressing]
ipv4 = "10.10.0.0/16"
loopback = "10.255.0.0/24"
[routing.ospf]
area = 0
[nodes.r1]
kind = "frr"
[nodes.h]
[nodes.r2]
kind = "bird"
[[links]]
endpoints = ["r1", "h"]
[[links]]
endpoints = ["h", "r2"]
)"),
            (Strings{"10:8: OSPF area 0.0.0.0 is split: router 'r2' has no path of routers to "
                     "'r1'"}));
}

TEST(RoutingChecks, RoutersOnOneBridgeShareTheArea) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
loopback = "10.255.0.0/24"
[routing.ospf]
area = "0.0.0.1"
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "bird"
[nodes.h]
[bridges.lan]
[[links]]
endpoints = ["r1", "lan"]
[[links]]
endpoints = ["h", "lan"]
[[links]]
endpoints = ["lan", "r2"]
)");
  EXPECT_EQ(lab.ospf->area, "0.0.0.1");
}

TEST(RoutingChecks, BadTimersAreRefused) {
  EXPECT_EQ(errors_of(R"(
[routing.ospf]
area = "backbone"
hello = "0s"
dead = "1.5s"
[routing.bgp]
keepalive = "5s"
hold = "4s"
[nodes.h1]
)"),
            (Strings{"3:8: an OSPF area is a dotted quad or a number",
                     "4:9: 'hello' must be whole seconds from 1s to 65535s, not '0s'",
                     "5:8: 'dead' must be whole seconds from 1s to 65535s, not '1.5s'",
                     "6:1: the BGP hold time (4s) must be at least 3s and longer than the "
                     "keepalive (5s)"}));
}

TEST(RoutingChecks, ADeadIntervalNoLongerThanTheHelloIsRefused) {
  EXPECT_EQ(errors_of(R"(
[routing.ospf]
hello = "4s"
dead = "4s"
[nodes.h1]
)"),
            (Strings{"2:1: the OSPF dead interval (4s) must be longer than the hello interval "
                     "(4s)"}));
}

TEST(RoutingChecks, TimersAreRead) {
  Lab lab = load_ok(R"(
[routing.ospf]
hello = "2s"
dead = "8s"
[routing.bgp]
keepalive = "3s"
hold = "9s"
[nodes.h1]
)");
  EXPECT_EQ(lab.ospf->hello_seconds, 2u);
  EXPECT_EQ(lab.ospf->dead_seconds, 8u);
  EXPECT_EQ(lab.bgp->keepalive_seconds, 3u);
  EXPECT_EQ(lab.bgp->hold_seconds, 9u);
}

constexpr const char* kHostBehindRouter = R"(
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
[routing.ospf]
[nodes.r1]
kind = "frr"
[nodes.h1]
[nodes.h2]
routes = [{ to = "default", via = "10.10.0.9" }]
[[links]]
endpoints = ["h1", "r1"]
addresses = [["10.10.0.1/30", "fd00:10::1/64"], ["10.10.0.2/30", "fd00:10::2/64"]]
[[links]]
endpoints = ["h2", "r1"]
addresses = [["10.10.0.10/30", "fd00:10:1::1/64"], ["10.10.0.9/30", "fd00:10:1::2/64"]]
)";

TEST(HostGateways, AHostGetsADefaultRouteViaItsRouter) {
  Lab lab = load_ok(kHostBehindRouter);
  EXPECT_EQ(routes_of(lab, "h1"), (Strings{"0.0.0.0/0 via 10.10.0.2 dev eth0 auto",
                                           "::/0 via fd00:10::2 dev eth0 auto"}));
  EXPECT_TRUE(routes_of(lab, "r1").empty());
}

// A default route the user wrote is kept, and alone in its family.
TEST(HostGateways, AHostWithADefaultRouteGetsNoOtherOfThatFamily) {
  Lab lab = load_ok(kHostBehindRouter);
  EXPECT_EQ(routes_of(lab, "h2"),
            (Strings{"0.0.0.0/0 via 10.10.0.9", "::/0 via fd00:10:1::2 dev eth0 auto"}));
}

TEST(HostGateways, NoneWithoutOspfOrBgp) {
  std::string text = kHostBehindRouter;
  text.replace(text.find("[routing.ospf]"), 14, "");
  Lab lab = load_ok(text);
  EXPECT_TRUE(routes_of(lab, "h1").empty());
}

TEST(HostGateways, BgpAloneGivesThemToo) {
  std::string text = kHostBehindRouter;
  text.replace(text.find("[routing.ospf]"), 14, "[routing.bgp]\nasn = 65000");
  Lab lab = load_ok(text);
  EXPECT_EQ(routes_of(lab, "h1"), (Strings{"0.0.0.0/0 via 10.10.0.2 dev eth0 auto",
                                           "::/0 via fd00:10::2 dev eth0 auto"}));
}

// The lab's JSON (what the runtime stores, and graph --format json prints) keeps every part of
// a protocol lab: kinds, daemons, loopbacks, AS numbers, protocol settings, generated files.
TEST(RoutingJson, AProtocolLabRoundTripsExactly) {
  Lab lab = load_ok(R"(
name = "proto"
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[routing.ospf]
area = "0.0.0.2"
hello = "2s"
dead = "7s"
[routing.bgp]
asn = "65001-65010"
keepalive = "2s"
hold = "6s"
[kinds.edge]
kind = "frr"
daemons = ["ospfd", "bgpd", "bfdd"]
env = { ROLE = "edge" }
[nodes.r1]
kind = "edge"
[nodes.r2]
kind = "bird"
asn = 65001
[nodes.r3]
kind = "frr"
[nodes.h1]
[[links]]
endpoints = ["r1", "r2"]
[[links]]
endpoints = ["r2", "r3"]
[[links]]
endpoints = ["h1", "r1"]
)");
  ASSERT_TRUE(lab.ospf && lab.bgp);
  EXPECT_EQ(lab.bgp->asn_first, 65001u);
  EXPECT_EQ(lab.bgp->asn_last, 65010u);
  EXPECT_EQ(node_named(lab, "r1").asn, 65002u);
  nlohmann::json json = to_json(lab);
  Lab back = lab_from_json(json);
  EXPECT_EQ(back, lab);
  EXPECT_EQ(to_json(back), json);
  Lab through_text = lab_from_json(nlohmann::json::parse(json.dump(2)));
  EXPECT_EQ(through_text, lab);
}

TEST(RoutingJson, ALabWithoutProtocolsRoundTripsWithoutThem) {
  Lab lab = load_ok(R"(
[addressing]
loopback = "10.255.0.0/24"
[routing.bgp]
asn = 65000
[nodes.r1]
forward = true
)");
  lab.bgp.reset();
  Lab back = lab_from_json(to_json(lab));
  EXPECT_EQ(back, lab);
  EXPECT_FALSE(back.ospf.has_value());
  EXPECT_FALSE(back.bgp.has_value());
}

}  // namespace
}  // namespace nettopo::topology

namespace nettopo::topology {
namespace {

// A node that only forwards runs no OSPF: two FRR routers behind it are not one area, and it
// is nobody's OSPF or BGP neighbour (it gets a loopback, but no AS from the pool).
TEST(RoutingChecks, AForwardingNodeWithoutADaemonDoesNotJoinTheProtocols) {
  auto errors = errors_of(R"(
[addressing]
ipv4 = "10.1.0.0/16"
loopback = "10.255.0.0/24"
[routing.ospf]
[nodes.r1]
kind = "frr"
[nodes.x]
forward = true
[nodes.r2]
kind = "frr"
[[links]]
endpoints = ["r1", "x"]
[[links]]
endpoints = ["x", "r2"]
)");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("OSPF area 0.0.0.0 is split"), std::string::npos) << errors[0];
}

TEST(Kinds, AFrrKindThatNamesFrrExtendsTheBuiltIn) {
  Lab lab = load_ok(R"(
[kinds.frr]
kind = "frr"
exec = ["echo extended"]
[nodes.r1]
kind = "frr"
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_EQ(r1.daemon, RoutingDaemon::Frr);
  EXPECT_EQ(r1.exec.back(), "echo extended");
}

}  // namespace
}  // namespace nettopo::topology
