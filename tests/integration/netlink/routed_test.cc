// Two hosts and a router, built only through this module, checked by reading the kernel's state
// back and by real packets: forwarding (a sysctl written inside the router), routes that carry
// the traffic (and their absence that stops it), and tbf shaping it, changed in place.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "netlink/address.h"
#include "netlink/qdisc.h"
#include "netlink/route.h"
#include "netlink/sysctl.h"
#include "netlink/veth.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

constexpr int kLo = 1;
constexpr int kEth0 = 2;  // each host's only link
constexpr int kToH1 = 2;  // the router's links
constexpr int kToH2 = 3;

// h1:eth0 10.1.0.2/24 fd01::2/64 -- r:eth1 10.1.0.1/24 fd01::1/64
// r:eth2 10.2.0.1/24 fd02::1/64  -- h2:eth0 10.2.0.2/24 fd02::2/64
// h1 has default routes via r; h2 only routes to h1's subnets via r. Forwarding is off.
struct RoutedLab {
  Namespace h1 = Namespace::create();
  Namespace r = Namespace::create();
  Namespace h2 = Namespace::create();

  RoutedLab() {
    r.socket.set_netns_name("r");
    r.socket.submit(veth_request({.name = "eth1", .ifindex = kToH1},
                                 {.name = "eth0", .netns_fd = h1.fd.get(), .ifindex = kEth0}, true),
                    "create veth", "r:eth1 -> h1:eth0");
    r.socket.submit(veth_request({.name = "eth2", .ifindex = kToH2},
                                 {.name = "eth0", .netns_fd = h2.fd.get(), .ifindex = kEth0}, true),
                    "create veth", "r:eth2 -> h2:eth0");
    r.socket.submit(address_add_request(kToH1, prefix("10.1.0.1/24")), "add address", "r:eth1");
    r.socket.submit(address_add_request(kToH1, prefix("fd01::1/64")), "add address", "r:eth1");
    r.socket.submit(address_add_request(kToH2, prefix("10.2.0.1/24")), "add address", "r:eth2");
    r.socket.submit(address_add_request(kToH2, prefix("fd02::1/64")), "add address", "r:eth2");
    r.socket.wait_all();
    struct Host {
      Namespace& ns;
      const char* v4;
      const char* v6;
    };
    for (const Host& host :
         {Host{h1, "10.1.0.2/24", "fd01::2/64"}, Host{h2, "10.2.0.2/24", "fd02::2/64"}}) {
      host.ns.socket.submit(address_add_request(kEth0, prefix(host.v4)), "add address", host.v4);
      host.ns.socket.submit(address_add_request(kEth0, prefix(host.v6)), "add address", host.v6);
      host.ns.socket.submit(link_up_request(kEth0, true), "set up", "eth0");
      host.ns.socket.submit(link_up_request(kLo, true), "set up", "lo");
    }
    h1.socket.submit(
        route_add_request(
            {.destination = prefix("0.0.0.0/0"), .gateway = ip("10.1.0.1"), .metric = 100}),
        "add route", "default via 10.1.0.1");
    h1.socket.submit(
        route_add_request({.destination = prefix("::/0"), .gateway = ip("fd01::1"), .oif = kEth0}),
        "add route", "::/0 via fd01::1");
    h2.socket.submit(route_add_request(return_route()), "add route", "10.1.0.0/24 via 10.2.0.1");
    h2.socket.submit(
        route_add_request({.destination = prefix("fd01::/64"), .gateway = ip("fd02::1")}),
        "add route", "fd01::/64 via fd02::1");
    h1.socket.wait_all();
    h2.socket.wait_all();
  }

  static RouteSpec return_route() {
    return {.destination = prefix("10.1.0.0/24"), .gateway = ip("10.2.0.1")};
  }
};

const RouteSpec* find_route(const std::vector<RouteSpec>& routes, const char* destination) {
  auto found = std::find_if(routes.begin(), routes.end(), [&](const RouteSpec& route) {
    return route.destination == prefix(destination);
  });
  return found == routes.end() ? nullptr : &*found;
}

