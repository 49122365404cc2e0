#include "topology/dot_export.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace nettopo::topology {
namespace {

using testing::load_ok;

Lab small() {
  return load_ok(R"(
name = "small"
[nodes.h1]
[nodes.r1]
forward = true
[bridges.lan]
[[links]]
endpoints = ["h1", "r1"]
addresses = ["10.0.0.1/24", "10.0.0.2/24"]
delay = "5ms"
[[links]]
endpoints = ["r1", "lan"]
)");
}

TEST(DotExport, HasNodesBridgesAndLabelledEdges) {
  std::string dot = to_dot(small());
  EXPECT_EQ(dot.rfind("graph \"small\" {\n", 0), 0u);
  EXPECT_NE(dot.find("\"h1\" [shape=box];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"r1\" [shape=box, peripheries=2];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"lan\" [shape=ellipse"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"h1\" -- \"r1\" [taillabel=\"eth0\\n10.0.0.1/24\", "
                     "headlabel=\"eth0\\n10.0.0.2/24\", label=\"5 ms\"];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"r1\" -- \"lan\" [taillabel=\"eth1\", headlabel=\"r1-eth1\"];"),
            std::string::npos)
      << dot;
}

TEST(DotExport, GraphvizAcceptsIt) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) GTEST_SKIP() << "graphviz not installed";
  auto path = std::filesystem::temp_directory_path() / "nettopo-dot-export-test.dot";
  { std::ofstream(path) << to_dot(small()); }
  std::string command = "dot -Tsvg " + path.string() + " -o /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace nettopo::topology
