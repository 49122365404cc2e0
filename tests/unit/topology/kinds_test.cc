// Node kinds ([kinds.X], kind = "..."): what a node takes from its kind, how the two merge
// (scalars replace; sysctl, env and files merge by key; exec, run, ready, dirs and routes append
// after the kind's; `daemons` replaces), the built-in kinds frr and bird, and the mistakes
// validate refuses.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"
#include "topology/loader.h"

namespace nettopo::topology {
namespace {

namespace fs = std::filesystem;
using testing::dump;
using testing::load_ok;

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

const Node& node_named(const Lab& lab, std::string_view name) {
  const Node* node = lab.find_node(name);
  EXPECT_NE(node, nullptr) << name;
  static const Node none;
  return node ? *node : none;
}

// Every error of `result` as "LINE:COL: MESSAGE", hints aside.
Strings errors_of(const LoadResult& result) {
  Strings errors;
  for (const auto& diagnostic : result.diagnostics.all())
    if (diagnostic.severity == Diagnostic::Severity::Error)
      errors.push_back(std::to_string(diagnostic.where.line) + ":" +
                       std::to_string(diagnostic.where.column) + ": " + diagnostic.message);
  return errors;
}

// The hint of the only error of `result`.
std::string only_hint(const LoadResult& result) {
  EXPECT_EQ(result.diagnostics.error_count(), 1u) << dump(result);
  for (const auto& diagnostic : result.diagnostics.all())
    if (diagnostic.severity == Diagnostic::Severity::Error) return diagnostic.hint;
  return "";
}

// A directory of its own for labs whose `files` and `config` name real files.
class KindFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nettopo-kinds-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return (dir_ / name).string();
  }
  LoadResult load(std::string_view text) {
    return load_lab_string(text, (dir_ / "lab.toml").string());
  }

  fs::path dir_;
};

