#include "netlink/address.h"

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(Address, Ipv4CarriesLocalAddressAndBroadcast) {
  Request request = address_add_request(5, prefix("10.1.2.3/24"));
  EXPECT_EQ(request.type(), RTM_NEWADDR);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
  const auto& header = request.extra_header<ifaddrmsg>();
  EXPECT_EQ(header.ifa_family, AF_INET);
  EXPECT_EQ(header.ifa_prefixlen, 24);
  EXPECT_EQ(header.ifa_index, 5u);
  EXPECT_EQ(header.ifa_flags, 0);
  EXPECT_EQ(header.ifa_scope, 0);
  auto attributes = attributes_of(request.header(), sizeof(ifaddrmsg));
  EXPECT_EQ(address(attributes[IFA_LOCAL], IpFamily::V4), ip("10.1.2.3"));
  EXPECT_EQ(address(attributes[IFA_ADDRESS], IpFamily::V4), ip("10.1.2.3"));
  EXPECT_EQ(address(attributes[IFA_BROADCAST], IpFamily::V4), ip("10.1.2.255"));
  EXPECT_FALSE(attributes.contains(IFA_FLAGS));  // nodad means nothing to IPv4
}

TEST(Address, PointToPointIpv4HasNoBroadcast) {
  auto attributes =
      attributes_of(address_add_request(5, prefix("10.0.0.0/31")).header(), sizeof(ifaddrmsg));
  EXPECT_FALSE(attributes.contains(IFA_BROADCAST));
  auto odd =
      attributes_of(address_add_request(5, prefix("10.0.0.9/29")).header(), sizeof(ifaddrmsg));
  EXPECT_EQ(address(odd[IFA_BROADCAST], IpFamily::V4), ip("10.0.0.15"));
}

TEST(Address, Ipv6SkipsDadByDefault) {
  Request request = address_add_request(2, prefix("fd00::1/64"));
  const auto& header = request.extra_header<ifaddrmsg>();
  EXPECT_EQ(header.ifa_family, AF_INET6);
  EXPECT_EQ(header.ifa_prefixlen, 64);
  EXPECT_EQ(header.ifa_flags, IFA_F_NODAD);
  auto attributes = attributes_of(request.header(), sizeof(ifaddrmsg));
  EXPECT_EQ(address(attributes[IFA_LOCAL], IpFamily::V6), ip("fd00::1"));
  EXPECT_EQ(address(attributes[IFA_ADDRESS], IpFamily::V6), ip("fd00::1"));
  EXPECT_EQ(u32(attributes[IFA_FLAGS]), unsigned{IFA_F_NODAD});
  EXPECT_FALSE(attributes.contains(IFA_BROADCAST));
}

TEST(Address, Ipv6WithDad) {
  Request request = address_add_request(2, prefix("fd00::1/64"), /*nodad=*/false);
  EXPECT_EQ(request.extra_header<ifaddrmsg>().ifa_flags, 0);
  EXPECT_FALSE(attributes_of(request.header(), sizeof(ifaddrmsg)).contains(IFA_FLAGS));
}

TEST(Address, Delete) {
  Request request = address_delete_request(2, prefix("10.0.0.1/24"));
  EXPECT_EQ(request.type(), RTM_DELADDR);
  EXPECT_EQ(request.flags(), NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(request.extra_header<ifaddrmsg>().ifa_prefixlen, 24);
  auto attributes = attributes_of(request.header(), sizeof(ifaddrmsg));
  EXPECT_EQ(address(attributes[IFA_LOCAL], IpFamily::V4), ip("10.0.0.1"));
}

TEST(Address, ParsesLocalBeforeAddress) {
  // Decoding our own request: the layout is the kernel's RTM_NEWADDR.
  Request request = address_add_request(9, prefix("fd00::7/112"));
  AddressInfo info = parse_address(request.header());
  EXPECT_EQ(info.ifindex, 9);
  EXPECT_EQ(info.prefix, prefix("fd00::7/112"));
  EXPECT_EQ(info.flags, unsigned{IFA_F_NODAD});
}

}  // namespace
}  // namespace nettopo::netlink