TEST(RoutedIntegration, ForwardingAndRoutesCarryPingsAcrossTheRouter) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  RoutedLab lab;

  // Read back: the routes as the kernel holds them.
  auto h1_v4 = list_routes(lab.h1.socket, IpFamily::V4);
  const RouteSpec* fallback = find_route(h1_v4, "0.0.0.0/0");
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->gateway, ip("10.1.0.1"));
  EXPECT_EQ(fallback->metric, 100u);
  EXPECT_EQ(fallback->oif, kEth0);
  auto h1_v6 = list_routes(lab.h1.socket, IpFamily::V6);
  const RouteSpec* v6_default = find_route(h1_v6, "::/0");
  ASSERT_TRUE(v6_default);
  EXPECT_EQ(v6_default->gateway, ip("fd01::1"));
  EXPECT_EQ(v6_default->oif, kEth0);
  EXPECT_EQ(v6_default->metric, 1024u);  // the kernel's default IPv6 metric

  // The router's own links work, but it does not forward yet.
  EXPECT_EQ(ping(lab.h1.fd, "10.1.0.1"), 0);
  EXPECT_NE(ping_unanswered(lab.h1.fd, "10.2.0.2"), 0);
  write_sysctl(lab.r.fd, "net.ipv4.ip_forward", "1");
  write_sysctl(lab.r.fd, "net.ipv6.conf.all.forwarding", "1");
  EXPECT_EQ(read_sysctl(lab.h1.fd, "net.ipv4.ip_forward"), "0");  // only the router's changed
  EXPECT_EQ(ping(lab.h1.fd, "10.2.0.2"), 0);
  EXPECT_EQ(ping(lab.h2.fd, "10.1.0.2"), 0);
  EXPECT_EQ(ping(lab.h1.fd, "fd02::2"), 0);
  EXPECT_EQ(ping(lab.h2.fd, "fd01::2"), 0);

  // Without h2's return route the replies have nowhere to go.
  lab.h2.socket.execute(route_delete_request(RoutedLab::return_route()), "delete route",
                        "10.1.0.0/24 via 10.2.0.1");
  EXPECT_FALSE(find_route(list_routes(lab.h2.socket, IpFamily::V4), "10.1.0.0/24"));
  EXPECT_NE(ping_unanswered(lab.h1.fd, "10.2.0.2"), 0);
  // Replace creates the route when there is none, and replaces it (one route) when there is.
  lab.h2.socket.execute(route_add_request(RoutedLab::return_route(), /*replace=*/true),
                        "replace route", "10.1.0.0/24 via 10.2.0.1");
  RouteSpec on_link{.destination = prefix("10.1.0.0/24"), .oif = kEth0};
  lab.h2.socket.execute(route_add_request(on_link, /*replace=*/true), "replace route",
                        "10.1.0.0/24 dev eth0");
  auto h2_v4 = list_routes(lab.h2.socket, IpFamily::V4);
  EXPECT_EQ(std::count_if(
                h2_v4.begin(), h2_v4.end(),
                [](const RouteSpec& route) { return route.destination == prefix("10.1.0.0/24"); }),
            1);
  EXPECT_FALSE(find_route(h2_v4, "10.1.0.0/24")->gateway);  // now on-link: the router's ARP
  EXPECT_NE(ping_unanswered(lab.h1.fd, "10.2.0.2"), 0);     // has no proxy: no answer
  lab.h2.socket.execute(route_add_request(RoutedLab::return_route(), /*replace=*/true),
                        "replace route", "10.1.0.0/24 via 10.2.0.1");
  EXPECT_EQ(ping(lab.h1.fd, "10.2.0.2"), 0);
}

TEST(RoutedIntegration, TbfShapesRealTrafficAndChangesInPlace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  RoutedLab lab;
  write_sysctl(lab.r.fd, "net.ipv4.ip_forward", "1");
  // 500 kbit/s, a 4000-byte bucket, room for a second's worth of waiting packets.
  TbfSpec slow{.rate_bytes_per_second = 62'500, .burst_bytes = 4'000, .latency_us = 1'000'000};
  lab.h1.socket.execute(tbf_request(kEth0, slow), "add tbf", "h1:eth0");
  auto qdiscs = list_qdiscs(lab.h1.socket, kEth0);
  ASSERT_EQ(qdiscs.size(), 1u);
  ASSERT_TRUE(qdiscs[0].tbf);
  EXPECT_EQ(qdiscs[0].tbf->rate_bytes_per_second, 62'500u);
  EXPECT_NEAR(qdiscs[0].tbf->burst_bytes, 4'000, 40);
  EXPECT_EQ(qdiscs[0].tbf->limit_bytes, 62'500u + 4'000u);

  // 20 pings of 1442 bytes on the wire, sent 5 ms apart (0.1 s): beyond the bucket they leave
  // at 62500 bytes/s, so the last answer cannot come before (28840 - 4000) / 62500 = 0.4 s.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run_in(lab.h1.fd, {"ping", "-q", "-c20", "-i0.005", "-s1400", "-W5", "10.2.0.2"}), 0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(seconds, 0.35) << "tbf did not hold the packets back";
  qdiscs = list_qdiscs(lab.h1.socket, kEth0);
  ASSERT_EQ(qdiscs.size(), 1u);
  EXPECT_GE(qdiscs[0].packets, 20u);
  EXPECT_GT(qdiscs[0].overlimits, 0u) << "no packet ever waited for tokens";
  EXPECT_EQ(qdiscs[0].drops, 0u);
  uint64_t packets_before = qdiscs[0].packets;

  // Changed in place: new parameters, same qdisc (its counters carry on; a new one starts at 0).
  TbfSpec fast{.rate_bytes_per_second = 1'250'000, .burst_bytes = 64'000};
  lab.h1.socket.execute(tbf_request(kEth0, fast, /*change=*/true), "change tbf", "h1:eth0");
  qdiscs = list_qdiscs(lab.h1.socket, kEth0);
  ASSERT_EQ(qdiscs.size(), 1u);
  EXPECT_EQ(qdiscs[0].handle, kRootQdiscHandle);
  ASSERT_TRUE(qdiscs[0].tbf);
  EXPECT_EQ(qdiscs[0].tbf->rate_bytes_per_second, 1'250'000u);
  EXPECT_NEAR(qdiscs[0].tbf->burst_bytes, 64'000, 640);
  EXPECT_GE(qdiscs[0].packets, packets_before);
  EXPECT_EQ(ping(lab.h1.fd, "10.2.0.2"), 0);
  EXPECT_GT(list_qdiscs(lab.h1.socket, kEth0)[0].packets, packets_before);

  lab.h1.socket.execute(qdisc_delete_request(kEth0), "delete qdisc", "h1:eth0");
  for (const auto& qdisc : list_qdiscs(lab.h1.socket, kEth0)) EXPECT_NE(qdisc.kind, "tbf");
}

}  // namespace
}  // namespace nettopo::netlink
