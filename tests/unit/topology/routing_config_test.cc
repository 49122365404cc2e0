// The FRR and BIRD configurations nettopo writes (topology/routing/{frr,bird}_config.h): the
// lines that make a lab route, for one small lab run by either daemon; and, where FRR or BIRD
// is installed, that the daemons' own parsers accept every configuration the examples generate.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_util.h"
#include "topology/loader.h"
#include "topology/routing/daemon_setup.h"
#include "topology/routing/frr_config.h"
#include "topology/routing/router_view.h"
#include "topology/segments.h"

namespace nettopo::topology {
namespace {

namespace fs = std::filesystem;
using testing::dump;
using testing::load_ok;
using Strings = std::vector<std::string>;

// r1 (AS 65001) -- r2 (AS 65002) -- r3 (AS 65002), and h1 behind r1: eBGP between r1 and r2,
// iBGP between r2 and r3 over OSPF. KIND is each router's daemon.
std::string small_lab(const std::string& kind) {
  std::string text = R"(
name = "gen"
[addressing]
loopback = "10.255.0.0/24"
[routing.ospf]
[routing.bgp]
[nodes.r1]
kind = "KIND"
asn = 65001
[nodes.r2]
kind = "KIND"
asn = 65002
[nodes.r3]
kind = "KIND"
asn = 65002
[nodes.h1]
[[links]]
endpoints = ["r1", "r2"]
addresses = ["10.0.12.1/30", "10.0.12.2/30"]
[[links]]
endpoints = ["r2", "r3"]
addresses = ["10.0.23.1/30", "10.0.23.2/30"]
[[links]]
endpoints = ["h1", "r1"]
addresses = ["10.1.1.2/24", "10.1.1.1/24"]
)";
  for (size_t at; (at = text.find("KIND")) != std::string::npos;) text.replace(at, 4, kind);
  return text;
}

// The generated file at `inside` in node `name`, or "" (and a failure) when there is none.
std::string generated(const Lab& lab, std::string_view name, std::string_view inside) {
  const Node* node = lab.find_node(name);
  if (!node) {
    ADD_FAILURE() << "no node " << name;
    return "";
  }
  for (const auto& file : node->files)
    if (file.inside_path == inside && file.content) return *file.content;
  ADD_FAILURE() << "node " << name << " has no generated " << inside;
  return "";
}

// Expects `text` to hold `part` (several whole lines, in order).
#define EXPECT_HAS(text, part) \
  EXPECT_NE((text).find(part), std::string::npos) << "missing:\n" << (part) << "\nin:\n" << (text)
#define EXPECT_HAS_NOT(text, part)                                       \
  EXPECT_EQ((text).find(part), std::string::npos) << "unexpected:\n"     \
                                                  << (part) << "\nin:\n" \
                                                  << (text)

TEST(FrrConfig, OspfOnEveryInterfacePointToPointBetweenRoutersPassiveTowardHosts) {
  Lab lab = load_ok(small_lab("frr"));
  std::string r1 = generated(lab, "r1", "/etc/frr/frr.conf");
  EXPECT_HAS(r1, "hostname r1\n");
  EXPECT_HAS(r1, "interface lo\n ip ospf area 0.0.0.0\nexit\n");
  EXPECT_HAS(r1,
             "interface eth0\n"
             " ip ospf area 0.0.0.0\n"
             " ip ospf network point-to-point\n"
             " ip ospf hello-interval 1\n"
             " ip ospf dead-interval 4\n"
             "exit\n");
  EXPECT_HAS(r1,
             "interface eth1\n"
             " ip ospf area 0.0.0.0\n"
             " ip ospf hello-interval 1\n"
             " ip ospf dead-interval 4\n"
             " ip ospf passive\n"
             "exit\n");
  EXPECT_HAS(r1, "router ospf\n ospf router-id 10.255.0.1\n");
  EXPECT_HAS(r1, " timers lsa min-arrival 0\n");
  EXPECT_HAS_NOT(r1, "ospf6");  // no IPv6 in the lab
}

TEST(FrrConfig, EbgpToTheNeighboursLinkAddress) {
  Lab lab = load_ok(small_lab("frr"));
  std::string r1 = generated(lab, "r1", "/etc/frr/frr.conf");
  EXPECT_HAS(r1, "router bgp 65001\n bgp router-id 10.255.0.1\n");
  EXPECT_HAS(r1, " no bgp ebgp-requires-policy\n");
  EXPECT_HAS(r1, " timers bgp 1 3\n");
  EXPECT_HAS(r1, " neighbor 10.0.12.2 remote-as 65002\n");
  EXPECT_HAS(r1, "  neighbor 10.0.12.2 activate\n");
  EXPECT_HAS_NOT(r1, "update-source");
  EXPECT_HAS_NOT(r1, "next-hop-self");
  // r1 announces its loopback and its subnets; nothing of r3 (not a neighbour, another AS).
  EXPECT_HAS(r1, "  network 10.255.0.1/32\n  network 10.0.12.0/30\n  network 10.1.1.0/24\n");
  EXPECT_HAS_NOT(r1, "10.255.0.3");
}

TEST(FrrConfig, IbgpBetweenLoopbacksWithNextHopSelf) {
  Lab lab = load_ok(small_lab("frr"));
  std::string r2 = generated(lab, "r2", "/etc/frr/frr.conf");
  EXPECT_HAS(r2, "router bgp 65002\n");
  EXPECT_HAS(r2, " neighbor 10.0.12.1 remote-as 65001\n");
  EXPECT_HAS(r2, " neighbor 10.255.0.3 remote-as 65002\n");
  EXPECT_HAS(r2, " neighbor 10.255.0.3 update-source lo\n");
  EXPECT_HAS(r2, "  neighbor 10.255.0.3 next-hop-self\n");
  EXPECT_HAS_NOT(r2, " neighbor 10.0.12.1 update-source lo\n");
  EXPECT_HAS_NOT(r2, "  neighbor 10.0.12.1 next-hop-self\n");
  std::string r3 = generated(lab, "r3", "/etc/frr/frr.conf");
  EXPECT_HAS(r3, " neighbor 10.255.0.2 remote-as 65002\n");
  EXPECT_HAS(r3, " neighbor 10.255.0.2 update-source lo\n");
}

TEST(FrrConfig, TimersFollowTheLab) {
  std::string text = small_lab("frr");
  text.replace(text.find("[routing.ospf]"), 14, "[routing.ospf]\nhello = \"2s\"\ndead = \"9s\"");
  text.replace(text.find("[routing.bgp]"), 13, "[routing.bgp]\nkeepalive = \"5s\"\nhold = \"15s\"");
  Lab lab = load_ok(text);
  std::string r1 = generated(lab, "r1", "/etc/frr/frr.conf");
  EXPECT_HAS(r1, " ip ospf hello-interval 2\n ip ospf dead-interval 9\n");
  EXPECT_HAS(r1, " timers bgp 5 15\n");
}

TEST(FrrConfig, Ospf6WhereTheLabHasIPv6) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[routing.ospf]
[nodes.r1]
kind = "frr"
[nodes.r2]
kind = "frr"
[[links]]
endpoints = ["r1", "r2"]
)");
  std::string r1 = generated(lab, "r1", "/etc/frr/frr.conf");
  EXPECT_HAS(r1, "interface lo\n ip ospf area 0.0.0.0\n ipv6 ospf6 area 0.0.0.0\nexit\n");
  EXPECT_HAS(r1, " ipv6 ospf6 area 0.0.0.0\n ipv6 ospf6 network point-to-point\n");
  EXPECT_HAS(r1, "router ospf6\n ospf6 router-id 10.255.0.1\n");
  std::string daemons = generated(lab, "r1", "/etc/frr/daemons");
  EXPECT_HAS(daemons, "ospfd=yes\nospf6d=yes\n");
  EXPECT_HAS_NOT(daemons, "bgpd");
}

