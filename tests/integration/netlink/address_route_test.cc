// Addresses and routes read back from the kernel, and the kernel's own error text.

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "netlink/address.h"
#include "netlink/route.h"
#include "netlink/veth.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

// A namespace with one veth end "eth0" (ifindex 2) up, its peer "peer" (ifindex 3) up.
Namespace namespace_with_link() {
  Namespace ns = Namespace::create();
  ns.socket.submit(
      veth_request({.name = "eth0", .ifindex = 2}, {.name = "peer", .ifindex = 3}, true),
      "create veth eth0 -> peer");
  ns.socket.submit(link_up_request(3, true), "bring peer up");
  ns.socket.wait_all();
  return ns;
}

bool has_address(const std::vector<AddressInfo>& addresses, int ifindex, const IpPrefix& prefix) {
  return std::any_of(addresses.begin(), addresses.end(), [&](const AddressInfo& info) {
    return info.ifindex == ifindex && info.prefix == prefix;
  });
}

TEST(AddressIntegration, AddressesReadBackPerFamily) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  ns.socket.submit(address_add_request(2, prefix("10.0.0.1/24")), "add 10.0.0.1/24");
  ns.socket.submit(address_add_request(2, prefix("10.0.1.1/31")), "add 10.0.1.1/31");
  ns.socket.submit(address_add_request(2, prefix("fd00::1/64")), "add fd00::1/64");
  ns.socket.wait_all();

  auto v4 = list_addresses(ns.socket, IpFamily::V4);
  EXPECT_TRUE(has_address(v4, 2, prefix("10.0.0.1/24")));
  EXPECT_TRUE(has_address(v4, 2, prefix("10.0.1.1/31")));
  EXPECT_FALSE(has_address(v4, 2, prefix("fd00::1/64")));
  auto v6 = list_addresses(ns.socket, IpFamily::V6);
  EXPECT_TRUE(has_address(v6, 2, prefix("fd00::1/64")));
  for (const auto& info : v6) EXPECT_EQ(info.prefix.family(), IpFamily::V6);
  auto all = list_addresses(ns.socket);
  EXPECT_TRUE(has_address(all, 2, prefix("10.0.0.1/24")));
  EXPECT_TRUE(has_address(all, 2, prefix("fd00::1/64")));

  Request remove = address_delete_request(2, prefix("10.0.0.1/24"));
  ns.socket.execute(remove, "delete 10.0.0.1/24");
  EXPECT_FALSE(has_address(list_addresses(ns.socket, IpFamily::V4), 2, prefix("10.0.0.1/24")));
  ns.socket.execute(address_delete_request(2, prefix("fd00::1/64")), "delete", "fd00::1/64");
  EXPECT_FALSE(has_address(list_addresses(ns.socket, IpFamily::V6), 2, prefix("fd00::1/64")));
  EXPECT_TRUE(has_address(list_addresses(ns.socket, IpFamily::V4), 2, prefix("10.0.1.1/31")));
}

TEST(AddressIntegration, NodadMakesIpv6UsableAtOnce) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();  // both ends up: DAD would run
  ns.socket.submit(address_add_request(2, prefix("fd00::1/64")), "add", "fd00::1/64 nodad");
  ns.socket.submit(address_add_request(2, prefix("fd00::2/64"), /*nodad=*/false), "add",
                   "fd00::2/64");
  ns.socket.wait_all();
  int seen = 0;
  for (const auto& info : list_addresses(ns.socket, IpFamily::V6)) {
    if (info.prefix == prefix("fd00::1/64")) {
      ++seen;
      EXPECT_TRUE(info.flags & IFA_F_NODAD);
      EXPECT_FALSE(info.flags & IFA_F_TENTATIVE);
    } else if (info.prefix == prefix("fd00::2/64")) {
      ++seen;
      EXPECT_TRUE(info.flags & IFA_F_TENTATIVE);  // DAD takes a second or more
    }
  }
  EXPECT_EQ(seen, 2);
}

TEST(AddressIntegration, DuplicateAddressIsEexist) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  Request first = address_add_request(2, prefix("10.0.0.1/24"));
  ns.socket.execute(first, "add 10.0.0.1/24 to eth0");
  Request again = address_add_request(2, prefix("10.0.0.1/24"));
  try {
    ns.socket.execute(again, "add 10.0.0.1/24 to eth0");
    FAIL() << "a duplicate address was accepted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error_number(), EEXIST) << error.what();
    EXPECT_EQ(error.kernel_message(), "ipv4: Address already assigned") << error.what();
    EXPECT_NE(std::string(error.what()).find("(kernel: \"ipv4: Address already assigned\")"),
              std::string::npos);
    std::cout << "duplicate address: " << error.what() << "\n";
  }
}

