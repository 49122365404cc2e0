// The socket itself: namespaces, pipelining beyond the window, failure collection, dumps.

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "netlink/address.h"
#include "netlink/link.h"
#include "netlink/veth.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

TEST(SocketIntegration, OpenInLeavesTheCallerWhereItWas) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces";
  ino_t home = current_netns_inode();
  UniqueFd netns = create_network_namespace();
  EXPECT_EQ(current_netns_inode(), home);
  Socket socket = Socket::open_in(netns);
  EXPECT_EQ(current_netns_inode(), home);
  // The socket works in its namespace: only lo there.
  auto links = list_links(socket);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].name, "lo");
  // A bad namespace fd throws, and the caller is still home.
  UniqueFd not_a_namespace(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  EXPECT_THROW(Socket::open_in(not_a_namespace), SystemError);
  EXPECT_EQ(current_netns_inode(), home);
}

TEST(SocketIntegration, PipelinesFarBeyondTheWindow) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces";
  Namespace ns = Namespace::create();
  constexpr int kPairs = 400;  // 1200 requests: many batches, the window refilled many times
  for (int i = 0; i < kPairs; ++i) {
    std::string a = "a" + std::to_string(i), b = "b" + std::to_string(i);
    ns.socket.submit(veth_request({.name = a, .ifindex = 1000 + 2 * i},
                                  {.name = b, .ifindex = 1001 + 2 * i}, true),
                     "create veth " + a + " -> " + b);
    EXPECT_LE(ns.socket.pending(), Socket::kWindow);
  }
  for (int i = 0; i < kPairs; ++i) {
    ns.socket.submit(address_add_request(1000 + 2 * i, *IpPrefix::parse("10.0.0.1/31")),
                     "add address");
    ns.socket.submit(link_up_request(1001 + 2 * i, true), "bring b up");
  }
  ns.socket.wait_all();
  EXPECT_EQ(ns.socket.pending(), 0u);
  EXPECT_EQ(list_links(ns.socket).size(), 2u * kPairs + 1);
  EXPECT_EQ(list_addresses(ns.socket, IpFamily::V4).size(),
            size_t{kPairs});  // lo is down: no 127.0.0.1
}

TEST(SocketIntegration, WaitAllDrainsEveryAckThenThrowsTheFirstFailure) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces";
  Namespace ns = Namespace::create();
  ns.socket.submit(veth_request({.name = "x0"}, {.name = "y0"}), "create veth x0 -> y0");
  ns.socket.submit(veth_request({.name = "x0"}, {.name = "y1"}), "create veth x0 -> y1 (first)");
  ns.socket.submit(link_up_request(4242, true), "bring up ifindex 4242 (second)");
  ns.socket.submit(veth_request({.name = "x2"}, {.name = "y2"}), "create veth x2 -> y2");
  try {
    ns.socket.wait_all();
    FAIL() << "wait_all did not throw";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.operation(), "create veth x0 -> y1 (first)");
    EXPECT_EQ(error.error_number(), EEXIST);
  }
  EXPECT_EQ(ns.socket.pending(), 0u);
  EXPECT_TRUE(find_link(ns.socket, "x2"));  // requests after the failure still ran
  ns.socket.wait_all();                     // the failure was reported once
}

TEST(SocketIntegration, ExecuteLeavesSubmittedFailuresForWaitAll) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces";
  Namespace ns = Namespace::create();
  ns.socket.submit(link_up_request(4242, true), "bring up ifindex 4242");
  Request lo_up = link_up_request(1, true);
  ns.socket.execute(lo_up, "bring lo up");  // succeeds; the earlier failure waits
  EXPECT_EQ(ns.socket.pending(), 0u);
  EXPECT_THROW(ns.socket.wait_all(), NetlinkError);
}

TEST(SocketIntegration, AThrowingDumpHandlerLeavesTheSocketUsable) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces";
  Namespace ns = Namespace::create();
  for (int i = 0; i < 50; ++i) {
    ns.socket.submit(
        veth_request({.name = "a" + std::to_string(i)}, {.name = "b" + std::to_string(i)}),
        "create veth");
  }
  ns.socket.wait_all();
  Request request(RTM_GETLINK, 0, ifinfomsg{});
  EXPECT_THROW(
      ns.socket.dump(
          request, [](const nlmsghdr*) { throw std::runtime_error("stop"); }, "list links"),
      std::runtime_error);
  EXPECT_EQ(list_links(ns.socket).size(), 101u);
}

}  // namespace
}  // namespace nettopo::netlink
