#include "topology/static_routes.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace nettopo::topology {
namespace {

using testing::load_ok;

// "dest via gateway dev device" for each automatic route of `node`, in order.
std::vector<std::string> auto_routes(const Lab& lab, std::string_view node) {
  std::vector<std::string> out;
  for (const auto& route : lab.find_node(node)->routes) {
    if (!route.automatic) continue;
    out.push_back(route.destination.to_string() + " via " + route.via->to_string() + " dev " +
                  route.device);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(StaticRoutes, LineRoutesThroughTheMiddleAndMakesItForward) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  EXPECT_EQ(auto_routes(lab, "a"), (Lines{"10.0.0.4/30 via 10.0.0.2 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "b"), Lines{});
  EXPECT_EQ(auto_routes(lab, "c"), (Lines{"10.0.0.0/30 via 10.0.0.5 dev eth0"}));
  EXPECT_FALSE(lab.find_node("a")->forward);
  EXPECT_TRUE(lab.find_node("b")->forward);
  EXPECT_FALSE(lab.find_node("c")->forward);
}

TEST(StaticRoutes, RingTakesTheShortWay) {
  // Ring a-b-c-d-a: every subnet a is not on is nearer one way round than the other.
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[nodes.d]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["c", "d"]
[[links]]
endpoints = ["d", "a"]
)");
  // Subnets: ab 10.0.0.0/30, bc .4/30, cd .8/30, da .12/30. a: eth0 to b, eth1 to d.
  EXPECT_EQ(auto_routes(lab, "a"),
            (Lines{"10.0.0.4/30 via 10.0.0.2 dev eth0", "10.0.0.8/30 via 10.0.0.13 dev eth1"}));
  EXPECT_EQ(auto_routes(lab, "c"),
            (Lines{"10.0.0.0/30 via 10.0.0.5 dev eth0", "10.0.0.12/30 via 10.0.0.10 dev eth1"}));
}

TEST(StaticRoutes, TwoComponentsRouteOnlyWithinEach) {
  // Lines a-b-c and d-e-f with nothing between them: each node gets routes to the subnets of its
  // own part and none to the other's, and only the middle of each line forwards.
  LoadResult result = load_lab_string(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[nodes.d]
[nodes.e]
[nodes.f]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["d", "e"]
[[links]]
endpoints = ["e", "f"]
)",
                                      "/tmp/lab.toml");
  ASSERT_TRUE(result.lab) << testing::dump(result);
  const Lab& lab = *result.lab;
  // Subnets: ab 10.0.0.0/30, bc .4/30, de .8/30, ef .12/30.
  EXPECT_EQ(auto_routes(lab, "a"), (Lines{"10.0.0.4/30 via 10.0.0.2 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "c"), (Lines{"10.0.0.0/30 via 10.0.0.5 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "d"), (Lines{"10.0.0.12/30 via 10.0.0.10 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "f"), (Lines{"10.0.0.8/30 via 10.0.0.13 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "b"), Lines{});
  EXPECT_EQ(auto_routes(lab, "e"), Lines{});
  for (const char* node : {"a", "c", "d", "f"}) EXPECT_FALSE(lab.find_node(node)->forward) << node;
  EXPECT_TRUE(lab.find_node("b")->forward);
  EXPECT_TRUE(lab.find_node("e")->forward);
  ASSERT_EQ(result.diagnostics.all().size(), 1u) << testing::dump(result);
  EXPECT_EQ(result.diagnostics.all()[0].to_string(),
            "/tmp/lab.toml:9:8: warning: the lab has 2 separate parts: {a, b, c} and {d, e, f}\n"
            "  hint: nodes in different parts cannot reach each other");
}

TEST(StaticRoutes, EqualCostPathsGoToTheEarlierLink) {
  // Triangle: from a, the b-c subnet is two hops via b or via c; the a-b link comes first.
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["c", "a"]
)");
  EXPECT_EQ(auto_routes(lab, "a"), (Lines{"10.0.0.4/30 via 10.0.0.2 dev eth0"}));
  // The same triangle with the c-a link written first: now a goes via c.
  Lab swapped = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["c", "a"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["a", "b"]
)");
  // c-a 10.0.0.0/30 (c .1, a .2); b-c .4/30; a-b .8/30 (a .9, b .10).
  EXPECT_EQ(auto_routes(swapped, "a"), (Lines{"10.0.0.4/30 via 10.0.0.1 dev eth0"}));
}

TEST(StaticRoutes, CostsSteerTheRoute) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "c"]
cost = 10
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
[[links]]
endpoints = ["c", "h"]
[nodes.h]
)");
  // a reaches c-h's subnet (10.0.0.12/30) via b (1 + 1) rather than directly over cost 10.
  auto routes = auto_routes(lab, "a");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "10.0.0.8/30 via 10.0.0.6 dev eth1");
  EXPECT_EQ(routes[1], "10.0.0.12/30 via 10.0.0.6 dev eth1");
}

TEST(StaticRoutes, StarWithABridge) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.r1]
[nodes.r2]
[nodes.r3]
[nodes.h1]
[nodes.h3]
[bridges.core]
[[links]]
endpoints = ["r1", "core"]
[[links]]
endpoints = ["r2", "core"]
[[links]]
endpoints = ["r3", "core"]
[[links]]
endpoints = ["h1", "r1"]
[[links]]
endpoints = ["h3", "r3"]
)");
  // core: 10.0.0.0/24 (r1 .1, r2 .2, r3 .3); h1-r1 10.0.1.0/30; h3-r3 10.0.1.4/30.
  EXPECT_EQ(auto_routes(lab, "h1"),
            (Lines{"10.0.0.0/24 via 10.0.1.2 dev eth0", "10.0.1.4/30 via 10.0.1.2 dev eth0"}));
  EXPECT_EQ(auto_routes(lab, "r2"),
            (Lines{"10.0.1.0/30 via 10.0.0.1 dev eth0", "10.0.1.4/30 via 10.0.0.3 dev eth0"}));
  EXPECT_TRUE(lab.find_node("r1")->forward);
  EXPECT_FALSE(lab.find_node("r2")->forward);
  EXPECT_TRUE(lab.find_node("r3")->forward);
  EXPECT_FALSE(lab.find_node("h1")->forward);
}

TEST(StaticRoutes, UserRoutesWinOverAutomaticOnes) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[routing]
static = true
[nodes.a]
routes = [{ to = "10.0.0.4/30", via = "10.0.0.2", metric = 7 }]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  const auto& routes = lab.find_node("a")->routes;
  ASSERT_EQ(routes.size(), 1u);
  EXPECT_EQ(routes[0].metric, 7u);
  EXPECT_FALSE(routes[0].automatic);
}

TEST(StaticRoutes, NoRoutesWithoutStaticRouting) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  EXPECT_TRUE(lab.find_node("a")->routes.empty());
  EXPECT_FALSE(lab.find_node("b")->forward);
}

TEST(StaticRoutes, Ipv6RoutesUseIpv6NextHops) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.0.0.0/16"
ipv6 = "fd00:1::/48"
[routing]
static = true
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  EXPECT_EQ(auto_routes(lab, "a"),
            (Lines{"10.0.0.4/30 via 10.0.0.2 dev eth0", "fd00:1:0:1::/64 via fd00:1::2 dev eth0"}));
}

}  // namespace
}  // namespace nettopo::topology