// The daemons file and the programs started follow the protocols, or the node's own list.
TEST(FrrConfig, DaemonsFollowTheProtocols) {
  Lab lab = load_ok(small_lab("frr"));
  EXPECT_EQ(generated(lab, "r1", "/etc/frr/daemons"),
            "# Written by nettopo: the daemons this node runs. nettopo starts them itself.\n"
            "ospfd=yes\nbgpd=yes\nvtysh_enable=yes\n");
  // One program starts them all: zebra first, the others once zebra listens.
  const Node& r1 = *lab.find_node("r1");
  ASSERT_EQ(r1.run, (std::vector<std::string>{"exec sh /etc/frr/nettopo-start"}));
  std::string start = generated(lab, "r1", "/etc/frr/nettopo-start");
  auto zebra = start.find(
      "/usr/lib/frr/zebra --log stdout -A 127.0.0.1 -s 90000000 -f /etc/frr/zebra.conf &");
  auto wait = start.find("until [ -S /run/frr/zserv.api ]");
  auto ospfd = start.find("/usr/lib/frr/ospfd --log stdout -A 127.0.0.1 -f /etc/frr/ospfd.conf &");
  auto bgpd = start.find("/usr/lib/frr/bgpd --log stdout -A 127.0.0.1 -f /etc/frr/bgpd.conf &");
  ASSERT_NE(bgpd, std::string::npos) << start;
  EXPECT_LT(zebra, wait) << start;
  EXPECT_LT(wait, ospfd) << start;
  EXPECT_EQ(start.find("staticd"), std::string::npos) << "only when listed in 'daemons'";
  EXPECT_LT(ospfd, bgpd) << start;
  EXPECT_HAS(start, "trap 'kill -TERM $pids 2>/dev/null; wait' TERM INT\n");
  // A generated configuration is checked by these tests, not at every up.
  EXPECT_EQ(r1.exec, (std::vector<std::string>{"chown -R frr:frr /etc/frr /run/frr /var/log/frr"}));
}

