// veth, bridge, vxlan, macvlan and the generic link requests, decoded attribute by attribute.

#include "netlink/link.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "core/sys/error.h"
#include "netlink/bridge.h"
#include "netlink/macvlan.h"
#include "netlink/veth.h"
#include "netlink/vxlan.h"
#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

constexpr uint16_t kCreate = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
constexpr uint16_t kModify = NLM_F_REQUEST | NLM_F_ACK;

TEST(Veth, CreatesBothEndsInPlaceWithFixedIndexes) {
  VethEnd a{.name = "eth0", .netns_fd = 5, .ifindex = 100};
  a.mac = MacAddress::parse("02:00:00:00:00:0a");
  a.mtu = 9000;
  VethEnd b{.name = "eth1", .netns_fd = 6, .ifindex = 101};
  Request request = veth_request(a, b);

  EXPECT_EQ(request.type(), RTM_NEWLINK);
  EXPECT_EQ(request.flags(), kCreate);
  const auto& header = request.extra_header<ifinfomsg>();
  EXPECT_EQ(header.ifi_family, AF_UNSPEC);
  EXPECT_EQ(header.ifi_index, 100);
  EXPECT_EQ(header.ifi_flags, 0u);
  EXPECT_EQ(header.ifi_change, 0u);

  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(top[IFLA_IFNAME]), "eth0");
  EXPECT_EQ(u32(top[IFLA_NET_NS_FD]), 5u);
  EXPECT_EQ(u32(top[IFLA_MTU]), 9000u);
  ASSERT_TRUE(top.contains(IFLA_ADDRESS));
  EXPECT_EQ(mnl_attr_get_payload_len(top[IFLA_ADDRESS]), 6u);
  auto info = nested(top[IFLA_LINKINFO]);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "veth");
  auto data = nested(info[IFLA_INFO_DATA]);
  ASSERT_EQ(data.size(), 1u);
  ASSERT_TRUE(data.contains(VETH_INFO_PEER));
  auto peer_header = payload_header<ifinfomsg>(data[VETH_INFO_PEER]);
  EXPECT_EQ(peer_header.ifi_family, AF_UNSPEC);
  EXPECT_EQ(peer_header.ifi_index, 101);
  EXPECT_EQ(peer_header.ifi_flags, 0u);
  auto peer = nested_after_header(data[VETH_INFO_PEER], sizeof(ifinfomsg));
  EXPECT_EQ(peer.size(), 2u);
  EXPECT_EQ(text(peer[IFLA_IFNAME]), "eth1");
  EXPECT_EQ(u32(peer[IFLA_NET_NS_FD]), 6u);
}

TEST(Veth, BytesAreExactlyWhatRtnetlinkParses) {
  // Written out by hand from rtnetlink's layout (linux/netlink.h, linux/if_link.h, veth.c's
  // veth_newlink: VETH_INFO_PEER holds an ifinfomsg, then the peer's own attributes), so the
  // encoder is checked against the format, not against itself. Little-endian host. Nests carry
  // NLA_F_NESTED as libmnl marks them (required where the kernel validates strictly).
  // clang-format off
  const uint8_t expected[] = {
      104, 0, 0, 0,  16, 0,  0x05, 0x06,  0, 0, 0, 0,  0, 0, 0, 0,  // nlmsghdr: RTM_NEWLINK,
                                                                      // REQUEST|ACK|EXCL|CREATE
      0, 0, 0, 0,  100, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  // ifinfomsg: index 100
      6, 0, 3, 0,  'a', 0, 0, 0,                            // IFLA_IFNAME "a", padded
      8, 0, 28, 0,  5, 0, 0, 0,                             // IFLA_NET_NS_FD 5
      56, 0, 18, 0x80,                                      // IFLA_LINKINFO | NLA_F_NESTED
      9, 0, 1, 0,  'v', 'e', 't', 'h',  0, 0, 0, 0,         //   IFLA_INFO_KIND "veth"
      40, 0, 2, 0x80,                                       //   IFLA_INFO_DATA | NESTED
      36, 0, 1, 0x80,                                       //     VETH_INFO_PEER | NESTED
      0, 0, 0, 0,  101, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,  //       ifinfomsg: index 101
      6, 0, 3, 0,  'b', 0, 0, 0,                            //       IFLA_IFNAME "b"
      8, 0, 28, 0,  6, 0, 0, 0,                             //       IFLA_NET_NS_FD 6
  };
  // clang-format on
  Request request = veth_request({.name = "a", .netns_fd = 5, .ifindex = 100},
                                 {.name = "b", .netns_fd = 6, .ifindex = 101});
  auto bytes = request.bytes();
  ASSERT_EQ(bytes.size(), sizeof expected);
  for (size_t i = 0; i < sizeof expected; ++i) EXPECT_EQ(bytes[i], expected[i]) << "byte " << i;
}

