// veth pairs created in place, bridges with ports, macvlan and vxlan, and real packets across them.

#include "netlink/link.h"

#include <gtest/gtest.h>
#include <linux/if.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "netlink/address.h"
#include "netlink/bridge.h"
#include "netlink/macvlan.h"
#include "netlink/veth.h"
#include "netlink/vxlan.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(LinkIntegration, VethIsCreatedInPlaceWithFinalNamesAndIndexes) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  // The request goes through a third namespace's socket: neither end ever exists there.
  Namespace control = Namespace::create();
  Namespace h1 = Namespace::create();
  Namespace r1 = Namespace::create();
  Request request = veth_request({.name = "eth0", .netns_fd = h1.fd.get(), .ifindex = 100},
                                 {.name = "eth7", .netns_fd = r1.fd.get(), .ifindex = 101},
                                 /*a_up=*/true);
  control.socket.execute(request, "create veth h1:eth0 -> r1:eth7");

  auto a = find_link(h1.socket, "eth0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->index, 100);
  EXPECT_EQ(a->kind, "veth");
  EXPECT_TRUE(a->flags & IFF_UP);
  auto b = find_link(r1.socket, "eth7");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->index, 101);
  EXPECT_FALSE(b->flags & IFF_UP);
  for (const auto& link : list_links(control.socket)) EXPECT_EQ(link.name, "lo");
  EXPECT_FALSE(find_link(h1.socket, "eth7"));
}

TEST(LinkIntegration, GenericOperations) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  Request veth = veth_request({.name = "a", .ifindex = 10}, {.name = "b", .ifindex = 11});
  ns.socket.execute(veth, "create veth a -> b");
  auto mac = *MacAddress::parse("02:00:00:00:00:42");
  ns.socket.submit(link_mtu_request(10, 1400), "set mtu of a");
  ns.socket.submit(link_mac_request(10, mac), "set mac of a");
  ns.socket.submit(link_rename_request(10, "wan0"), "rename a to wan0");
  ns.socket.submit(link_up_request(10, true), "bring wan0 up");
  ns.socket.wait_all();
  auto link = find_link(ns.socket, "wan0");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->mtu, 1400u);
  EXPECT_EQ(link->mac, mac);
  EXPECT_TRUE(link->flags & IFF_UP);
  ns.socket.execute(link_up_request(10, false), "set down", "wan0");
  EXPECT_FALSE(find_link(ns.socket, "wan0")->flags & IFF_UP);
  EXPECT_FALSE(find_link(ns.socket, "a"));  // the old name is gone
  Request remove = link_delete_request(10);
  ns.socket.execute(remove, "delete wan0");
  EXPECT_FALSE(find_link(ns.socket, "wan0"));
  EXPECT_FALSE(find_link(ns.socket, "b"));  // a veth takes its peer along
}