TEST(Kinds, ANodeTakesItsKindsKeysAndName) {
  Lab lab = load_ok(R"(
[kinds.router]
forward = true
sysctl = { "net.ipv4.conf.all.rp_filter" = "0" }
[nodes.r1]
kind = "router"
[nodes.h1]
[[links]]
endpoints = ["r1", "h1"]
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_EQ(r1.kind, "router");
  EXPECT_TRUE(r1.forward);
  EXPECT_EQ(r1.sysctls, (Pairs{{"net.ipv4.conf.all.rp_filter", "0"}}));
  const Node& h1 = node_named(lab, "h1");
  EXPECT_EQ(h1.kind, "");
  EXPECT_FALSE(h1.forward);
}

// A kind may extend a kind written after it; the chain's lists append base first.
TEST(Kinds, AKindExtendsAKindWrittenLater) {
  Lab lab = load_ok(R"(
[kinds.edge]
kind = "base"
env = { B = "edge" }
exec = ["echo edge"]
[kinds.base]
env = { A = "base", B = "base" }
exec = ["echo base"]
forward = true
[nodes.r1]
kind = "edge"
exec = ["echo node"]
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_EQ(r1.kind, "edge");
  EXPECT_TRUE(r1.forward);
  EXPECT_EQ(r1.env, (Pairs{{"A", "base"}, {"B", "edge"}}));
  EXPECT_EQ(r1.exec, (Strings{"echo base", "echo edge", "echo node"}));
}

TEST(Kinds, AKindExtendsTheBuiltInFrr) {
  Lab lab = load_ok(R"(
[kinds.edge]
kind = "frr"
daemons = ["bgpd"]
[nodes.r1]
kind = "edge"
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_EQ(r1.kind, "edge");
  EXPECT_EQ(r1.daemon, RoutingDaemon::Frr);
  EXPECT_TRUE(r1.forward);
  EXPECT_EQ(r1.daemons, (Strings{"bgpd"}));
  EXPECT_TRUE(r1.is_router());
}

// [kinds.frr] and [kinds.bird] extend the built-in kinds of their name.
TEST(Kinds, AKindNamedAfterABuiltInOneExtendsIt) {
  Lab lab = load_ok(R"(
[kinds.frr]
env = { SITE = "lab" }
[kinds.bird]
env = { SITE = "lab" }
[nodes.f]
kind = "frr"
[nodes.b]
kind = "bird"
)");
  for (auto [name, kind] : {std::pair{"f", "frr"}, std::pair{"b", "bird"}}) {
    const Node& node = node_named(lab, name);
    EXPECT_EQ(node.kind, kind);
    EXPECT_TRUE(node.forward) << name;
    ASSERT_FALSE(node.env.empty()) << name;
    EXPECT_EQ(node.env.front(), (std::pair<std::string, std::string>{"SITE", "lab"})) << name;
  }
  EXPECT_EQ(node_named(lab, "f").daemon, RoutingDaemon::Frr);
  EXPECT_EQ(node_named(lab, "b").daemon, RoutingDaemon::Bird);
}

TEST(Kinds, BuiltInKindsNeedNoKindsTable) {
  Lab lab = load_ok(R"(
[nodes.f]
kind = "frr"
[nodes.b]
kind = "bird"
)");
  EXPECT_EQ(node_named(lab, "f").daemon, RoutingDaemon::Frr);
  EXPECT_EQ(node_named(lab, "b").daemon, RoutingDaemon::Bird);
  EXPECT_TRUE(node_named(lab, "f").forward);
  EXPECT_TRUE(node_named(lab, "b").forward);
}

TEST(Kinds, ScalarsOfTheNodeReplaceTheKinds) {
  Lab lab = load_ok(R"(
[kinds.router]
forward = true
asn = 65001
[nodes.r1]
kind = "router"
forward = false
asn = 65002
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_FALSE(r1.forward);
  EXPECT_EQ(r1.asn, 65002u);
}

// A node's env value replaces its kind's in the kind's place; new keys follow in file order.
TEST(Kinds, EnvAndSysctlMergeByKeyAndKeepTheirOrder) {
  Lab lab = load_ok(R"(
[kinds.k]
env = { A = "kind", B = "kind", C = "kind" }
sysctl = { "net.ipv4.ip_forward" = "1", "net.ipv4.conf.all.rp_filter" = "2" }
[nodes.n]
kind = "k"
env = { D = "node", B = "node" }
sysctl = { "net.ipv4.conf.all.rp_filter" = "0" }
)");
  const Node& n = node_named(lab, "n");
  EXPECT_EQ(n.env, (Pairs{{"A", "kind"}, {"B", "node"}, {"C", "kind"}, {"D", "node"}}));
  EXPECT_EQ(n.sysctls, (Pairs{{"net.ipv4.ip_forward", "1"}, {"net.ipv4.conf.all.rp_filter", "0"}}));
}

TEST(Kinds, ListsAppendAfterTheKinds) {
  Lab lab = load_ok(R"(
[kinds.k]
exec = ["echo k1", "echo k2"]
run = ["sleep 1000"]
ready = ["true"]
routes = [{ to = "192.168.1.0/24", dev = "eth0" }]
[nodes.n]
kind = "k"
exec = ["echo n1"]
run = ["sleep 2000"]
ready = ["test -e /tmp"]
routes = [{ to = "192.168.2.0/24", dev = "eth0" }]
[nodes.m]
[[links]]
endpoints = ["n", "m"]
)");
  const Node& n = node_named(lab, "n");
  EXPECT_EQ(n.exec, (Strings{"echo k1", "echo k2", "echo n1"}));
  EXPECT_EQ(n.run, (Strings{"sleep 1000", "sleep 2000"}));
  EXPECT_EQ(n.ready, (Strings{"true", "test -e /tmp"}));
  ASSERT_EQ(n.routes.size(), 2u);
  EXPECT_EQ(n.routes[0].destination.to_string(), "192.168.1.0/24");
  EXPECT_EQ(n.routes[1].destination.to_string(), "192.168.2.0/24");
}

// A directory both list is one directory, in the kind's place.
TEST(Kinds, ADirInBothIsKeptOnce) {
  Lab lab = load_ok(R"(
[kinds.k]
dirs = ["/srv/a", "/srv/b"]
[nodes.n]
kind = "k"
dirs = ["/srv/b", "/srv/c"]
)");
  EXPECT_EQ(node_named(lab, "n").dirs, (Strings{"/srv/a", "/srv/b", "/srv/c"}));
}

TEST(Kinds, DaemonsOfTheNodeReplaceTheKinds) {
  Lab lab = load_ok(R"(
[kinds.edge]
kind = "frr"
daemons = ["ospfd", "bgpd"]
[nodes.r1]
kind = "edge"
daemons = ["bgpd"]
[nodes.r2]
kind = "edge"
)");
  EXPECT_EQ(node_named(lab, "r1").daemons, (Strings{"bgpd"}));
  EXPECT_EQ(node_named(lab, "r2").daemons, (Strings{"ospfd", "bgpd"}));
}

TEST_F(KindFiles, FilesMergeByPathInside) {
  std::string kind_x = write("kind-x", "k");
  std::string node_x = write("node-x", "n");
  std::string node_y = write("node-y", "n");
  auto result = load(R"(
[kinds.k]
files = { "/etc/x" = "kind-x" }
[nodes.n]
kind = "k"
files = { "/etc/y" = "node-y", "/etc/x" = "node-x" }
)");
  ASSERT_TRUE(result.lab) << dump(result);
  const auto& files = node_named(*result.lab, "n").files;
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].inside_path, "/etc/x");
  EXPECT_EQ(files[0].source_path, node_x);
  EXPECT_EQ(files[1].inside_path, "/etc/y");
  EXPECT_EQ(files[1].source_path, node_y);
}

TEST(Kinds, UnknownKindSuggestsTheClosest) {
  auto result = load_lab_string(R"(
[kinds.router]
forward = true
[nodes.r1]
kind = "rooter"
[nodes.r2]
kind = "fr"
)",
                                "/tmp/lab.toml");
  EXPECT_FALSE(result.lab);
  EXPECT_EQ(errors_of(result), (Strings{"5:8: unknown kind 'rooter'", "7:8: unknown kind 'fr'"}));
  std::vector<std::string> hints;
  for (const auto& diagnostic : result.diagnostics.all()) hints.push_back(diagnostic.hint);
  EXPECT_EQ(hints, (Strings{"did you mean 'router'?", "did you mean 'frr'?"}));
}

// Two kinds extending each other: one error, at the `kind` that closes the cycle, naming the
// line where it starts, however many nodes use them.
TEST(Kinds, ACycleIsReportedOnceWithItsLine) {
  auto result = load_lab_string(R"(
[kinds.a]
kind = "b"
[kinds.b]
kind = "a"
[nodes.n1]
kind = "a"
[nodes.n2]
kind = "b"
[nodes.n3]
kind = "a"
)",
                                "/tmp/lab.toml");
  EXPECT_FALSE(result.lab);
  EXPECT_EQ(errors_of(result), (Strings{"5:8: kind 'a' extends itself"}));
  EXPECT_EQ(only_hint(result), "follow the 'kind' keys from line 2 and break the cycle");
}

