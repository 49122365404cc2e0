#include "core/hosts_file.h"

#include <gtest/gtest.h>

#include "tests/unit/core/test_labs.h"

namespace nettopo {
namespace {

TEST(HostsFile, NamesEveryNodeByItsFirstAddressAndEveryInterface) {
  auto lab = testing::small_lab();
  lab.links[0].ends[0].addresses.push_back(*IpPrefix::parse("fd00::1/64"));
  EXPECT_EQ(make_hosts_file(lab),
            "# written by nettopo for lab small\n"
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "10.0.0.1\th1\n"
            "fd00::1\th1\n"
            "10.0.0.1\th1-eth0\n"
            "fd00::1\th1-eth0\n"
            "10.0.0.2\tr1\n"
            "10.0.0.2\tr1-eth0\n"
            "10.1.0.1\tr1-eth1\n"
            "10.1.0.2\th2\n"
            "10.1.0.2\th2-eth0\n");
}

TEST(HostsFile, LeavesOutInterfaceNamesThatAreNoHostNames) {
  auto lab = testing::small_lab();
  lab.links[0].ends[0].interface = "eth#0";  // the kernel takes it; in /etc/hosts, # is a comment
  std::string hosts = make_hosts_file(lab);
  EXPECT_EQ(hosts.find("eth#0"), std::string::npos) << hosts;
  EXPECT_NE(hosts.find("10.0.0.1\th1\n"), std::string::npos) << hosts;
}

}  // namespace
}  // namespace nettopo