TEST(BirdConfig, OspfPointToPointBetweenRoutersStubTowardHosts) {
  Lab lab = load_ok(small_lab("bird"));
  std::string r1 = generated(lab, "r1", "/etc/bird/bird.conf");
  EXPECT_HAS(r1, "router id 10.255.0.1;\n");
  EXPECT_HAS(r1, "protocol ospf v2 ospf4 {\n");
  EXPECT_HAS(r1, "  area 0.0.0.0 {\n    interface \"lo\" { stub yes; };\n");
  EXPECT_HAS(r1, "    interface \"eth0\" { type ptp; hello 1; dead 4; retransmit 2; };\n");
  EXPECT_HAS(r1, "    interface \"eth1\" { stub yes; };\n");
  EXPECT_HAS_NOT(r1, "ospf v3");
}

TEST(BirdConfig, EbgpToTheNeighboursLinkAddress) {
  Lab lab = load_ok(small_lab("bird"));
  std::string r1 = generated(lab, "r1", "/etc/bird/bird.conf");
  EXPECT_HAS(r1, "define ANNOUNCED = [ 10.255.0.1/32, 10.0.12.0/30, 10.1.1.0/24 ];\n");
  EXPECT_HAS(r1,
             "protocol bgp bgp_r2 {\n"
             "  description \"r2\";\n"
             "  local as 65001;\n"
             "  neighbor 10.0.12.2 as 65002;\n"
             "  hold time 3;\n"
             "  keepalive time 1;\n");
  EXPECT_HAS_NOT(r1, "multihop");
  EXPECT_HAS_NOT(r1, "next hop self");
}

