// Protocol labs on real daemons: a configuration FRR or BIRD rejects fails `up`, naming the node
// and quoting the daemon, and leaves nothing behind; an OSPF line of FRR routers converges.
// Needs root, and FRR or BIRD (each test skips, saying so, without its daemon).

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "tests/integration/core/lab_runner.h"
#include "tests/integration/support.h"
#include "topology/loader.h"
#include "topology/routing/daemon_setup.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

#define REQUIRE_FRR()                                                    \
  do {                                                                   \
    if (::access(topology::kFrrZebra, X_OK) != 0)                        \
      GTEST_SKIP() << "FRR is not installed (no " << topology::kFrrZebra \
                   << "): apt-get install frr";                          \
  } while (false)
#define REQUIRE_BIRD()                                                      \
  do {                                                                      \
    if (::access(topology::kBirdBinary, X_OK) != 0)                         \
      GTEST_SKIP() << "BIRD is not installed (no " << topology::kBirdBinary \
                   << "): apt-get install bird2";                           \
  } while (false)

// The routing daemons running on this host, as "PID COMM": a lab's must all end with it.
std::set<std::string> routing_daemons() {
  static const std::set<std::string> kNames = {"zebra", "staticd", "ospfd", "ospf6d",
                                               "bgpd",  "bfdd",    "bird",  "mgmtd"};
  std::set<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    std::ifstream file(entry.path() / "comm");
    std::string comm;
    if (std::getline(file, comm) && kNames.count(comm))
      found.insert(entry.path().filename().string() + " " + comm);
  }
  return found;
}

// A lab file, and the files beside it, in a directory of the test's own.
class LabDir {
 public:
  explicit LabDir(const std::string& name) : dir_(fs::temp_directory_path() / name) {
    fs::create_directories(dir_);
  }
  ~LabDir() {
    std::error_code error;
    fs::remove_all(dir_, error);
  }
  std::string write(const std::string& file, const std::string& content) {
    std::ofstream(dir_ / file) << content;
    return (dir_ / file).string();
  }

 private:
  fs::path dir_;
};

// `up` of a lab whose node `node` has `config` that its daemon refuses: fails with exit code 1,
// an error naming the node and quoting `daemon_says`, and nothing of the lab remains.
void expect_refused_config(const std::string& name, const std::string& lab,
                           const std::string& config_file, const std::string& config,
                           const std::string& node, const std::string& daemon_says) {
  LabDir dir(name);
  dir.write(config_file, config);
  std::string file = dir.write("lab.toml", lab);
  auto daemons_before = routing_daemons();
  auto up = nettopo({"up", "--name", name, file});
  EXPECT_EQ(up.status, 1) << up.output;
  EXPECT_NE(up.output.find("nettopo: error: node " + node + ": "), std::string::npos) << up.output;
  EXPECT_NE(up.output.find(daemon_says), std::string::npos) << up.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  EXPECT_TRUE(eventually([&] { return routing_daemons() == daemons_before; }));
  for (const auto& daemon : routing_daemons())
    if (!daemons_before.count(daemon)) ADD_FAILURE() << "daemon left behind: " << daemon;
}

TEST(RoutingLab, AnFrrConfigWithATypoFailsUpWithFrrsMessage) {
  REQUIRE_ROOT();
  REQUIRE_FRR();
  std::string name = unique_lab_name("frrbad");
  expect_refused_config(name, R"(
[addressing]
ipv4 = "10.61.0.0/16"
loopback = "10.255.61.0/24"
[routing.ospf]
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "frr"
config = "bad-frr.conf"
[[links]]
endpoints = ["r1", "r2"]
)",
                        "bad-frr.conf",
                        "frr defaults traditional\nhostname r2\nrouter-idd 10.255.61.2\n", "r2",
                        "Unknown command");
}

TEST(RoutingLab, ABirdConfigWithASyntaxErrorFailsUpWithBirdsMessage) {
  REQUIRE_ROOT();
  REQUIRE_BIRD();
  std::string name = unique_lab_name("birdbad");
  expect_refused_config(name, R"(
[addressing]
ipv4 = "10.62.0.0/16"
loopback = "10.255.62.0/24"
[routing.ospf]
[nodes.b1]
kind = "bird"
config = "bad-bird.conf"
[nodes.b2]
kind = "bird"
[[links]]
endpoints = ["b1", "b2"]
)",
                        "bad-bird.conf",
                        "router id 10.255.62.1;\nprotocol device {}\nprotocl kernel { ipv4; }\n",
                        "b1", "syntax error");
}