TEST(Kinds, AKindExtendingItselfIsACycle) {
  auto result = load_lab_string(R"(
[kinds.a]
kind = "a"
[nodes.n1]
kind = "a"
)",
                                "/tmp/lab.toml");
  EXPECT_EQ(errors_of(result), (Strings{"3:8: kind 'a' extends itself"}));
}

// A kind no node uses is still checked: its mistakes are mistakes in the file.
TEST(Kinds, AnUnusedKindIsCheckedToo) {
  auto result = load_lab_string(R"(
[kinds.a]
kind = "b"
[kinds.b]
kind = "a"
[kinds.c]
kind = "nope"
[kinds.d]
forward = "yes"
[nodes.n1]
)",
                                "/tmp/lab.toml");
  EXPECT_FALSE(result.lab);
  EXPECT_EQ(errors_of(result), (Strings{"5:8: kind 'a' extends itself", "7:8: unknown kind 'nope'",
                                        "9:11: 'forward' must be a boolean, not a string"}));
}

// A kind's mistake is the kind's, reported once at its line, however many nodes use it.
TEST(Kinds, AMistakeInAKindIsReportedOnce) {
  auto result = load_lab_string(R"(
[kinds.k]
forward = "yes"
sysctl = { "kernel.panic" = "1" }
[nodes.a]
kind = "k"
[nodes.b]
kind = "k"
[nodes.c]
kind = 3
)",
                                "/tmp/lab.toml");
  EXPECT_EQ(errors_of(result), (Strings{"3:11: 'forward' must be a boolean, not a string",
                                        "4:12: sysctl 'kernel.panic' is not per network namespace: "
                                        "a node can set only net.* keys",
                                        "10:8: 'kind' must be a string, not an integer"}));
}

TEST(Kinds, DaemonsOnANodeWithoutFrrAreRefused) {
  auto result = load_lab_string(R"(
[kinds.plain]
forward = true
[nodes.a]
daemons = ["ospfd"]
[nodes.b]
kind = "bird"
daemons = ["ospfd"]
[nodes.c]
kind = "plain"
daemons = ["ospfd"]
)",
                                "/tmp/lab.toml");
  EXPECT_EQ(errors_of(result), (Strings{"5:11: 'daemons' lists FRR daemons, for FRR nodes only",
                                        "8:11: 'daemons' lists FRR daemons, for FRR nodes only",
                                        "11:11: 'daemons' lists FRR daemons, for FRR nodes only"}));
}