TEST(BirdConfig, IbgpBetweenLoopbacksMultihopWithNextHopSelf) {
  Lab lab = load_ok(small_lab("bird"));
  std::string r2 = generated(lab, "r2", "/etc/bird/bird.conf");
  EXPECT_HAS(r2,
             "protocol bgp bgp_r1 {\n"
             "  description \"r1\";\n"
             "  local as 65002;\n"
             "  neighbor 10.0.12.1 as 65001;\n"
             "  hold time 3;\n");
  EXPECT_HAS(r2,
             "protocol bgp bgp_r3 {\n"
             "  description \"r3\";\n"
             "  local 10.255.0.2 as 65002;\n"
             "  neighbor 10.255.0.3 as 65002;\n"
             "  multihop;\n");
  EXPECT_HAS(r2, "    next hop self;\n  };\n}\n");
}

// Two sessions with one router (two parallel links) get two protocol names.
TEST(BirdConfig, ProtocolNamesAreUniqueAndValid) {
  Lab lab = load_ok(R"(
[addressing]
ipv4 = "10.10.0.0/16"
loopback = "10.255.0.0/24"
[routing.bgp]
asn = "65001-65002"
[nodes.b1]
kind = "bird"
[nodes.edge-2]
kind = "bird"
[[links]]
endpoints = ["b1", "edge-2"]
[[links]]
endpoints = ["b1", "edge-2"]
)");
  std::string b1 = generated(lab, "b1", "/etc/bird/bird.conf");
  EXPECT_HAS(b1, "protocol bgp bgp_edge_2 {\n  description \"edge-2\";\n");
  EXPECT_HAS(b1, "protocol bgp bgp_edge_2_2 {\n  description \"edge-2\";\n");
}

// A mixed lab: each daemon is told the same neighbours, AS numbers and announcements.
TEST(RouterView, FrrAndBirdAreToldTheSame) {
  Lab frr = load_ok(small_lab("frr"));
  Lab bird = load_ok(small_lab("bird"));
  auto segments_frr = find_segments(frr);
  auto segments_bird = find_segments(bird);
  RouterViews views_frr(frr, segments_frr);
  RouterViews views_bird(bird, segments_bird);
  for (size_t i = 0; i < 3; ++i) {
    auto a = views_frr.of(i);
    auto b = views_bird.of(i);
    EXPECT_EQ(a.announced(IpFamily::V4), b.announced(IpFamily::V4));
    auto peers_a = bgp_peers(frr, a);
    auto peers_b = bgp_peers(bird, b);
    ASSERT_EQ(peers_a.size(), peers_b.size());
    for (size_t p = 0; p < peers_a.size(); ++p) {
      EXPECT_EQ(peers_a[p].node->name, peers_b[p].node->name);
      EXPECT_EQ(peers_a[p].address, peers_b[p].address);
      EXPECT_EQ(peers_a[p].asn, peers_b[p].asn);
      EXPECT_EQ(peers_a[p].internal, peers_b[p].internal);
    }
  }
}

TEST(RouterView, NeighboursAndPeersOfAMiddleRouter) {
  Lab lab = load_ok(small_lab("frr"));
  auto segments = find_segments(lab);
  auto view = RouterViews(lab, segments).of(1);  // r2
  ASSERT_EQ(view.interfaces.size(), 2u);
  EXPECT_TRUE(view.interfaces[0].point_to_point);
  ASSERT_EQ(view.interfaces[0].routers.size(), 1u);
  EXPECT_EQ(view.interfaces[0].routers[0].node->name, "r1");
  EXPECT_FALSE(view.interfaces[0].has_hosts);
  auto peers = bgp_peers(lab, view);
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].node->name, "r1");
  EXPECT_EQ(peers[0].address.to_string(), "10.0.12.1");
  EXPECT_FALSE(peers[0].internal);
  EXPECT_EQ(peers[1].node->name, "r3");
  EXPECT_EQ(peers[1].address.to_string(), "10.255.0.3");
  EXPECT_TRUE(peers[1].internal);
}

