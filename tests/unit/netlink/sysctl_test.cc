#include "netlink/sysctl.h"

#include <gtest/gtest.h>

#include "core/sys/error.h"

namespace nettopo::netlink {
namespace {

TEST(Sysctl, DotsBecomeSlashes) {
  EXPECT_EQ(sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
  EXPECT_EQ(sysctl_path("net.ipv6.conf.all.forwarding"), "/proc/sys/net/ipv6/conf/all/forwarding");
}

TEST(Sysctl, SlashedKeysKeepTheirDots) {
  EXPECT_EQ(sysctl_path("net/ipv4/conf/eth0.10/forwarding"),
            "/proc/sys/net/ipv4/conf/eth0.10/forwarding");
}

TEST(Sysctl, GoesThroughAnotherProcfsWhenTold) {
  // A node's own procfs: see write_sysctl_via.
  EXPECT_EQ(sysctl_path("net.ipv4.ip_forward", "/proc/42/root/proc"),
            "/proc/42/root/proc/sys/net/ipv4/ip_forward");
}

TEST(Sysctl, RefusesKeysThatLeaveProcSys) {
  EXPECT_THROW(sysctl_path(""), UsageError);
  EXPECT_THROW(sysctl_path("net/../../etc/passwd"), UsageError);
  EXPECT_THROW(sysctl_path("net..ipv4"), UsageError);
  EXPECT_THROW(sysctl_path("/net/ipv4"), UsageError);
}

// The writer follows the rule validate and the plan follow (core/sys/sysctl_key.h).
TEST(Sysctl, WritesOnlyWhatANetworkNamespaceOwns) {
  EXPECT_THROW(sysctl_path("kernel.hostname"), UsageError);
  EXPECT_THROW(sysctl_path("kernel/hostname"), UsageError);
  EXPECT_EQ(sysctl_path("net/ipv4/conf/all/rp_filter"), "/proc/sys/net/ipv4/conf/all/rp_filter");
}

TEST(Sysctl, ReadsInTheCurrentNamespace) {
  // Readable without privilege; the value is a number.
  std::string value = read_sysctl("net.ipv4.ip_forward");
  EXPECT_TRUE(value == "0" || value == "1") << value;
}

}  // namespace
}  // namespace nettopo::netlink