TEST(LinkIntegration, BridgeWithPortsCarriesIpv4AndIpv6Pings) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace h1 = Namespace::create();
  Namespace h2 = Namespace::create();
  Namespace sw = Namespace::create();
  // Everything is created from the switch's socket, the host ends directly in place.
  sw.socket.submit(bridge_request({.name = "br0", .ifindex = 50, .up = true}), "create bridge br0");
  sw.socket.submit(veth_request({.name = "p1", .ifindex = 51},
                                {.name = "eth0", .netns_fd = h1.fd.get(), .ifindex = 2}, true),
                   "create veth sw:p1 -> h1:eth0");
  sw.socket.submit(veth_request({.name = "p2", .ifindex = 52},
                                {.name = "eth0", .netns_fd = h2.fd.get(), .ifindex = 2}, true),
                   "create veth sw:p2 -> h2:eth0");
  sw.socket.submit(link_master_request(51, 50), "attach p1 to br0");
  sw.socket.submit(link_master_request(52, 50), "attach p2 to br0");
  sw.socket.wait_all();

  const char* v4[] = {"10.0.0.1/24", "10.0.0.2/24"};
  const char* v6[] = {"fd00::1/64", "fd00::2/64"};
  Namespace* hosts[] = {&h1, &h2};
  for (int i = 0; i < 2; ++i) {
    Socket& socket = hosts[i]->socket;
    socket.submit(address_add_request(2, prefix(v4[i])), "add v4 address");
    socket.submit(address_add_request(2, prefix(v6[i])), "add v6 address");
    socket.submit(link_up_request(2, true), "bring eth0 up");
    socket.submit(link_up_request(1, true), "bring lo up");
  }
  for (auto* host : hosts) host->socket.wait_all();

  auto p1 = find_link(sw.socket, "p1");
  ASSERT_TRUE(p1);
  EXPECT_EQ(p1->master_index, 50);
  EXPECT_EQ(find_link(sw.socket, "br0")->kind, "bridge");

  EXPECT_EQ(ping(h1.fd, "10.0.0.2"), 0);
  EXPECT_EQ(ping(h2.fd, "10.0.0.1"), 0);
  EXPECT_EQ(ping(h1.fd, "fd00::2"), 0);

  // Detached, p2 no longer forwards to p1: h2 is cut off.
  sw.socket.execute(link_master_request(52, 0), "detach", "p2 from br0");
  EXPECT_EQ(find_link(sw.socket, "p2")->master_index, 0);
  EXPECT_NE(ping_unanswered(h1.fd, "10.0.0.2"), 0);
}

TEST(LinkIntegration, MacvlanAndVxlanInsideANamespace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  Request veth = veth_request({.name = "uplink", .ifindex = 20}, {.name = "peer", .ifindex = 21});
  ns.socket.execute(veth, "create veth uplink -> peer");
  ns.socket.submit(macvlan_request({.name = "mv0", .parent_ifindex = 20}), "create macvlan mv0");
  VxlanSpec vxlan{.name = "vx0", .vni = 42};
  vxlan.remote = ip("10.1.1.1");
  ns.socket.submit(vxlan_request(vxlan), "create vxlan vx0");
  ns.socket.wait_all();

  auto links = list_links(ns.socket);
  auto kind_of = [&](const std::string& name) {
    auto found = std::find_if(links.begin(), links.end(),
                              [&](const LinkInfo& link) { return link.name == name; });
    return found == links.end() ? std::string("(missing)") : found->kind;
  };
  EXPECT_EQ(kind_of("mv0"), "macvlan");
  EXPECT_EQ(kind_of("vx0"), "vxlan");
  EXPECT_EQ(kind_of("uplink"), "veth");
  EXPECT_EQ(kind_of("lo"), "");
}

