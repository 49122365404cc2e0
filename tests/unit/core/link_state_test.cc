// Reading impairments back from what the kernel reports, and writing them as a lab file does.

#include "core/link_state.h"

#include <gtest/gtest.h>

namespace nettopo {
namespace {

TEST(LinkState, FormatsAsALabFileWrites) {
  EXPECT_EQ(format_rate(10'000'000), "10mbit");
  EXPECT_EQ(format_rate(1'500'000'000), "1.5gbit");
  EXPECT_EQ(format_rate(64'000), "64kbit");
  EXPECT_EQ(format_rate(999), "999bit");
  EXPECT_EQ(format_duration_us(20'000), "20ms");
  EXPECT_EQ(format_duration_us(2'000'000), "2s");
  EXPECT_EQ(format_duration_us(1'500), "1.5ms");
  EXPECT_EQ(format_duration_us(500), "500us");
  EXPECT_EQ(format_percent(20), "20%");
  EXPECT_EQ(format_percent(0.5), "0.5%");
}

TEST(LinkState, DescribesImpairments) {
  EndImpairments end;
  EXPECT_EQ(describe(end), "");
  end.impairments.rate_bits_per_second = 10'000'000;
  end.impairments.loss_percent = 20;
  EXPECT_EQ(describe(end), "rate 10mbit, loss 20%");
  end.blackhole = true;
  EXPECT_EQ(describe(end), "rate 10mbit, loss 20%, blackhole");
}

TEST(LinkState, ImpairmentsFromQdiscsAndTheReceiversFilter) {
  InterfaceState sender;
  netlink::QdiscInfo tbf;
  tbf.kind = "tbf";
  tbf.tbf = netlink::TbfInfo{1'250'000, 16384, 20000};
  sender.qdiscs.push_back(tbf);
  InterfaceState receiver;
  netlink::BpfFilterInfo filter;
  filter.kind = "bpf";
  filter.name = std::string(kLossFilterPrefix) + "12.5%";
  receiver.ingress_filters.push_back(filter);

  EndImpairments end = impairments_of(sender, &receiver);
  EXPECT_EQ(end.impairments.rate_bits_per_second, 10'000'000u);
  EXPECT_EQ(end.impairments.loss_percent, 12.5);
  EXPECT_FALSE(end.blackhole);
  EXPECT_FALSE(end.impairments.delay_us);

  receiver.ingress_filters[0].name = kBlackholeFilterName;
  EXPECT_TRUE(impairments_of(sender, &receiver).blackhole);
  // Without the other end, only what the sender's qdiscs say.
  EndImpairments alone = impairments_of(sender, nullptr);
  EXPECT_FALSE(alone.impairments.loss_percent);
}

}  // namespace
}  // namespace nettopo