TEST(Veth, EndAMayBeCreatedUpAndNamespacesAreOptional) {
  Request request = veth_request({.name = "a"}, {.name = "b"}, /*a_up=*/true);
  const auto& header = request.extra_header<ifinfomsg>();
  EXPECT_EQ(header.ifi_index, 0);
  EXPECT_EQ(header.ifi_flags, unsigned{IFF_UP});
  EXPECT_EQ(header.ifi_change, unsigned{IFF_UP});
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_FALSE(top.contains(IFLA_NET_NS_FD));
  EXPECT_FALSE(top.contains(IFLA_MTU));
  auto peer_nest = nested(nested(top[IFLA_LINKINFO])[IFLA_INFO_DATA])[VETH_INFO_PEER];
  EXPECT_EQ(payload_header<ifinfomsg>(peer_nest).ifi_flags, 0u);
  auto peer = nested_after_header(peer_nest, sizeof(ifinfomsg));
  EXPECT_FALSE(peer.contains(IFLA_NET_NS_FD));
  EXPECT_EQ(text(peer[IFLA_IFNAME]), "b");
}

TEST(Bridge, CarriesKindNamespaceIndexAndState) {
  Request request =
      bridge_request({.name = "br0", .ifindex = 50, .netns_fd = 9, .mtu = 1400, .up = true});
  EXPECT_EQ(request.flags(), kCreate);
  const auto& header = request.extra_header<ifinfomsg>();
  EXPECT_EQ(header.ifi_index, 50);
  EXPECT_EQ(header.ifi_flags, unsigned{IFF_UP});
  EXPECT_EQ(header.ifi_change, unsigned{IFF_UP});
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(top[IFLA_IFNAME]), "br0");
  EXPECT_EQ(u32(top[IFLA_NET_NS_FD]), 9u);
  EXPECT_EQ(u32(top[IFLA_MTU]), 1400u);
  auto info = nested(top[IFLA_LINKINFO]);
  EXPECT_EQ(info.size(), 1u);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "bridge");
}

TEST(Bridge, TurnsOnSpanningTreeWithItsForwardDelay) {
  Request request = bridge_request(
      {.name = "s1", .ifindex = 2, .stp = true, .forward_delay_cs = kMinStpForwardDelay});
  auto info = nested(attributes_of(request.header(), sizeof(ifinfomsg))[IFLA_LINKINFO]);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "bridge");
  ASSERT_TRUE(info.contains(IFLA_INFO_DATA));
  auto data = nested(info[IFLA_INFO_DATA]);
  EXPECT_EQ(data.size(), 2u);
  EXPECT_EQ(u32(data[IFLA_BR_STP_STATE]), 1u);
  EXPECT_EQ(u32(data[IFLA_BR_FORWARD_DELAY]), 200u);
}

TEST(Bridge, LeavesSpanningTreeToTheKernelsDefaultUnlessAsked) {
  auto info = nested(
      attributes_of(bridge_request({.name = "s1"}).header(), sizeof(ifinfomsg))[IFLA_LINKINFO]);
  EXPECT_FALSE(info.contains(IFLA_INFO_DATA));
}

TEST(Link, UpAndDownTouchOnlyIffUp) {
  Request up = link_up_request(7, true);
  EXPECT_EQ(up.flags(), kModify);
  EXPECT_EQ(up.extra_header<ifinfomsg>().ifi_index, 7);
  EXPECT_EQ(up.extra_header<ifinfomsg>().ifi_flags, unsigned{IFF_UP});
  EXPECT_EQ(up.extra_header<ifinfomsg>().ifi_change, unsigned{IFF_UP});
  EXPECT_TRUE(attributes_of(up.header(), sizeof(ifinfomsg)).empty());
  Request down = link_up_request(7, false);
  EXPECT_EQ(down.extra_header<ifinfomsg>().ifi_flags, 0u);
  EXPECT_EQ(down.extra_header<ifinfomsg>().ifi_change, unsigned{IFF_UP});
}

TEST(Link, MtuMacRenameMasterAndDelete) {
  auto mtu = attributes_of(link_mtu_request(3, 1280).header(), sizeof(ifinfomsg));
  EXPECT_EQ(u32(mtu[IFLA_MTU]), 1280u);

  auto mac = attributes_of(link_mac_request(3, *MacAddress::parse("02:00:00:00:00:07")).header(),
                           sizeof(ifinfomsg));
  ASSERT_EQ(mnl_attr_get_payload_len(mac[IFLA_ADDRESS]), 6u);

  auto rename = attributes_of(link_rename_request(3, "wan0").header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(rename[IFLA_IFNAME]), "wan0");

  Request master = link_master_request(3, 12);
  EXPECT_EQ(master.type(), RTM_NEWLINK);
  EXPECT_EQ(master.extra_header<ifinfomsg>().ifi_index, 3);
  EXPECT_EQ(u32(attributes_of(master.header(), sizeof(ifinfomsg))[IFLA_MASTER]), 12u);
  EXPECT_EQ(u32(attributes_of(link_master_request(3, 0).header(), sizeof(ifinfomsg))[IFLA_MASTER]),
            0u);

  Request remove = link_delete_request(3);
  EXPECT_EQ(remove.type(), RTM_DELLINK);
  EXPECT_EQ(remove.flags(), kModify);
  EXPECT_EQ(remove.extra_header<ifinfomsg>().ifi_index, 3);
}

