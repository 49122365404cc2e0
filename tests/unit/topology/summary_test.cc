#include "topology/summary.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nettopo::topology {
namespace {

TEST(Summary, CountsWithPlurals) {
  Lab lab = testing::load_ok(R"(
name = "triangle"
[addressing]
ipv4 = "10.0.0.0/16"
[nodes.a]
[nodes.b]
[bridges.lan]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["a", "lan"]
[[links]]
endpoints = ["b", "lan"]
)");
  EXPECT_EQ(summarize(lab), "lab triangle: 2 nodes, 1 bridge, 3 links, 2 subnets");
  lab.links.clear();
  lab.nodes.pop_back();
  EXPECT_EQ(summarize(lab), "lab triangle: 1 node, 1 bridge, 0 links, 0 subnets");
}

}  // namespace
}  // namespace nettopo::topology