TEST(RouteIntegration, GatewayDefaultMetricAndReplaceReadBack) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  ns.socket.submit(address_add_request(2, prefix("10.0.0.1/24")), "add 10.0.0.1/24");
  ns.socket.submit(address_add_request(2, prefix("fd00::1/64")), "add fd00::1/64");
  ns.socket.wait_all();

  RouteSpec via{.destination = prefix("10.9.0.0/16"), .gateway = ip("10.0.0.2")};
  RouteSpec fallback{.destination = prefix("0.0.0.0/0"), .gateway = ip("10.0.0.2"), .metric = 100};
  RouteSpec on_link{.destination = prefix("10.8.0.0/16"), .oif = 2, .mtu = 1400};
  RouteSpec v6{.destination = prefix("fd00:9::/64"), .gateway = ip("fd00::2")};
  RouteSpec v6_default{.destination = prefix("::/0"), .gateway = ip("fd00::2"), .oif = 2};
  for (const auto* route : {&via, &fallback, &on_link, &v6, &v6_default}) {
    ns.socket.submit(route_add_request(*route), "add route " + route->destination.to_string());
  }
  ns.socket.wait_all();

  auto routes = list_routes(ns.socket, IpFamily::V4);
  auto find = [](const std::vector<RouteSpec>& list, const IpPrefix& destination) {
    return std::find_if(list.begin(), list.end(),
                        [&](const RouteSpec& route) { return route.destination == destination; });
  };
  auto found = find(routes, via.destination);
  ASSERT_NE(found, routes.end());
  EXPECT_EQ(found->gateway, ip("10.0.0.2"));
  EXPECT_EQ(found->oif, 2);  // the kernel resolved the gateway's interface
  found = find(routes, fallback.destination);
  ASSERT_NE(found, routes.end());
  EXPECT_EQ(found->metric, 100u);
  found = find(routes, on_link.destination);
  ASSERT_NE(found, routes.end());
  EXPECT_FALSE(found->gateway);
  EXPECT_EQ(found->mtu, 1400u);
  EXPECT_NE(find(routes, prefix("10.0.0.0/24")), routes.end());  // the connected route

  // Replace keeps one default route (same destination and metric) with the new gateway.
  RouteSpec moved = fallback;
  moved.gateway = ip("10.0.0.3");
  Request replace = route_add_request(moved, /*replace=*/true);
  ns.socket.execute(replace, "replace default route");
  routes = list_routes(ns.socket, IpFamily::V4);
  EXPECT_EQ(std::count_if(routes.begin(), routes.end(),
                          [](const RouteSpec& route) { return route.destination.is_default(); }),
            1);
  EXPECT_EQ(find(routes, fallback.destination)->gateway, ip("10.0.0.3"));
  // Without replace the same route is EEXIST.
  Request duplicate = route_add_request(moved);
  EXPECT_THROW(ns.socket.execute(duplicate, "add default route again"), NetlinkError);

  auto v6_routes = list_routes(ns.socket, IpFamily::V6);
  auto v6_found = find(v6_routes, v6.destination);
  ASSERT_NE(v6_found, v6_routes.end());
  EXPECT_EQ(v6_found->gateway, ip("fd00::2"));
  ASSERT_NE(find(v6_routes, v6_default.destination), v6_routes.end());
  for (const auto& route : v6_routes) EXPECT_EQ(route.destination.family(), IpFamily::V6);

  // IPv6 replace: the same default route (same metric) through another gateway, still one.
  RouteSpec v6_moved = v6_default;
  v6_moved.gateway = ip("fd00::3");
  ns.socket.execute(route_add_request(v6_moved, /*replace=*/true), "replace", "::/0");
  v6_routes = list_routes(ns.socket, IpFamily::V6);
  EXPECT_EQ(std::count_if(v6_routes.begin(), v6_routes.end(),
                          [](const RouteSpec& route) { return route.destination.is_default(); }),
            1);
  EXPECT_EQ(find(v6_routes, v6_default.destination)->gateway, ip("fd00::3"));
  ns.socket.execute(route_delete_request(v6_moved), "delete", "::/0");
  ns.socket.execute(route_delete_request(v6), "delete", "fd00:9::/64");
  v6_routes = list_routes(ns.socket, IpFamily::V6);
  EXPECT_EQ(find(v6_routes, v6_default.destination), v6_routes.end());
  EXPECT_EQ(find(v6_routes, v6.destination), v6_routes.end());

  Request remove = route_delete_request(via);
  ns.socket.execute(remove, "delete route 10.9.0.0/16");
  routes = list_routes(ns.socket, IpFamily::V4);
  EXPECT_EQ(find(routes, via.destination), routes.end());
}

TEST(RouteIntegration, UnreachableGatewayCarriesTheKernelsMessage) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = namespace_with_link();
  Request address = address_add_request(2, prefix("10.0.0.1/24"));
  ns.socket.execute(address, "add 10.0.0.1/24");
  RouteSpec route{.destination = prefix("10.99.0.0/16"), .gateway = ip("10.77.0.1")};
  Request request = route_add_request(route);
  try {
    ns.socket.execute(request, "add route 10.99.0.0/16 via 10.77.0.1");
    FAIL() << "a route via an unreachable gateway was accepted";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.error_number(), ENETUNREACH) << error.what();
    EXPECT_FALSE(error.kernel_message().empty()) << error.what();
    EXPECT_NE(std::string(error.what()).find("(kernel: \"" + error.kernel_message() + "\")"),
              std::string::npos);
    std::cout << "unreachable gateway: " << error.what() << "\n";
  }
}

}  // namespace
}  // namespace nettopo::netlink