TEST(Link, ParsesWhatTheRequestsEncode) {
  // A request and the kernel's answer share the layout: decode our own encoding.
  VethEnd a{.name = "eth0", .ifindex = 100};
  a.mac = MacAddress::parse("02:00:00:00:00:0a");
  a.mtu = 1500;
  Request request = veth_request(a, {.name = "eth1"}, true);
  request.put(IFLA_MASTER, uint32_t{4});
  LinkInfo link = parse_link(request.header());
  EXPECT_EQ(link.index, 100);
  EXPECT_EQ(link.name, "eth0");
  EXPECT_EQ(link.kind, "veth");
  EXPECT_EQ(link.mtu, 1500u);
  EXPECT_EQ(link.flags & IFF_UP, unsigned{IFF_UP});
  EXPECT_EQ(link.mac, a.mac);
  EXPECT_EQ(link.master_index, 4);
  EXPECT_THROW(parse_link(link_delete_request(1).header()), Error);
}

TEST(Vxlan, UnicastRemoteOverIpv4) {
  VxlanSpec spec{.name = "vx0", .vni = 42};
  spec.local = ip("10.0.0.1");
  spec.remote = ip("10.0.0.2");
  spec.underlay_ifindex = 3;
  spec.netns_fd = 8;
  Request request = vxlan_request(spec);
  EXPECT_EQ(request.flags(), kCreate);
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(top[IFLA_IFNAME]), "vx0");
  EXPECT_EQ(u32(top[IFLA_NET_NS_FD]), 8u);
  auto info = nested(top[IFLA_LINKINFO]);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "vxlan");
  auto data = nested(info[IFLA_INFO_DATA]);
  EXPECT_EQ(u32(data[IFLA_VXLAN_ID]), 42u);
  EXPECT_EQ(address(data[IFLA_VXLAN_GROUP], IpFamily::V4), ip("10.0.0.2"));
  EXPECT_EQ(address(data[IFLA_VXLAN_LOCAL], IpFamily::V4), ip("10.0.0.1"));
  EXPECT_EQ(u32(data[IFLA_VXLAN_LINK]), 3u);
  ASSERT_EQ(mnl_attr_get_payload_len(data[IFLA_VXLAN_PORT]), 2u);
  EXPECT_EQ(ntohs(mnl_attr_get_u16(data[IFLA_VXLAN_PORT])), 4789);
  EXPECT_FALSE(data.contains(IFLA_VXLAN_GROUP6));
}

TEST(Vxlan, Ipv6GroupWithoutUnderlayOrLocal) {
  VxlanSpec spec{.name = "vx6", .vni = 7};
  spec.group = ip("ff05::100");
  spec.port = 8472;
  auto data = nested(nested(attributes_of(vxlan_request(spec).header(),
                                          sizeof(ifinfomsg))[IFLA_LINKINFO])[IFLA_INFO_DATA]);
  EXPECT_EQ(address(data[IFLA_VXLAN_GROUP6], IpFamily::V6), ip("ff05::100"));
  EXPECT_FALSE(data.contains(IFLA_VXLAN_LOCAL6));
  EXPECT_FALSE(data.contains(IFLA_VXLAN_LINK));
  EXPECT_EQ(ntohs(mnl_attr_get_u16(data[IFLA_VXLAN_PORT])), 8472);
}

TEST(Vxlan, RejectsRemoteWithGroupAndMixedFamilies) {
  VxlanSpec both{.name = "vx0", .vni = 1};
  both.remote = ip("10.0.0.2");
  both.group = ip("239.1.1.1");
  EXPECT_THROW(vxlan_request(both), Error);
  VxlanSpec mixed{.name = "vx0", .vni = 1};
  mixed.local = ip("10.0.0.1");
  mixed.remote = ip("fd00::2");
  EXPECT_THROW(vxlan_request(mixed), Error);
}

TEST(Macvlan, ParentAndMode) {
  Request request = macvlan_request(
      {.name = "mv0", .parent_ifindex = 4, .mode = MacvlanSpec::Mode::Private, .netns_fd = 11});
  EXPECT_EQ(request.flags(), kCreate);
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(top[IFLA_IFNAME]), "mv0");
  EXPECT_EQ(u32(top[IFLA_LINK]), 4u);
  EXPECT_EQ(u32(top[IFLA_NET_NS_FD]), 11u);
  auto info = nested(top[IFLA_LINKINFO]);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "macvlan");
  EXPECT_EQ(u32(nested(info[IFLA_INFO_DATA])[IFLA_MACVLAN_MODE]), unsigned{MACVLAN_MODE_PRIVATE});

  auto bridge_mode =
      nested(nested(attributes_of(macvlan_request({.name = "mv1", .parent_ifindex = 4}).header(),
                                  sizeof(ifinfomsg))[IFLA_LINKINFO])[IFLA_INFO_DATA]);
  EXPECT_EQ(u32(bridge_mode[IFLA_MACVLAN_MODE]), unsigned{MACVLAN_MODE_BRIDGE});
}

}  // namespace
}  // namespace nettopo::netlink