// A ready step that fails after the daemons started: `up` fails quoting what the daemons said
// (the rollback is about to remove their logs), and ends every daemon it started.
TEST(RoutingLab, AFailingReadyStepQuotesTheDaemonsAndEndsThem) {
  REQUIRE_ROOT();
  REQUIRE_FRR();
  REQUIRE_BIRD();
  std::string name = unique_lab_name("notready");
  LabDir dir(name);
  std::string file = dir.write("lab.toml", R"(
[addressing]
ipv4 = "10.64.0.0/16"
loopback = "10.255.64.0/24"
[routing.ospf]
[nodes.r1]
kind = "frr"
ready = ["echo not ready yet >&2; exit 3"]
[nodes.b1]
kind = "bird"
[[links]]
endpoints = ["r1", "b1"]
)");
  auto daemons_before = routing_daemons();
  auto up = nettopo({"up", "--name", name, file});
  EXPECT_EQ(up.status, 1) << up.output;
  EXPECT_NE(up.output.find("nettopo: error: node r1: ready step 2 `echo not ready yet >&2; exit 3` "
                           "exited with status 3\n  | not ready yet\n"),
            std::string::npos)
      << up.output;
  // The end of the daemons' log (one program starts them all), each line tagged by FRR.
  EXPECT_NE(up.output.find("\n`exec sh /etc/frr/nettopo-start` said:\n  | "), std::string::npos)
      << up.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  EXPECT_TRUE(eventually([&] { return routing_daemons() == daemons_before; }));
  for (const auto& daemon : routing_daemons())
    if (!daemons_before.count(daemon)) ADD_FAILURE() << "daemon left behind: " << daemon;
}

// Three FRR routers in a line, configured by nettopo alone: r1 reaches r3's loopback across r2
// once OSPF has converged, polled for at most 15 s (the issue's target is 2 s).
TEST(RoutingLab, AnOspfLineOfFrrRoutersConverges) {
  REQUIRE_ROOT();
  REQUIRE_FRR();
  std::string name = unique_lab_name("ospfline");
  LabDir dir(name);
  std::string file = dir.write("lab.toml", R"(
[addressing]
ipv4 = "10.63.0.0/16"
loopback = "10.255.63.0/24"
[routing.ospf]
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "frr"
[nodes.r3]
kind = "frr"
[[links]]
endpoints = ["r1", "r2"]
[[links]]
endpoints = ["r2", "r3"]
)");
  auto loaded = topology::load_lab_file(file);
  ASSERT_TRUE(loaded.lab);
  std::string r3 = loaded.lab->find_node("r3")->router_id()->to_string();
  ASSERT_EQ(r3, "10.255.63.3");

  auto daemons_before = routing_daemons();
  auto start = std::chrono::steady_clock::now();
  {
    LabGuard lab(name);
    auto up = nettopo({"up", "--name", name, file});
    ASSERT_EQ(up.status, 0) << up.output;
    auto ping = [&] {
      return nettopo({"exec", "--lab", name, "r1", "--", "ping", "-c1", "-W1", "-q", r3}).status ==
             0;
    };
    bool reached = eventually(ping, std::chrono::seconds(15));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(reached) << "r1 does not reach r3's loopback " << r3 << " after " << seconds
                         << " s:\n"
                         << nettopo({"exec", "--lab", name, "r1", "--", "vtysh", "-c",
                                     "show ip ospf neighbor"})
                                .output
                         << nettopo({"exec", "--lab", name, "r1", "--", "ip", "route"}).output;
    std::printf("r1 reached r3's loopback %.2f s after the start of up\n", seconds);
    // r3's name is its loopback.
    auto resolved = nettopo({"exec", "--lab", name, "r1", "--", "getent", "hosts", "r3"});
    EXPECT_EQ(resolved.output.rfind(r3 + " ", 0), 0u) << resolved.output;
    // The daemons are there to ask, and their logs are the node's.
    auto neighbors =
        nettopo({"exec", "--lab", name, "r2", "--", "vtysh", "-c", "show ip ospf neighbor"});
    EXPECT_NE(neighbors.output.find("Full"), std::string::npos) << neighbors.output;
    auto logs = nettopo({"logs", "--lab", name, "r1"});
    EXPECT_EQ(logs.status, 0) << logs.output;
    EXPECT_NE(logs.output.find("ZEBRA: "), std::string::npos) << logs.output;
    EXPECT_NE(logs.output.find("OSPF: "), std::string::npos) << logs.output;
    auto down = nettopo({"down", "--lab", name});
    EXPECT_EQ(down.status, 0) << down.output;
  }
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  EXPECT_TRUE(eventually([&] { return routing_daemons() == daemons_before; }));
  for (const auto& daemon : routing_daemons())
    if (!daemons_before.count(daemon)) ADD_FAILURE() << "daemon left behind: " << daemon;
}

}  // namespace
}  // namespace nettopo::testing