TEST(Kinds, UnknownFrrDaemonIsRefused) {
  auto result = load_lab_string(R"(
[nodes.a]
kind = "frr"
daemons = ["ospf"]
)",
                                "/tmp/lab.toml");
  EXPECT_EQ(errors_of(result), (Strings{"4:11: unknown FRR daemon 'ospf'"}));
  EXPECT_EQ(only_hint(result), "did you mean 'ospfd'?");
}

TEST_F(KindFiles, ConfigOnANodeWithoutADaemonIsRefused) {
  write("frr.conf", "hostname a\n");
  auto result = load(R"(
[nodes.a]
config = "frr.conf"
[kinds.plain]
forward = true
[nodes.b]
kind = "plain"
config = "frr.conf"
)");
  EXPECT_EQ(errors_of(result),
            (Strings{"3:10: 'config' is a routing daemon's configuration file",
                     "8:10: 'config' is a routing daemon's configuration file"}));
}

TEST_F(KindFiles, AMissingConfigFileIsRefused) {
  auto result = load(R"(
[nodes.a]
kind = "frr"
config = "r1/frr.conf"
)");
  EXPECT_EQ(errors_of(result), (Strings{"4:10: config file 'r1/frr.conf' does not exist"}));
  EXPECT_EQ(only_hint(result),
            "looked for " + (dir_ / "r1/frr.conf").string() + " (relative to the lab file)");
}

// The user's config replaces the generated one, at the path the daemon reads.
TEST_F(KindFiles, TheUsersConfigIsCopiedInsteadOfTheGeneratedOne) {
  std::string frr = write("frr.conf", "hostname a\n");
  std::string bird = write("bird.conf", "router id 1.1.1.1;\n");
  auto result = load(R"(
[nodes.a]
kind = "frr"
config = "frr.conf"
[nodes.b]
kind = "bird"
config = "bird.conf"
)");
  ASSERT_TRUE(result.lab) << dump(result);
  for (auto [name, inside, source] :
       {std::tuple{"a", "/etc/frr/frr.conf", frr}, std::tuple{"b", "/etc/bird/bird.conf", bird}}) {
    const Node& node = node_named(*result.lab, name);
    EXPECT_EQ(node.daemon_config, source);
    size_t found = 0;
    for (const auto& file : node.files) {
      if (file.inside_path != inside) continue;
      ++found;
      EXPECT_EQ(file.source_path, source);
      EXPECT_FALSE(file.content.has_value());
    }
    EXPECT_EQ(found, 1u) << name;
  }
}

// A kind's config is the default of its nodes; a node's own replaces it (a scalar).
TEST_F(KindFiles, ConfigIsAScalar) {
  std::string shared = write("shared.conf", "hostname x\n");
  std::string own = write("own.conf", "hostname y\n");
  auto result = load(R"(
[kinds.edge]
kind = "frr"
config = "shared.conf"
[nodes.a]
kind = "edge"
[nodes.b]
kind = "edge"
config = "own.conf"
)");
  ASSERT_TRUE(result.lab) << dump(result);
  EXPECT_EQ(node_named(*result.lab, "a").daemon_config, shared);
  EXPECT_EQ(node_named(*result.lab, "b").daemon_config, own);
}

// The built-in kind's own steps come before those the node wrote.
TEST(Kinds, TheDaemonsStepsComeBeforeTheNodes) {
  Lab lab = load_ok(R"(
[nodes.r1]
kind = "frr"
exec = ["echo mine"]
run = ["sleep 1000"]
ready = ["vtysh -c 'show version'"]
dirs = ["/srv/mine", "/etc/frr"]
)");
  const Node& r1 = node_named(lab, "r1");
  EXPECT_EQ(r1.exec, (Strings{"chown -R frr:frr /etc/frr /run/frr /var/log/frr", "echo mine"}));
  EXPECT_EQ(r1.run, (Strings{"exec sh /etc/frr/nettopo-start", "sleep 1000"}));
  EXPECT_EQ(r1.ready.back(), "vtysh -c 'show version'");
  EXPECT_EQ(r1.ready.size(), 2u);
  EXPECT_EQ(r1.dirs, (Strings{"/run/frr", "/var/log/frr", "/srv/mine", "/etc/frr"}));
}

}  // namespace
}  // namespace nettopo::topology
