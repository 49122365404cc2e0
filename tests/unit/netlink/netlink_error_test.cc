#include "netlink/netlink_error.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace nettopo::netlink {
namespace {

TEST(NetlinkError, QuotesTheKernel) {
  NetlinkError error("create veth h1:eth0 -> r1:eth0", EEXIST, "Link already exists");
  EXPECT_STREQ(error.what(),
               "create veth h1:eth0 -> r1:eth0: File exists (kernel: \"Link already exists\")");
  EXPECT_EQ(error.error_number(), EEXIST);
  EXPECT_EQ(error.kernel_message(), "Link already exists");
  EXPECT_EQ(error.operation(), "create veth h1:eth0 -> r1:eth0");
}

TEST(NetlinkError, WithoutKernelText) {
  NetlinkError error("bring up eth0", ENODEV, "");
  EXPECT_STREQ(error.what(), "bring up eth0: No such device");
  EXPECT_TRUE(error.kernel_message().empty());
}

TEST(NetlinkError, HintComesBeforeTheErrno) {
  NetlinkError error("add netem qdisc on ifindex 1", ENOENT, "Specified qdisc kind is unknown",
                     "the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM)");
  EXPECT_STREQ(error.what(),
               "add netem qdisc on ifindex 1: the kernel has no netem qdisc "
               "(CONFIG_NET_SCH_NETEM): No such file or directory (kernel: \"Specified qdisc kind "
               "is unknown\")");
  EXPECT_EQ(error.hint(), "the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM)");
}

TEST(NetlinkError, KeepsOperationObjectAndNamespaceApart) {
  NetlinkError error("add address", "10.0.0.1/24 to eth0", "lab-h1", EEXIST,
                     "ipv4: Address already assigned");
  EXPECT_STREQ(error.what(),
               "add address 10.0.0.1/24 to eth0 in netns lab-h1: File exists "
               "(kernel: \"ipv4: Address already assigned\")");
  EXPECT_EQ(error.operation(), "add address");
  EXPECT_EQ(error.object(), "10.0.0.1/24 to eth0");
  EXPECT_EQ(error.netns(), "lab-h1");
  EXPECT_EQ(error.error_number(), EEXIST);
  EXPECT_EQ(error.kernel_message(), "ipv4: Address already assigned");
}

TEST(NetlinkError, EmptyPartsLeaveNoGaps) {
  EXPECT_STREQ(NetlinkError("list links", "", "", ENOBUFS, "").what(),
               "list links: No buffer space available");
  EXPECT_STREQ(NetlinkError("set eth0 up", "", "lab-r1", ENODEV, "").what(),
               "set eth0 up in netns lab-r1: No such device");
  NetlinkError whole("create veth a -> b", EEXIST, "");
  EXPECT_TRUE(whole.object().empty());
  EXPECT_TRUE(whole.netns().empty());
}

TEST(NetlinkError, IsASystemError) {
  try {
    throw NetlinkError("x", EPERM, "");
  } catch (const SystemError& error) {
    EXPECT_EQ(error.error_number(), EPERM);
  }
}

}  // namespace
}  // namespace nettopo::netlink
