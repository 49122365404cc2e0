#include "netlink/route.h"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(Route, Ipv4DefaultViaGateway) {
  RouteSpec route{.destination = prefix("0.0.0.0/0"), .gateway = ip("10.0.0.1")};
  Request request = route_add_request(route);
  EXPECT_EQ(request.type(), RTM_NEWROUTE);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  const auto& header = request.extra_header<rtmsg>();
  EXPECT_EQ(header.rtm_family, AF_INET);
  EXPECT_EQ(header.rtm_dst_len, 0);
  EXPECT_EQ(header.rtm_table, RT_TABLE_MAIN);
  EXPECT_EQ(header.rtm_protocol, RTPROT_STATIC);
  EXPECT_EQ(header.rtm_scope, RT_SCOPE_UNIVERSE);
  EXPECT_EQ(header.rtm_type, RTN_UNICAST);
  auto attributes = attributes_of(request.header(), sizeof(rtmsg));
  EXPECT_FALSE(attributes.contains(RTA_DST));
  EXPECT_FALSE(attributes.contains(RTA_OIF));
  EXPECT_FALSE(attributes.contains(RTA_PRIORITY));
  EXPECT_EQ(address(attributes[RTA_GATEWAY], IpFamily::V4), ip("10.0.0.1"));
  EXPECT_EQ(u32(attributes[RTA_TABLE]), unsigned{RT_TABLE_MAIN});
}

TEST(Route, Ipv4OnLinkWithMetricIsScopeLink) {
  RouteSpec route{.destination = prefix("10.9.0.0/16"), .oif = 4, .metric = 100};
  Request request = route_add_request(route);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_dst_len, 16);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_scope, RT_SCOPE_LINK);
  auto attributes = attributes_of(request.header(), sizeof(rtmsg));
  EXPECT_EQ(address(attributes[RTA_DST], IpFamily::V4), ip("10.9.0.0"));
  EXPECT_EQ(u32(attributes[RTA_OIF]), 4u);
  EXPECT_EQ(u32(attributes[RTA_PRIORITY]), 100u);
  EXPECT_FALSE(attributes.contains(RTA_GATEWAY));
}

TEST(Route, Ipv6GatewayAndOif) {
  RouteSpec route{.destination = prefix("fd00:9::/64"), .gateway = ip("fd00::1"), .oif = 2};
  Request request = route_add_request(route);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_family, AF_INET6);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_dst_len, 64);
  auto attributes = attributes_of(request.header(), sizeof(rtmsg));
  EXPECT_EQ(address(attributes[RTA_DST], IpFamily::V6), ip("fd00:9::"));
  EXPECT_EQ(address(attributes[RTA_GATEWAY], IpFamily::V6), ip("fd00::1"));
  EXPECT_EQ(u32(attributes[RTA_OIF]), 2u);
}

TEST(Route, Ipv6Default) {
  RouteSpec route{.destination = prefix("::/0"), .gateway = ip("fe80::1"), .oif = 2};
  auto attributes = attributes_of(route_add_request(route).header(), sizeof(rtmsg));
  EXPECT_FALSE(attributes.contains(RTA_DST));
}

TEST(Route, ReplaceUsesReplaceInsteadOfExcl) {
  RouteSpec route{.destination = prefix("0.0.0.0/0"), .gateway = ip("10.0.0.1")};
  EXPECT_EQ(route_add_request(route, /*replace=*/true).flags(),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
}

TEST(Route, TablesBeyond255TravelInRtaTable) {
  RouteSpec route{.destination = prefix("10.0.0.0/8"), .oif = 1, .table = 1000};
  Request request = route_add_request(route);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_table, RT_TABLE_UNSPEC);
  EXPECT_EQ(u32(attributes_of(request.header(), sizeof(rtmsg))[RTA_TABLE]), 1000u);
}

TEST(Route, DeleteMatchesAnyScope) {
  RouteSpec route{.destination = prefix("10.0.0.0/8"), .gateway = ip("10.0.0.1")};
  Request request = route_delete_request(route);
  EXPECT_EQ(request.type(), RTM_DELROUTE);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(request.extra_header<rtmsg>().rtm_scope, RT_SCOPE_NOWHERE);
  auto attributes = attributes_of(request.header(), sizeof(rtmsg));
  EXPECT_EQ(address(attributes[RTA_GATEWAY], IpFamily::V4), ip("10.0.0.1"));
}

TEST(Route, MtuTravelsInTheMetricsNest) {
  RouteSpec route{.destination = prefix("10.0.0.0/8"), .oif = 1, .mtu = 1400};
  auto attributes = attributes_of(route_add_request(route).header(), sizeof(rtmsg));
  ASSERT_TRUE(attributes.contains(RTA_METRICS));
  auto metrics = nested(attributes[RTA_METRICS]);
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(u32(metrics[RTAX_MTU]), 1400u);
  RouteSpec plain{.destination = prefix("10.0.0.0/8"), .oif = 1};
  EXPECT_FALSE(
      attributes_of(route_add_request(plain).header(), sizeof(rtmsg)).contains(RTA_METRICS));
  // A delete matches without it.
  EXPECT_FALSE(
      attributes_of(route_delete_request(route).header(), sizeof(rtmsg)).contains(RTA_METRICS));
}

TEST(Route, ParsesWhatTheRequestEncodes) {
  RouteSpec route{.destination = prefix("fd00:9::/64"),
                  .gateway = ip("fd00::1"),
                  .oif = 2,
                  .metric = 7,
                  .mtu = 1280};
  Request request = route_add_request(route);
  // The kernel answers RTM_NEWROUTE in the same layout.
  EXPECT_EQ(parse_route(request.header()), route);
  RouteSpec v4_default{.destination = prefix("0.0.0.0/0"), .gateway = ip("10.0.0.1")};
  EXPECT_EQ(parse_route(route_add_request(v4_default).header()), v4_default);
}

}  // namespace
}  // namespace nettopo::netlink
