#include "netlink/qdisc.h"

#include <gtest/gtest.h>
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <cstdint>

#include "core/sys/error.h"
#include "tests/unit/netlink/attributes.h"

namespace nettopo::netlink {
namespace {

using namespace test_support;

constexpr uint16_t kCreate = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;

TEST(Tbf, RootQdiscWithParametersAndBurst) {
  TbfSpec spec{.rate_bytes_per_second = 1'250'000, .burst_bytes = 32'000, .latency_us = 40'000};
  Request request = tbf_request(3, spec);
  EXPECT_EQ(request.type(), RTM_NEWQDISC);
  EXPECT_EQ(request.flags(), kCreate);
  const auto& header = request.extra_header<tcmsg>();
  EXPECT_EQ(header.tcm_ifindex, 3);
  EXPECT_EQ(header.tcm_parent, TC_H_ROOT);
  EXPECT_EQ(header.tcm_handle, kRootQdiscHandle);
  EXPECT_EQ(header.tcm_handle, TC_H_MAKE(1u << 16, 0));

  auto top = attributes_of(request.header(), sizeof(tcmsg));
  EXPECT_EQ(text(top[TCA_KIND]), "tbf");
  auto options = nested(top[TCA_OPTIONS]);
  EXPECT_FALSE(options.contains(TCA_TBF_RTAB));
  EXPECT_FALSE(options.contains(TCA_TBF_RATE64));
  EXPECT_EQ(u32(options[TCA_TBF_BURST]), 32'000u);
  ASSERT_EQ(mnl_attr_get_payload_len(options[TCA_TBF_PARMS]), sizeof(tc_tbf_qopt));
  auto parameters = payload_header<tc_tbf_qopt>(options[TCA_TBF_PARMS]);
  EXPECT_EQ(parameters.rate.rate, 1'250'000u);
  EXPECT_EQ(parameters.rate.linklayer, TC_LINKLAYER_ETHERNET);
  EXPECT_EQ(parameters.peakrate.rate, 0u);
  // 32000 bytes at 1.25 MB/s take 25.6 ms = 400000 ticks of 64 ns.
  EXPECT_EQ(parameters.buffer, 400'000u);
  // 40 ms at the rate (50000 bytes) plus the burst.
  EXPECT_EQ(parameters.limit, 82'000u);
}

TEST(Tbf, DerivesBurstAndCarriesRate64) {
  EXPECT_EQ(tbf_burst_bytes({.rate_bytes_per_second = 125'000}), 16u * 1024);
  EXPECT_EQ(tbf_burst_bytes({.rate_bytes_per_second = 125'000'000}), 1'250'000u);
  uint64_t fast = uint64_t{10} << 32;
  auto options = nested(attributes_of(tbf_request(3, {.rate_bytes_per_second = fast}).header(),
                                      sizeof(tcmsg))[TCA_OPTIONS]);
  ASSERT_TRUE(options.contains(TCA_TBF_RATE64));
  EXPECT_EQ(mnl_attr_get_u64(options[TCA_TBF_RATE64]), fast);
  EXPECT_EQ(payload_header<tc_tbf_qopt>(options[TCA_TBF_PARMS]).rate.rate, UINT32_MAX);
}

TEST(Tbf, ChangeAndPlacementUnderNetem) {
  EXPECT_EQ(tbf_request(3, {.rate_bytes_per_second = 1000}, /*change=*/true).flags(),
            NLM_F_REQUEST | NLM_F_ACK);
  Request child = tbf_under_netem_request(3, {.rate_bytes_per_second = 1000});
  EXPECT_EQ(child.extra_header<tcmsg>().tcm_parent, TC_H_MAKE(1u << 16, 1));
  EXPECT_EQ(child.extra_header<tcmsg>().tcm_handle, TC_H_MAKE(2u << 16, 0));
  EXPECT_THROW(tbf_request(3, {.rate_bytes_per_second = 0}), Error);
}

TEST(Netem, OptionsStartWithTheQoptStruct) {
  NetemSpec spec{.delay_us = 10'000, .jitter_us = 1'000, .loss_percent = 50, .limit = 500};
  Request request = netem_request(4, spec);
  EXPECT_EQ(request.flags(), kCreate);
  EXPECT_EQ(request.extra_header<tcmsg>().tcm_parent, TC_H_ROOT);
  EXPECT_EQ(request.extra_header<tcmsg>().tcm_handle, kRootQdiscHandle);
  auto top = attributes_of(request.header(), sizeof(tcmsg));
  EXPECT_EQ(text(top[TCA_KIND]), "netem");
  auto options = payload_header<tc_netem_qopt>(top[TCA_OPTIONS]);
  EXPECT_EQ(options.latency, 10'000'000u / 64);
  EXPECT_EQ(options.jitter, 1'000'000u / 64);
  EXPECT_EQ(options.limit, 500u);
  EXPECT_EQ(options.loss, UINT32_MAX / 2 + 1);  // half of 2^32-1, rounded
  EXPECT_EQ(options.gap, 0u);
  EXPECT_EQ(options.duplicate, 0u);
  auto attributes = nested_after_header(top[TCA_OPTIONS], sizeof(tc_netem_qopt));
  EXPECT_EQ(static_cast<int64_t>(mnl_attr_get_u64(attributes[TCA_NETEM_LATENCY64])), 10'000'000);
  EXPECT_EQ(static_cast<int64_t>(mnl_attr_get_u64(attributes[TCA_NETEM_JITTER64])), 1'000'000);
}

TEST(Netem, LossIsClampedAndCreationCarriesTheMissingModuleHint) {
  Request full = netem_request(4, {.loss_percent = 250});
  auto top = attributes_of(full.header(), sizeof(tcmsg));
  EXPECT_EQ(payload_header<tc_netem_qopt>(top[TCA_OPTIONS]).loss, UINT32_MAX);
  ASSERT_EQ(full.error_hints().size(), 2u);
  EXPECT_EQ(full.error_hints()[0].error_number, ENOENT);
  EXPECT_EQ(full.error_hints()[1].error_number, EOPNOTSUPP);
  EXPECT_EQ(full.error_hints()[0].text, "the kernel has no netem qdisc (CONFIG_NET_SCH_NETEM)");
  // Changing a netem that is not there answers ENOENT too, for another reason: no hint.
  Request change = netem_request(4, {}, /*change=*/true);
  EXPECT_EQ(change.flags(), NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_TRUE(change.error_hints().empty());
}

TEST(Qdisc, DeleteAndParse) {
  Request remove = qdisc_delete_request(6);
  EXPECT_EQ(remove.type(), RTM_DELQDISC);
  EXPECT_EQ(remove.extra_header<tcmsg>().tcm_parent, TC_H_ROOT);
  EXPECT_EQ(remove.extra_header<tcmsg>().tcm_ifindex, 6);
  QdiscInfo parsed = parse_qdisc(tbf_request(6, {.rate_bytes_per_second = 1000}).header());
  EXPECT_EQ(parsed.ifindex, 6);
  EXPECT_EQ(parsed.kind, "tbf");
  EXPECT_EQ(parsed.handle, kRootQdiscHandle);
  EXPECT_EQ(parsed.parent, TC_H_ROOT);
}

TEST(Qdisc, ParsesTbfParametersBack) {
  // The kernel dumps TCA_TBF_PARMS (and TCA_TBF_RATE64) in the layout the request sends.
  QdiscInfo parsed = parse_qdisc(
      tbf_request(6, {.rate_bytes_per_second = 1'250'000, .burst_bytes = 32'000}).header());
  ASSERT_TRUE(parsed.tbf);
  EXPECT_EQ(parsed.tbf->rate_bytes_per_second, 1'250'000u);
  EXPECT_EQ(parsed.tbf->burst_bytes, 32'000u);
  EXPECT_EQ(parsed.tbf->limit_bytes, 32'000u + 62'500u);  // 50 ms at the rate, plus the burst
  uint64_t fast = uint64_t{5} << 32;
  parsed = parse_qdisc(tbf_request(6, {.rate_bytes_per_second = fast}).header());
  ASSERT_TRUE(parsed.tbf);
  EXPECT_EQ(parsed.tbf->rate_bytes_per_second, fast);
  EXPECT_FALSE(parse_qdisc(netem_request(6, {}).header()).tbf);
}

TEST(Qdisc, ParsesStatistics) {
  Request message(RTM_NEWQDISC, 0, tcmsg{});
  gnet_stats_basic basic{.bytes = 123'456, .packets = 78};
  gnet_stats_queue queue{.qlen = 1, .backlog = 2, .drops = 3, .requeues = 4, .overlimits = 5};
  message.nest(TCA_STATS2, [&] {
    message.put_bytes(TCA_STATS_BASIC, &basic, sizeof basic);
    message.put_bytes(TCA_STATS_QUEUE, &queue, sizeof queue);
  });
  message.put(TCA_KIND, "pfifo_fast");  // after the stats: the order must not matter
  QdiscInfo parsed = parse_qdisc(message.header());
  EXPECT_EQ(parsed.kind, "pfifo_fast");
  EXPECT_EQ(parsed.bytes, 123'456u);
  EXPECT_EQ(parsed.packets, 78u);
  EXPECT_EQ(parsed.drops, 3u);
  EXPECT_EQ(parsed.overlimits, 5u);
  EXPECT_FALSE(parsed.tbf);
}

}  // namespace
}  // namespace nettopo::netlink

namespace nettopo::netlink {
namespace {

TEST(Qdisc, ParsesNetemParametersBack) {
  // A request is laid out as the kernel's answer is: header, tcmsg, TCA_KIND, TCA_OPTIONS.
  Request request = netem_request(2, {.delay_us = 20'000, .jitter_us = 5'000, .loss_percent = 20});
  auto* message = const_cast<nlmsghdr*>(request.header());
  message->nlmsg_type = RTM_NEWQDISC;
  QdiscInfo qdisc = parse_qdisc(message);
  EXPECT_EQ(qdisc.kind, "netem");
  ASSERT_TRUE(qdisc.netem);
  EXPECT_EQ(qdisc.netem->delay_us, 20'000u);
  EXPECT_EQ(qdisc.netem->jitter_us, 5'000u);
  EXPECT_NEAR(qdisc.netem->loss_percent, 20.0, 1e-6);
  EXPECT_FALSE(qdisc.tbf);
}

}  // namespace
}  // namespace nettopo::netlink
