// The one sysctl key rule (core/sys/sysctl_key.h) that validate, the plan and the writer share.

#include "core/sys/sysctl_key.h"

#include <gtest/gtest.h>

namespace nettopo {
namespace {

TEST(SysctlKey, TakesBothFormsOfTheNetTree) {
  EXPECT_EQ(sysctl_key_problem("net.ipv4.ip_forward"), std::nullopt);
  EXPECT_EQ(sysctl_key_problem("net/ipv4/conf/all/rp_filter"), std::nullopt);
  EXPECT_EQ(sysctl_key_problem("net/ipv4/conf/eth0.100/rp_filter"), std::nullopt);
  EXPECT_EQ(sysctl_key_path("net.ipv4.ip_forward"), "net/ipv4/ip_forward");
  EXPECT_EQ(sysctl_key_path("net/ipv4/conf/eth0.100/rp_filter"),
            "net/ipv4/conf/eth0.100/rp_filter");
}

TEST(SysctlKey, RefusesWhatIsNotPerNetworkNamespace) {
  const std::string outside = "is not per network namespace: a node can set only net.* keys";
  EXPECT_EQ(sysctl_key_problem("kernel.hostname"), outside);
  EXPECT_EQ(sysctl_key_problem("kernel/hostname"), outside);
  EXPECT_EQ(sysctl_key_problem("/net/ipv4"), outside);
  EXPECT_EQ(sysctl_key_problem("net.ipv4/x"), outside);
  EXPECT_EQ(sysctl_key_problem(""), outside);
  EXPECT_EQ(sysctl_key_problem("network.x"), outside);
}

TEST(SysctlKey, RefusesKeysThatCouldLeaveTheNetTree) {
  const std::string components = "has an empty, '.' or '..' component";
  EXPECT_EQ(sysctl_key_problem("net."), components);
  EXPECT_EQ(sysctl_key_problem("net..ipv4"), components);
  EXPECT_EQ(sysctl_key_problem("net/../kernel/panic"), components);
  EXPECT_EQ(sysctl_key_problem("net/./ipv4"), components);
  EXPECT_EQ(sysctl_key_problem("net/ipv4/"), components);
  EXPECT_EQ(sysctl_key_problem("net.a b"), "contains ' '");
  EXPECT_EQ(sysctl_key_problem("net.a\x1b"), "contains byte 0x1b");
}

}  // namespace
}  // namespace nettopo
