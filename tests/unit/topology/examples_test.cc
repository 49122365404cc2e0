// Every examples/*.toml must load without errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_util.h"
#include "topology/dot_export.h"
#include "topology/loader.h"
#include "topology/reachability.h"

namespace nettopo::topology {
namespace {

std::vector<std::string> examples() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(NETTOPO_EXAMPLES_DIR))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Example, LoadsWithoutErrorsOrWarnings) {
  LoadResult result = load_lab_file(std::string(NETTOPO_EXAMPLES_DIR "/") + GetParam());
  EXPECT_TRUE(result.lab) << testing::dump(result);
  EXPECT_TRUE(result.diagnostics.all().empty()) << testing::dump(result);
}

// The examples are meant to be fully connected: every node answers every other node on each
// of its addresses. Those that write their routes by hand (failover.toml: routes between the
// hosts' networks only, over two paths) promise what their checks prove instead, which the
// integration tests run with `nettopo test`.
TEST_P(Example, EveryNodeReachesEveryAddress) {
  LoadResult result = load_lab_file(std::string(NETTOPO_EXAMPLES_DIR "/") + GetParam());
  ASSERT_TRUE(result.lab) << testing::dump(result);
  const Lab& lab = *result.lab;
  bool hand_routed = !lab.static_routing && !lab.checks.empty() &&
                     std::any_of(lab.nodes.begin(), lab.nodes.end(), [](const Node& node) {
                       return std::any_of(node.routes.begin(), node.routes.end(),
                                          [](const Route& route) { return !route.automatic; });
                     });
  if (hand_routed)
    GTEST_SKIP() << GetParam() << " routes by hand; its [[checks]] say what reaches what";
  if (lab.ospf || lab.bgp)
    GTEST_SKIP() << GetParam() << " is routed by daemons at run time; its [[checks]] prove it";
  size_t pairs = 0;
  for (const auto& from : lab.nodes)
    for (const auto& link : lab.links)
      for (const auto& end : link.ends)
        for (const auto& address : end.addresses) {
          EXPECT_TRUE(can_ping(lab, from.name, address.address))
              << from.name << " -> " << address.address.to_string() << " (" << end.owner << ")";
          ++pairs;
        }
  EXPECT_GT(pairs, 0u);
}

TEST_P(Example, GraphvizRendersIt) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "graphviz not installed";
  LoadResult result = load_lab_file(std::string(NETTOPO_EXAMPLES_DIR "/") + GetParam());
  ASSERT_TRUE(result.lab);
  auto path = std::filesystem::temp_directory_path() / ("nettopo-example-" + GetParam() + ".dot");
  { std::ofstream(path) << to_dot(*result.lab); }
  EXPECT_EQ(std::system(("dot -Tsvg '" + path.string() + "' -o /dev/null").c_str()), 0);
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Folder, Example, ::testing::ValuesIn(examples()),
                         [](const auto& param_info) {
                           std::string name =
                               param_info.param.substr(0, param_info.param.size() - 5);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace nettopo::topology
