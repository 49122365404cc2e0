#include "topology/impairment_parser.h"

#include <gtest/gtest.h>

namespace nettopo::topology {
namespace {

TEST(ImpairmentParser, RatesInBitsAndBytes) {
  EXPECT_EQ(parse_rate("10mbit"), 10'000'000u);
  EXPECT_EQ(parse_rate("1.5gbit"), 1'500'000'000u);
  EXPECT_EQ(parse_rate("100kbit"), 100'000u);
  EXPECT_EQ(parse_rate("64bit"), 64u);
  EXPECT_EQ(parse_rate("1mbps"), 8'000'000u);  // tc: bps is bytes per second
  EXPECT_EQ(parse_rate("2kbps"), 16'000u);
  EXPECT_EQ(parse_rate("1gbps"), 8'000'000'000u);
  EXPECT_EQ(parse_rate("10Mbit"), 10'000'000u);
}

TEST(ImpairmentParser, BadRates) {
  EXPECT_FALSE(parse_rate("5 parsecs"));
  EXPECT_FALSE(parse_rate("10"));
  EXPECT_FALSE(parse_rate("mbit"));
  EXPECT_FALSE(parse_rate("10 mbit"));
  EXPECT_FALSE(parse_rate("-1mbit"));
  EXPECT_FALSE(parse_rate("0mbit"));
  EXPECT_FALSE(parse_rate("1.2.3mbit"));
  EXPECT_FALSE(parse_rate(""));
}

TEST(ImpairmentParser, Durations) {
  EXPECT_EQ(parse_duration_us("5ms"), 5000u);
  EXPECT_EQ(parse_duration_us("0.5ms"), 500u);
  EXPECT_EQ(parse_duration_us("100us"), 100u);
  EXPECT_EQ(parse_duration_us("2s"), 2'000'000u);
  EXPECT_EQ(parse_duration_us("1.25s"), 1'250'000u);
  EXPECT_EQ(parse_duration_us("0ms"), 0u);
  EXPECT_FALSE(parse_duration_us("5"));
  EXPECT_FALSE(parse_duration_us("5 parsecs"));
  EXPECT_FALSE(parse_duration_us("5min"));
  EXPECT_FALSE(parse_duration_us("5000s"));  // beyond 2^32 us
}

TEST(ImpairmentParser, Percentages) {
  EXPECT_DOUBLE_EQ(*parse_percent("1%"), 1.0);
  EXPECT_DOUBLE_EQ(*parse_percent("0.5%"), 0.5);
  EXPECT_DOUBLE_EQ(*parse_percent("150%"), 150.0);  // range is the caller's business
  EXPECT_FALSE(parse_percent("1"));
  EXPECT_FALSE(parse_percent("lots"));
  EXPECT_FALSE(parse_percent("-1%"));
  EXPECT_FALSE(parse_percent("1%%"));
}

}  // namespace
}  // namespace nettopo::topology