// Users who write their own configs read the derived values from the identity file.
TEST(IdentityFile, HoldsWhatTheGeneratedConfigsAreMadeOf) {
  Lab lab = load_ok(small_lab("frr"));
  auto r2 = nlohmann::json::parse(generated(lab, "r2", "/etc/frr/nettopo.json"));
  EXPECT_EQ(r2, nlohmann::json::parse(R"({
    "node": "r2", "lab": "gen", "kind": "frr", "router_id": "10.255.0.2",
    "loopbacks": ["10.255.0.2/32"], "asn": 65002,
    "interfaces": [
      {"name": "eth0", "addresses": ["10.0.12.2/30"], "point_to_point": true, "hosts": false,
       "routers": [{"node": "r1", "addresses": ["10.0.12.1/30"], "asn": 65001}]},
      {"name": "eth1", "addresses": ["10.0.23.1/30"], "point_to_point": true, "hosts": false,
       "routers": [{"node": "r3", "addresses": ["10.0.23.2/30"], "asn": 65002}]}
    ],
    "bgp_peers": [
      {"node": "r1", "address": "10.0.12.1", "asn": 65001, "internal": false},
      {"node": "r3", "address": "10.255.0.3", "asn": 65002, "internal": true}
    ]})"));
  Lab bird = load_ok(small_lab("bird"));
  auto r1 = nlohmann::json::parse(generated(bird, "r1", "/etc/bird/nettopo.json"));
  EXPECT_EQ(r1["kind"], "bird");
  ASSERT_EQ(r1["interfaces"].size(), 2u);
  EXPECT_EQ(r1["interfaces"][1]["hosts"], true);
  EXPECT_EQ(r1["interfaces"][1]["routers"], nlohmann::json::array());
}

