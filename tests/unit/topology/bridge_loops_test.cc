// L2 loops (issue 8, item 3): refused unless every bridge of the loop runs STP.

#include "topology/bridge_loops.h"

#include <gtest/gtest.h>

#include "tests/unit/topology/test_util.h"

namespace nettopo::topology {
namespace {

using testing::dump;
using testing::load_ok;

TEST(BridgeLoops, ATreeOfBridgesIsFine) {
  Lab lab = load_ok(R"(
[nodes.h1]
[bridges.s1]
[bridges.s2]
[bridges.s3]
[[links]]
endpoints = ["h1", "s1"]
[[links]]
endpoints = ["s1", "s2"]
[[links]]
endpoints = ["s1", "s3"]
[[links]]
endpoints = ["h1", "s3"]
)");
  EXPECT_FALSE(lab.bridges[0].stp);
}

TEST(BridgeLoops, ALoopWithStpOnEveryBridgeLoads) {
  Lab lab = load_ok(R"(
[nodes.h1]
[nodes.h2]
[bridges.s1]
stp = true
[bridges.s2]
stp = true
[bridges.s3]
stp = true
[[links]]
endpoints = ["h1", "s1"]
[[links]]
endpoints = ["s1", "s2"]
[[links]]
endpoints = ["s2", "s3"]
[[links]]
endpoints = ["s3", "s1"]
[[links]]
endpoints = ["h2", "s3"]
)");
  ASSERT_EQ(lab.bridges.size(), 3u);
  EXPECT_TRUE(lab.bridges[0].stp && lab.bridges[1].stp && lab.bridges[2].stp);
}

TEST(BridgeLoops, TheLinkThatClosesTheLoopIsReportedWithTheBridgesLackingStp) {
  auto result = load_lab_string(R"([nodes.h1]
[bridges.a]
[bridges.b]
stp = true
[bridges.c]
[bridges.d]
[[links]]
endpoints = ["h1", "a"]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["c", "d"]
[[links]]
endpoints = ["d", "b"]
)",
                                "/tmp/loop.toml");
  ASSERT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  const auto& error = result.diagnostics.all()[0];
  EXPECT_EQ(error.where.line, 15);
  EXPECT_EQ(error.message,
            "this link closes a loop of bridges ('d' -- 'c' -- 'b' -- 'd'), where a broadcast "
            "would circle forever");
  EXPECT_EQ(error.hint,
            "remove a link of the loop, or set stp = true on bridges 'd', 'c' to have the "
            "kernel's spanning tree block one port");
}

TEST(BridgeLoops, ALongLoopIsNamedByItsFirstBridges) {
  std::string text = "[nodes.h1]\n";
  for (int i = 0; i < 20; ++i) text += "[bridges.s" + std::to_string(i) + "]\n";
  for (int i = 0; i < 20; ++i)
    text += "[[links]]\nendpoints = [\"s" + std::to_string(i) + "\", \"s" +
            std::to_string((i + 1) % 20) + "\"]\n";
  text += "[[links]]\nendpoints = [\"h1\", \"s0\"]\n";
  auto result = load_lab_string(text, "/tmp/loop.toml");
  ASSERT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  EXPECT_NE(result.diagnostics.all()[0].message.find("'s19' -- 's18' -- 's17' -- 's16' -- 's15' -- "
                                                     "'s14' -- 's13' -- 's12' -- …"),
            std::string::npos)
      << dump(result);
}

}  // namespace
}  // namespace nettopo::topology
