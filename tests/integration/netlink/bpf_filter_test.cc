// The BPF loss filter on real veth pairs: a blackhole drops every packet while the carrier stays
// up, and random loss on the receiving end's ingress hook loses the share it was asked to.

#include "netlink/bpf_filter.h"

#include <gtest/gtest.h>
#include <linux/if.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <string>

#include "netlink/address.h"
#include "netlink/qdisc.h"
#include "netlink/veth.h"
#include "tests/integration/netlink/lab.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

constexpr int kEth0 = 2;

// a:eth0 10.9.0.1/24 <-> b:eth0 10.9.0.2/24
struct Pair {
  Namespace a = Namespace::create();
  Namespace b = Namespace::create();

  Pair() {
    a.socket.execute(veth_request({.name = "eth0", .ifindex = kEth0},
                                  {.name = "eth0", .netns_fd = b.fd.get(), .ifindex = kEth0}, true),
                     "create veth", "a:eth0 -> b:eth0");
    for (auto [ns, address] : {std::pair{&a, "10.9.0.1/24"}, std::pair{&b, "10.9.0.2/24"}}) {
      ns->socket.submit(address_add_request(kEth0, prefix(address)), "add address", address);
      ns->socket.submit(link_up_request(kEth0, true), "set up", "eth0");
      ns->socket.wait_all();
    }
  }
};

// Runs `command` through the shell inside `netns`; returns its standard output.
std::string output_in(const UniqueFd& netns, const std::string& command) {
  ScopedNetns inside(netns);
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  ::pclose(pipe);
  return output;
}

// Sends `count` pings fast and returns the share of them unanswered, in percent (-1 when ping's
// summary could not be read).
double ping_loss(const UniqueFd& netns, const std::string& to, int count) {
  std::string output =
      output_in(netns, "ping -q -n -c " + std::to_string(count) + " -i 0.002 -W 1 " + to + " 2>&1");
  std::smatch match;
  static const std::regex kSummary(R"((\d+) packets transmitted, (\d+) received)");
  if (!std::regex_search(output, match, kSummary)) {
    ADD_FAILURE() << "no ping summary in: " << output;
    return -1;
  }
  double sent = std::stod(match[1]);
  double received = std::stod(match[2]);
  std::cout << "ping " << to << ": " << output.substr(output.find("---")) << std::flush;
  return sent == 0 ? -1 : (sent - received) * 100.0 / sent;
}

void attach(Namespace& ns, ClsactHook hook, double percent) {
  UniqueFd program = load_sched_cls_program(drop_program(percent), "nettopo_test");
  ns.socket.execute(clsact_request(kEth0), "add clsact", "eth0");
  ns.socket.execute(bpf_filter_request(kEth0, hook, program.get(), "nettopo test"),
                    "attach bpf filter", "eth0");
}

TEST(BpfFilterIntegration, BlackholeDropsEverythingAndKeepsTheCarrier) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Pair pair;
  ASSERT_EQ(ping(pair.a.fd, "10.9.0.2"), 0);
  attach(pair.b, ClsactHook::Ingress, 100);
  auto filters = list_filters(pair.b.socket, kEth0, ClsactHook::Ingress);
  ASSERT_EQ(filters.size(), 1u);
  EXPECT_EQ(filters[0].kind, "bpf");
  EXPECT_EQ(filters[0].name, "nettopo test");
  EXPECT_TRUE(filters[0].direct_action);
  EXPECT_NE(filters[0].program_id, 0u);

  EXPECT_NE(ping_unanswered(pair.a.fd, "10.9.0.2"), 0);
  auto link = find_link(pair.a.socket, "eth0");
  ASSERT_TRUE(link);
  EXPECT_TRUE(link->flags & IFF_LOWER_UP) << "a blackhole keeps the carrier up";
  // The drops are counted on the clsact qdisc.
  bool counted = false;
  for (const auto& qdisc : list_qdiscs(pair.b.socket, kEth0))
    if (qdisc.kind == "clsact") counted = qdisc.drops > 0;
  EXPECT_TRUE(counted);

  pair.b.socket.execute(bpf_filter_delete_request(kEth0, ClsactHook::Ingress), "delete filter",
                        "eth0");
  EXPECT_TRUE(list_filters(pair.b.socket, kEth0, ClsactHook::Ingress).empty());
  EXPECT_EQ(ping(pair.a.fd, "10.9.0.2"), 0);
  pair.b.socket.execute(clsact_delete_request(kEth0), "delete clsact", "eth0");
}

TEST(BpfFilterIntegration, RandomLossOnTheReceiversIngress) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Pair pair;
  attach(pair.b, ClsactHook::Ingress, 20);
  // 2000 pings at 20%: the standard deviation of the share lost is 0.9 points; 4 points of
  // tolerance is more than four of them, so a correct filter fails this about once in 10^5 runs.
  double loss = ping_loss(pair.a.fd, "10.9.0.2", 2000);
  EXPECT_NEAR(loss, 20.0, 4.0);
}

// Why nettopo puts its loss filter on the receiver's ingress: dropped on the sender's own egress
// hook, a packet is refused to the sending socket (TC_ACT_SHOT there makes __dev_queue_xmit return
// NET_XMIT_DROP, which IP turns into ENOBUFS), and ping takes ENOBUFS for a full local queue: it
// does not count the packet and sends it again. The filter counts drops, ping sees no loss.
TEST(BpfFilterIntegration, LossOnTheSendersEgressIsRetriedNotLost) {
  NETTOPO_REQUIRE_ROOT("creates network namespaces");
  Pair pair;
  attach(pair.a, ClsactHook::Egress, 20);
  double loss = ping_loss(pair.a.fd, "10.9.0.2", 300);
  uint32_t drops = 0;
  for (const auto& qdisc : list_qdiscs(pair.a.socket, kEth0))
    if (qdisc.kind == "clsact") drops = qdisc.drops;
  EXPECT_GT(drops, 20u) << "the filter dropped packets";
  EXPECT_LT(loss, 3.0) << "yet ping saw (almost) none of them lost";
}

}  // namespace
}  // namespace nettopo::netlink
