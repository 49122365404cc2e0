// The socket itself: namespaces, pipelining beyond the window, failure collection, dumps.

#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
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
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
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
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  constexpr int kPairs = 400;  // 1200 requests: many batches, the window refilled many times
  for (int i = 0; i < kPairs; ++i) {
    std::string a = "a" + std::to_string(i), b = "b" + std::to_string(i);
    ns.socket.submit(veth_request({.name = a, .ifindex = 1000 + 2 * i},
                                  {.name = b, .ifindex = 1001 + 2 * i}, true),
                     std::string("create veth ").append(a).append(" -> ").append(b));
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
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
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
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  ns.socket.submit(link_up_request(4242, true), "bring up ifindex 4242");
  Request lo_up = link_up_request(1, true);
  ns.socket.execute(lo_up, "bring lo up");  // succeeds; the earlier failure waits
  EXPECT_EQ(ns.socket.pending(), 0u);
  EXPECT_THROW(ns.socket.wait_all(), NetlinkError);
}

TEST(SocketIntegration, AThrowingDumpHandlerLeavesTheSocketUsable) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
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

TEST(SocketIntegration, ErrorsNameOperationObjectAndNamespace) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  UniqueFd netns = create_network_namespace();
  Socket socket = Socket::open_in(netns, "lab-h1");
  EXPECT_EQ(socket.netns_name(), "lab-h1");
  Request veth = veth_request({.name = "eth0", .ifindex = 2}, {.name = "peer", .ifindex = 3});
  socket.execute(veth, "create veth", "eth0 -> peer");
  socket.execute(address_add_request(2, *IpPrefix::parse("10.0.0.1/24")), "add address",
                 "10.0.0.1/24 to eth0");
  // The same failure through execute and through the pipeline: the parts survive both.
  auto check = [](const NetlinkError& error) {
    EXPECT_EQ(error.operation(), "add address");
    EXPECT_EQ(error.object(), "10.0.0.1/24 to eth0");
    EXPECT_EQ(error.netns(), "lab-h1");
    EXPECT_EQ(error.error_number(), EEXIST);
    EXPECT_EQ(error.kernel_message(), "ipv4: Address already assigned");
    EXPECT_EQ(std::string(error.what()),
              "add address 10.0.0.1/24 to eth0 in netns lab-h1: File exists "
              "(kernel: \"ipv4: Address already assigned\")");
  };
  try {
    socket.execute(address_add_request(2, *IpPrefix::parse("10.0.0.1/24")), "add address",
                   "10.0.0.1/24 to eth0");
    ADD_FAILURE() << "a duplicate address was accepted";
  } catch (const NetlinkError& error) {
    check(error);
  }
  socket.submit(address_add_request(2, *IpPrefix::parse("10.0.0.1/24")), "add address",
                "10.0.0.1/24 to eth0");
  try {
    socket.wait_all();
    ADD_FAILURE() << "a duplicate address was accepted";
  } catch (const NetlinkError& error) {
    check(error);
  }
  // find_link names the link it looked for.
  try {
    find_link(socket, "a-name-longer-than-ifnamsiz");
    ADD_FAILURE() << "an overlong name was looked up";
  } catch (const NetlinkError& error) {
    EXPECT_EQ(error.operation(), "find link");
    EXPECT_EQ(error.object(), "a-name-longer-than-ifnamsiz");
    EXPECT_EQ(error.netns(), "lab-h1");
  }
}

TEST(SocketIntegration, LostAcknowledgementsFailLoudlyInsteadOfHanging) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Namespace ns = Namespace::create();
  // Shrink the receive buffer to the kernel's minimum, so a window of refusals (each ack
  // carries an error) overflows it and the kernel drops answers: recvmsg says ENOBUFS.
  int tiny = 1;
  ASSERT_EQ(::setsockopt(ns.socket.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &tiny, sizeof tiny), 0);
  for (size_t i = 0; i < Socket::kWindow; ++i) {
    ns.socket.submit(link_up_request(static_cast<int>(5000 + i), true), "bring up a ghost");
  }
  try {
    ns.socket.wait_all();
    ADD_FAILURE() << "no answer was lost: the test no longer overflows the buffer";
  } catch (const NetlinkError& error) {
    ADD_FAILURE() << "every answer arrived: " << error.what();
  } catch (const SystemError& error) {
    EXPECT_EQ(error.error_number(), ENOBUFS) << error.what();
  }
  EXPECT_EQ(ns.socket.pending(), 0u);
  // The socket stays usable: what the kernel still held was discarded, so this ack is not lost
  // in silence (with the queue non-empty the kernel would drop it without a second ENOBUFS).
  ns.socket.execute(link_up_request(1, true), "bring lo up");
  int normal = 4 * 1024 * 1024;  // room again for a dump's reply next to its ack
  ASSERT_EQ(::setsockopt(ns.socket.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &normal, sizeof normal), 0);
  auto lo = find_link(ns.socket, "lo");
  ASSERT_TRUE(lo);
  EXPECT_TRUE(lo->flags & IFF_UP);
  ns.socket.wait_all();
}

}  // namespace
}  // namespace nettopo::netlink