TEST(LinkIntegration, VxlanOverAVethCarriesPingsAndLandsInItsNamespace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  // Two "hosts" (u1, u2) joined by an underlay veth; a node o1 whose vxlan device rides u1's
  // underlay: created from u1's socket straight into o1, as a cross-host link will be.
  Namespace u1 = Namespace::create();
  Namespace u2 = Namespace::create();
  Namespace o1 = Namespace::create();
  u1.socket.submit(veth_request({.name = "eth0", .ifindex = 2},
                                {.name = "eth0", .netns_fd = u2.fd.get(), .ifindex = 2}, true),
                   "create veth", "u1:eth0 -> u2:eth0");
  u1.socket.submit(address_add_request(2, prefix("10.0.0.1/24")), "add address", "u1:eth0");
  u1.socket.wait_all();
  VxlanSpec over_u1{.name = "vx0", .vni = 42, .underlay_ifindex = 2, .netns_fd = o1.fd.get()};
  over_u1.local = ip("10.0.0.1");
  over_u1.remote = ip("10.0.0.2");
  u1.socket.execute(vxlan_request(over_u1), "create vxlan", "o1:vx0 over u1:eth0");
  EXPECT_FALSE(find_link(u1.socket, "vx0"));  // never in the creator's namespace

  VxlanSpec over_u2{.name = "vx0", .vni = 42, .underlay_ifindex = 2};
  over_u2.local = ip("10.0.0.2");
  over_u2.remote = ip("10.0.0.1");
  u2.socket.submit(address_add_request(2, prefix("10.0.0.2/24")), "add address", "u2:eth0");
  u2.socket.submit(link_up_request(2, true), "set up", "u2:eth0");
  u2.socket.submit(vxlan_request(over_u2), "create vxlan", "u2:vx0");
  u2.socket.wait_all();

  for (Namespace* ns : {&o1, &u2}) {
    auto vx0 = find_link(ns->socket, "vx0");
    ASSERT_TRUE(vx0);
    EXPECT_EQ(vx0->kind, "vxlan");
    EXPECT_EQ(vx0->mtu, 1450u);  // the underlay's 1500 less the 50 bytes of encapsulation
    const char* address = ns == &o1 ? "192.168.42.1/24" : "192.168.42.2/24";
    ns->socket.submit(address_add_request(vx0->index, prefix(address)), "add address", address);
    ns->socket.submit(link_up_request(vx0->index, true), "set up", "vx0");
    ns->socket.wait_all();
  }
  EXPECT_EQ(ping(o1.fd, "192.168.42.2"), 0);
  EXPECT_EQ(ping(u2.fd, "192.168.42.1"), 0);
}

TEST(LinkIntegration, MacvlanOnAVethReachesThePeerFromAnotherNamespace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  // a:uplink <-> b:eth0, and a macvlan on a's uplink created straight into c: the way a node
  // will get a link onto a host NIC.
  Namespace a = Namespace::create();
  Namespace b = Namespace::create();
  Namespace c = Namespace::create();
  a.socket.execute(veth_request({.name = "uplink", .ifindex = 2},
                                {.name = "eth0", .netns_fd = b.fd.get(), .ifindex = 2}, true),
                   "create veth", "a:uplink -> b:eth0");
  a.socket.execute(macvlan_request({.name = "mv0", .parent_ifindex = 2, .netns_fd = c.fd.get()}),
                   "create macvlan", "c:mv0 on a:uplink");
  EXPECT_FALSE(find_link(a.socket, "mv0"));
  auto mv0 = find_link(c.socket, "mv0");
  ASSERT_TRUE(mv0);
  EXPECT_EQ(mv0->kind, "macvlan");
  c.socket.submit(address_add_request(mv0->index, prefix("10.5.0.2/24")), "add address", "mv0");
  c.socket.submit(link_up_request(mv0->index, true), "set up", "mv0");
  c.socket.wait_all();
  b.socket.submit(address_add_request(2, prefix("10.5.0.1/24")), "add address", "b:eth0");
  b.socket.submit(link_up_request(2, true), "set up", "b:eth0");
  b.socket.wait_all();
  EXPECT_EQ(ping(c.fd, "10.5.0.1"), 0);
  EXPECT_EQ(ping(b.fd, "10.5.0.2"), 0);
}

TEST(LinkIntegration, FindLinkSaysNothingForAMissingName) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  EXPECT_FALSE(find_link(ns.socket, "nope0"));
  auto lo = find_link(ns.socket, "lo");
  ASSERT_TRUE(lo);
  EXPECT_EQ(lo->index, 1);
}

TEST(LinkIntegration, DuplicateVethNameFailsWithTheKernelsWords) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  Request first = veth_request({.name = "x0"}, {.name = "y0"});
  ns.socket.execute(first, "create veth x0 -> y0");
  Request again = veth_request({.name = "x0"}, {.name = "y1"});
  try {
    ns.socket.execute(again, "create veth x0 -> y1");
    FAIL() << "a second x0 was accepted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error_number(), EEXIST);
    EXPECT_EQ(error.operation(), "create veth x0 -> y1");
    EXPECT_NE(std::string(error.what()).find("create veth x0 -> y1: File exists"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace nettopo::netlink
