#include "netlink/request.h"

#include <gtest/gtest.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <string>

#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(Request, AddsRequestAndAckToTheFlags) {
  Request request(RTM_NEWLINK, NLM_F_CREATE);
  EXPECT_EQ(request.type(), RTM_NEWLINK);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
  EXPECT_EQ(request.size(), NLMSG_HDRLEN);
  EXPECT_EQ(request.bytes().size(), request.size());
  EXPECT_EQ(request.header()->nlmsg_len, request.size());
}

TEST(Request, CopiesTheExtraHeaderAfterTheNetlinkHeader) {
  ifinfomsg header{};
  header.ifi_index = 42;
  header.ifi_flags = 1;
  Request request(RTM_NEWLINK, 0, header);
  EXPECT_EQ(request.size(), NLMSG_HDRLEN + MNL_ALIGN(sizeof(ifinfomsg)));
  EXPECT_EQ(request.extra_header<ifinfomsg>().ifi_index, 42);
  EXPECT_EQ(request.extra_header<ifinfomsg>().ifi_flags, 1u);
}

TEST(Request, StringsAreNulTerminated) {
  Request request(RTM_NEWLINK, 0, ifinfomsg{});
  request.put(IFLA_IFNAME, std::string_view("eth0-and-more", 4));
  auto attributes = attributes_of(request.header(), sizeof(ifinfomsg));
  ASSERT_TRUE(attributes.contains(IFLA_IFNAME));
  EXPECT_EQ(mnl_attr_get_payload_len(attributes[IFLA_IFNAME]), 5u);
  EXPECT_EQ(text(attributes[IFLA_IFNAME]), "eth0");
}

TEST(Request, IntegersAreAsWideAsTheirType) {
  Request request(RTM_NEWLINK, 0, ifinfomsg{});
  request.put(1, uint8_t{7}).put(2, uint16_t{0x1234}).put(3, uint32_t{0xdeadbeef});
  request.put(4, uint64_t{1} << 40).put(5, -1);
  auto attributes = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(mnl_attr_get_payload_len(attributes[1]), 1u);
  EXPECT_EQ(mnl_attr_get_u8(attributes[1]), 7);
  EXPECT_EQ(mnl_attr_get_payload_len(attributes[2]), 2u);
  EXPECT_EQ(mnl_attr_get_u16(attributes[2]), 0x1234);
  EXPECT_EQ(u32(attributes[3]), 0xdeadbeefu);
  EXPECT_EQ(mnl_attr_get_payload_len(attributes[4]), 8u);
  EXPECT_EQ(mnl_attr_get_u64(attributes[4]), uint64_t{1} << 40);
  EXPECT_EQ(static_cast<int32_t>(u32(attributes[5])), -1);
}

TEST(Request, AddressesAreInNetworkOrder) {
  Request request(RTM_NEWADDR, 0);
  request.put(1, ip("10.1.2.3"))
      .put(2, ip("fd00::1"))
      .put(3, *MacAddress::parse("02:00:00:00:00:01"));
  auto attributes = attributes_of(request.header(), 0);
  EXPECT_EQ(address(attributes[1], IpFamily::V4), ip("10.1.2.3"));
  EXPECT_EQ(address(attributes[2], IpFamily::V6), ip("fd00::1"));
  ASSERT_EQ(mnl_attr_get_payload_len(attributes[3]), 6u);
  EXPECT_EQ(static_cast<const uint8_t*>(mnl_attr_get_payload(attributes[3]))[5], 1);
}

TEST(Request, NestsSurviveTheBufferGrowing) {
  Request request(RTM_NEWLINK, 0, ifinfomsg{});
  request.nest(IFLA_LINKINFO, [&] {
    request.put(IFLA_INFO_KIND, "veth");
    request.nest(IFLA_INFO_DATA, [&] {
      for (uint16_t i = 1; i <= 200; ++i) request.put(i, uint32_t{i});
    });
  });
  request.put(IFLA_MTU, uint32_t{9000});
  EXPECT_GT(request.size(), 1600u);
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(u32(top[IFLA_MTU]), 9000u);
  auto info = nested(top[IFLA_LINKINFO]);
  EXPECT_EQ(text(info[IFLA_INFO_KIND]), "veth");
  auto data = nested(info[IFLA_INFO_DATA]);
  ASSERT_EQ(data.size(), 200u);
  EXPECT_EQ(u32(data[200]), 200u);
}

TEST(Request, NestWithHeaderPutsTheHeaderBeforeTheAttributes) {
  Request request(RTM_NEWLINK, 0, ifinfomsg{});
  ifinfomsg peer{};
  peer.ifi_index = 101;
  request.nest(7, peer, [&] { request.put(IFLA_IFNAME, "peer"); });
  auto top = attributes_of(request.header(), sizeof(ifinfomsg));
  EXPECT_EQ(payload_header<ifinfomsg>(top[7]).ifi_index, 101);
  auto inner = nested_after_header(top[7], sizeof(ifinfomsg));
  EXPECT_EQ(text(inner[IFLA_IFNAME]), "peer");
}

TEST(Request, KeepsErrorHintsAndSequence) {
  Request request(RTM_NEWQDISC, 0);
  request.explain(ENOENT, "no such thing");
  request.set_sequence(77);
  ASSERT_EQ(request.error_hints().size(), 1u);
  EXPECT_EQ(request.error_hints()[0].error_number, ENOENT);
  EXPECT_EQ(request.error_hints()[0].text, "no such thing");
  EXPECT_EQ(request.sequence(), 77u);
  request.add_flags(NLM_F_DUMP);
  EXPECT_EQ(request.flags() & NLM_F_DUMP, NLM_F_DUMP);
}

TEST(Request, MovesKeepTheMessage) {
  Request request(RTM_NEWLINK, 0, ifinfomsg{});
  request.put(IFLA_IFNAME, "eth0");
  Request moved = std::move(request);
  auto attributes = attributes_of(moved.header(), sizeof(ifinfomsg));
  EXPECT_EQ(text(attributes[IFLA_IFNAME]), "eth0");
}

}  // namespace
}  // namespace nettopo::netlink
