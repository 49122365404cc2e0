// The core/sys address helpers as topology relies on them.

#include "core/sys/ip_address.h"

#include <gtest/gtest.h>

namespace nettopo {
namespace {

TEST(IpPrefix, ParseAndNetwork) {
  auto prefix = IpPrefix::parse("10.0.1.77/24");
  ASSERT_TRUE(prefix);
  EXPECT_EQ(prefix->network().to_string(), "10.0.1.0/24");
  EXPECT_EQ(IpPrefix::parse("fd00:10::1/48")->network().to_string(), "fd00:10::/48");
  EXPECT_EQ(IpPrefix::parse("10.1.2.3/0")->network().to_string(), "0.0.0.0/0");
  EXPECT_EQ(IpPrefix::parse("10.255.255.255/9")->network().to_string(), "10.128.0.0/9");
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/33"));
  EXPECT_FALSE(IpPrefix::parse("fd00::1/129"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/2x"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.300/24"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/024"));  // octal 20 to iproute2: refused, not guessed
  EXPECT_FALSE(IpPrefix::parse("10.0.0.1/+24"));
}

TEST(IpPrefix, Contains) {
  auto net = *IpPrefix::parse("10.0.0.0/16");
  EXPECT_TRUE(net.contains(*IpAddress::parse("10.0.255.1")));
  EXPECT_FALSE(net.contains(*IpAddress::parse("10.1.0.1")));
  EXPECT_FALSE(net.contains(*IpAddress::parse("::1")));
  EXPECT_TRUE(net.contains(*IpPrefix::parse("10.0.4.0/24")));
  EXPECT_FALSE(net.contains(*IpPrefix::parse("10.0.0.0/8")));
  EXPECT_TRUE(IpPrefix::parse("0.0.0.0/0")->contains(*IpAddress::parse("1.2.3.4")));
}

TEST(IpAddress, PlusCarries) {
  EXPECT_EQ(IpAddress::parse("10.0.0.255")->plus(1).to_string(), "10.0.1.0");
  EXPECT_EQ(IpAddress::parse("fd00::ffff")->plus(2).to_string(), "fd00::1:1");
  EXPECT_EQ(IpAddress::v4(0x0a000001).to_string(), "10.0.0.1");
}

TEST(MacAddress, Parse) {
  EXPECT_EQ(MacAddress::parse("02:00:00:AB:cd:01")->to_string(), "02:00:00:ab:cd:01");
  EXPECT_FALSE(MacAddress::parse("02:00:00:00:00"));
  EXPECT_FALSE(MacAddress::parse("02-00-00-00-00-01"));
  EXPECT_FALSE(MacAddress::parse("02:00:00:00:00:zz"));
}

}  // namespace
}  // namespace nettopo
