#include "netlink/sysctl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

TEST(SysctlIntegration, WritesStayInTheirNamespace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  std::string host_before = read_sysctl("net.ipv4.ip_forward");
  UniqueFd netns = create_network_namespace();
  std::string wanted = host_before == "1" ? "0" : "1";
  write_sysctl(netns, "net.ipv4.ip_forward", wanted);
  EXPECT_EQ(read_sysctl(netns, "net.ipv4.ip_forward"), wanted);
  write_sysctl(netns, "net/ipv6/conf/all/forwarding", "1");
  EXPECT_EQ(read_sysctl(netns, "net.ipv6.conf.all.forwarding"), "1");
  EXPECT_EQ(read_sysctl("net.ipv4.ip_forward"), host_before);
}

TEST(SysctlIntegration, ErrorsNameTheKey) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  UniqueFd netns = create_network_namespace();
  try {
    write_sysctl(netns, "net.ipv4.no_such_knob", "1");
    FAIL() << "wrote a sysctl that does not exist";
  } catch (const SystemError& error) {
    EXPECT_NE(std::string(error.what()).find("net.ipv4.no_such_knob"), std::string::npos);
  }
}

}  // namespace
}  // namespace nettopo::netlink