// Runs `command` through the shell; its exit status, and its output in `output`.
int run_shell(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = ::popen((command + " 2>&1 </dev/null").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Every lab whose generated configurations the daemons' parsers must accept: the protocol
// examples, and the small labs above (IPv6 and BIRD's protocol names included).
std::vector<std::pair<std::string, Lab>> protocol_labs() {
  std::vector<std::pair<std::string, Lab>> labs;
  for (const char* name : {"ospf-ring", "bgp-as", "bird-ospf", "mixed"}) {
    std::string path = std::string(NETTOPO_EXAMPLES_DIR) + "/" + name + ".toml";
    auto loaded = load_lab_file(path);
    EXPECT_TRUE(loaded.lab) << path << "\n" << dump(loaded);
    if (loaded.lab) labs.emplace_back(name, std::move(*loaded.lab));
  }
  labs.emplace_back("small frr", load_ok(small_lab("frr")));
  labs.emplace_back("small bird", load_ok(small_lab("bird")));
  std::string dual = R"(
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
loopback = "10.255.0.0/24"
loopback6 = "fd00:255::/64"
[routing.ospf]
[routing.bgp]
asn = "65001-65099"
[nodes.f1]
kind = "frr"
[nodes.b1]
kind = "bird"
[nodes.h1]
[bridges.lan]
[[links]]
endpoints = ["f1", "b1"]
[[links]]
endpoints = ["f1", "lan"]
[[links]]
endpoints = ["b1", "lan"]
[[links]]
endpoints = ["h1", "lan"]
)";
  labs.emplace_back("dual stack", load_ok(dual));
  return labs;
}

// Checks each generated `inside` file with `check` (a command line taking the file's path).
void check_generated(const std::string& inside, const std::string& check) {
  fs::path dir = fs::temp_directory_path() / ("nettopo-config-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  size_t checked = 0;
  for (const auto& [name, lab] : protocol_labs()) {
    for (const auto& node : lab.nodes) {
      for (const auto& file : node.files) {
        if (file.inside_path != inside || !file.content) continue;
        fs::path path = dir / (node.name + ".conf");
        std::ofstream(path) << *file.content;
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write |
                                  fs::perms::group_read | fs::perms::others_read);
        std::string output;
        int status = run_shell(check + " " + path.string(), output);
        EXPECT_EQ(status, 0) << name << ", node " << node.name << ": " << check << " said:\n"
                             << output << "\nof:\n"
                             << *file.content;
        ++checked;
      }
    }
  }
  fs::remove_all(dir);
  EXPECT_GT(checked, 0u);
  std::printf("checked %zu generated %s files\n", checked, inside.c_str());
}

TEST(DaemonParsers, FrrAcceptsEveryGeneratedConfiguration) {
  if (::access("/usr/bin/vtysh", X_OK) != 0)
    GTEST_SKIP() << "FRR is not installed (no /usr/bin/vtysh): apt-get install frr";
  check_generated("/etc/frr/frr.conf", "/usr/bin/vtysh --dryrun -f");
}

// Each FRR daemon reads its own part at start (-f /etc/frr/DAEMON.conf). A daemon's dry run
// exits 0 whatever it read, but says "No such command" for each line it cannot take: none may.
TEST(DaemonParsers, EachFrrDaemonAcceptsItsPart) {
  if (::access("/usr/lib/frr/zebra", X_OK) != 0)
    GTEST_SKIP() << "FRR is not installed (no /usr/lib/frr/zebra): apt-get install frr";
  if (::geteuid() != 0)
    GTEST_SKIP() << "FRR's daemons switch to user frr even in a dry run, which needs root";
  fs::path dir = fs::temp_directory_path() / ("nettopo-daemon-check-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  size_t checked = 0;
  for (const auto& [name, lab] : protocol_labs()) {
    for (const auto& node : lab.nodes) {
      for (const auto& file : node.files) {
        const std::string prefix = "/etc/frr/";
        if (!file.content || file.inside_path.rfind(prefix, 0) != 0 ||
            file.inside_path == "/etc/frr/frr.conf" || file.inside_path == "/etc/frr/vtysh.conf" ||
            !file.inside_path.ends_with(".conf"))
          continue;
        std::string daemon = file.inside_path.substr(
            prefix.size(), file.inside_path.size() - prefix.size() - std::string(".conf").size());
        fs::path path = dir / (node.name + "-" + daemon + ".conf");
        std::ofstream(path) << *file.content;
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write |
                                  fs::perms::group_read | fs::perms::others_read);
        std::string output;
        int status = run_shell("/usr/lib/frr/" + daemon + " -C -f " + path.string(), output);
        EXPECT_EQ(status, 0) << output;
        EXPECT_EQ(output.find("No such command"), std::string::npos)
            << name << ", node " << node.name << ", " << daemon << " said:\n"
            << output << "\nof:\n"
            << *file.content;
        ++checked;
      }
    }
  }
  fs::remove_all(dir);
  EXPECT_GT(checked, 0u);
  std::printf("checked %zu generated per-daemon files\n", checked);
}

TEST(DaemonParsers, BirdAcceptsEveryGeneratedConfiguration) {
  if (::access(kBirdBinary, X_OK) != 0)
    GTEST_SKIP() << "BIRD is not installed (no " << kBirdBinary << "): apt-get install bird2";
  check_generated("/etc/bird/bird.conf", std::string(kBirdBinary) + " -p -c");
}

// The checks above would prove nothing if the parsers took anything: a typo must fail them.
TEST(DaemonParsers, TheyRefuseATypo) {
  fs::path path = fs::temp_directory_path() / ("nettopo-typo-" + std::to_string(::getpid()));
  std::string output;
  bool any = false;
  if (::access("/usr/bin/vtysh", X_OK) == 0) {
    std::ofstream(path) << "router ospf\n router-idd 10.0.0.1\nexit\n";
    EXPECT_NE(run_shell("/usr/bin/vtysh --dryrun -f " + path.string(), output), 0) << output;
    EXPECT_HAS(output, "Unknown command");
    any = true;
  }
  if (::access(kBirdBinary, X_OK) == 0) {
    std::ofstream(path) << "router idd 10.0.0.1;\n";
    EXPECT_NE(run_shell(std::string(kBirdBinary) + " -p -c " + path.string(), output), 0) << output;
    EXPECT_HAS(output, "syntax error");
    any = true;
  }
  fs::remove(path);
  if (!any) GTEST_SKIP() << "neither FRR nor BIRD is installed";
}

}  // namespace
}  // namespace nettopo::topology
