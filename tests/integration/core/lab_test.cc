// The lab runtime as a user sees it: the real binary, real namespaces, real packets.
// Needs root; every lab has a unique name and is taken down by the test that made it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "tests/integration/core/lab_runner.h"
#include "tests/integration/support.h"
#include "topology/interfaces.h"
#include "topology/loader.h"
#include "topology/reachability.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

std::string example(const std::string& name) {
  // Examples by file name; test-only labs by a path under tests/data.
  if (name.find('/') != std::string::npos) return std::string(NETTOPO_TEST_DATA) + "/" + name;
  return std::string(NETTOPO_EXAMPLES) + "/" + name;
}

std::string write_lab_file(const std::string& name, const std::string& content) {
  fs::path path = fs::temp_directory_path() / (name + ".toml");
  std::ofstream(path) << content;
  return path.string();
}

// Each node's first IPv4 address, which its name resolves to in /etc/hosts.
std::map<std::string, IpAddress> first_ipv4(const topology::Lab& lab) {
  std::map<std::string, IpAddress> addresses;
  for (const auto& link : lab.links)
    for (const auto& end : link.ends)
      for (const auto& address : end.addresses)
        if (address.family() == IpFamily::V4 && !addresses.count(end.owner) &&
            end.kind == topology::EndpointKind::Node)
          addresses.emplace(end.owner, address.address);
  return addresses;
}

// Each test brings the example up under a name of its own, and takes it down at the end.
class ExampleLab : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    auto loaded = topology::load_lab_file(example(GetParam()));
    ASSERT_TRUE(loaded.lab) << GetParam() << " does not validate";
    model_ = std::move(*loaded.lab);
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    lab_.emplace(unique_lab_name("x" + std::to_string(std::hash<std::string>{}(test) % 100000)));
    auto up = nettopo({"up", "--name", lab_->name(), example(GetParam())});
    ASSERT_EQ(up.status, 0) << up.output;
  }

  const topology::Lab& model() const { return model_; }
  const std::string& lab_name() const { return lab_->name(); }

 private:
  topology::Lab model_;
  std::optional<LabGuard> lab_;
};

TEST_P(ExampleLab, PingsExactlyThePairsTheTopologyConnects) {
  auto addresses = first_ipv4(model());
  int checked = 0;
  for (const auto& from : model().nodes) {
    for (const auto& [to, address] : addresses) {
      if (to == from.name) continue;
      bool expected = topology::can_ping(model(), from.name, address);
      // By name: /etc/hosts in the node resolves it. A pair that should answer gets up to 5 s
      // (ping returns at the first reply, and retries each second if a loaded machine lost one);
      // one that should not gets 1 s, which its silence fills.
      std::string wait = expected ? "-w5" : "-W1";
      auto ping =
          nettopo({"exec", "--lab", lab_name(), from.name, "--", "ping", "-c1", wait, "-q", to});
      EXPECT_EQ(ping.status == 0, expected)
          << from.name << " -> " << to << " (" << address.to_string() << ") expected "
          << (expected ? "reachable" : "unreachable") << "\n"
          << ping.output;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
  if (GetParam().find("without-routes") != std::string::npos) {
    EXPECT_FALSE(topology::can_ping(model(), "a", addresses.at("c")))
        << "this lab must keep some pairs apart, or the test proves nothing about them";
  }
  auto down = nettopo({"down", "--lab", lab_name()});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_TRUE(eventually([&] { return traces_of(lab_name()).empty(); }));
}

TEST_P(ExampleLab, EveryNodeIsIsolatedAndSeesTheLabsNames) {
  for (const auto& node : model().nodes) {
    auto hostname = nettopo({"exec", "--lab", lab_name(), node.name, "--", "hostname"});
    EXPECT_EQ(hostname.status, 0);
    EXPECT_EQ(hostname.output, node.name + "\n");

    // Only the node's own processes: its init (PID 1), what its `run` started, and ps itself.
    auto ps =
        nettopo({"exec", "--lab", lab_name(), node.name, "--", "ps", "-e", "-o", "pid=,comm="});
    EXPECT_EQ(ps.status, 0) << ps.output;
    EXPECT_NE(ps.output.find("1 nettopo-init"), std::string::npos) << ps.output;
    EXPECT_NE(ps.output.find(" ps"), std::string::npos) << ps.output;
    if (node.run.empty()) {
      EXPECT_EQ(std::count(ps.output.begin(), ps.output.end(), '\n'), 2) << node.name << ":\n"
                                                                         << ps.output;
    }

    // Only the node's own interfaces: lo and its links.
    auto links = nettopo({"exec", "--lab", lab_name(), node.name, "--", "cat", "/proc/net/dev"});
    EXPECT_EQ(links.status, 0);
    size_t interfaces = std::count(links.output.begin(), links.output.end(), '\n') - 2;
    EXPECT_EQ(interfaces, 1 + topology::interfaces_of(model(), node.name).size()) << links.output;

    auto hosts = nettopo({"exec", "--lab", lab_name(), node.name, "--", "cat", "/etc/hosts"});
    for (const auto& other : model().nodes)
      EXPECT_NE(hosts.output.find("\t" + other.name + "\n"), std::string::npos) << hosts.output;

    // Visible to standard tools under its lab-qualified name.
    EXPECT_TRUE(fs::exists("/run/netns/" + lab_name() + "-" + node.name));
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleLab,
                         ::testing::Values("two-hosts.toml", "triangle.toml", "two-lans.toml",
                                           "ring.toml", "star.toml",
                                           "labs/line-without-routes.toml"),
                         [](const auto& param_info) {
                           std::string name =
                               param_info.param.substr(0, param_info.param.find('.'));
                           name = name.substr(name.rfind('/') + 1);
                           std::erase(name, '-');
                           return name;
                         });

TEST(Lab, ExecReturnsTheCommandsExitStatusAndUsesTheNodesEnv) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("env"));
  std::string file = write_lab_file(lab.name(), R"(
[nodes.a]
env = { GREETING = "hello from a" }
[nodes.b]
[[links]]
endpoints = ["a", "b"]
addresses = ["10.77.0.1/30", "10.77.0.2/30"]
)");
  ASSERT_EQ(nettopo({"up", "--name", lab.name(), file}).status, 0);
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "sh", "-c", "exit 3"}).status, 3);
  auto env = nettopo({"exec", "--lab", lab.name(), "a", "--", "sh", "-c", "echo $GREETING"});
  EXPECT_EQ(env.output, "hello from a\n");
  // Without `--`, everything after the node is the command, its options and their order too.
  auto plain = nettopo(
      {"exec", "--lab", lab.name(), "a", "sh", "-c", "echo \"$0 $*\"", "x", "-v", "--", "y"});
  EXPECT_EQ(plain.status, 0) << plain.output;
  EXPECT_EQ(plain.output, "x -v -- y\n");
  // Like a shell: 127 for a command that does not exist, 126 for one that cannot run.
  auto missing = nettopo({"exec", "--lab", lab.name(), "a", "--", "no-such-command"});
  EXPECT_EQ(missing.status, 127);
  EXPECT_NE(missing.output.find("no-such-command: No such file or directory"), std::string::npos)
      << missing.output;
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "/etc"}).status, 126);
  auto unknown = nettopo({"exec", "--lab", lab.name(), "zz", "--", "true"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("has no node zz (its nodes: a, b)"), std::string::npos)
      << unknown.output;
  fs::remove(file);
}

TEST(Lab, RunProgramOutputReachesItsLog) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("log"));
  std::string file = write_lab_file(lab.name(), R"(
[nodes.a]
run = ["echo started on $(hostname); exec sleep 1000"]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
)");
  ASSERT_EQ(nettopo({"up", "--name", lab.name(), file}).status, 0);
  EXPECT_TRUE(eventually([&] {
    return nettopo({"logs", "--lab", lab.name(), "a"}).output == "started on a\n";
  })) << nettopo({"logs", "--lab", lab.name(), "a"}).output;
  auto status = nettopo({"status", "--lab", lab.name(), "--json"});
  EXPECT_EQ(status.status, 0);
  EXPECT_NE(status.output.find("\"command\": \"echo started on $(hostname); exec sleep 1000\""),
            std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("\"running\": true"), std::string::npos);
  auto down = nettopo({"down", "--lab", lab.name()});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_TRUE(eventually([&] { return traces_of(lab.name()).empty(); }));
  auto again = nettopo({"down", "--lab", lab.name()});
  EXPECT_EQ(again.status, 0);
  EXPECT_NE(again.output.find("nothing to do"), std::string::npos) << again.output;
  fs::remove(file);
}

TEST(Lab, TwoLabsWithTheSameNodeNamesRunSideBySide) {
  REQUIRE_ROOT();
  LabGuard first(unique_lab_name("twina"));
  LabGuard second(unique_lab_name("twinb"));
  ASSERT_EQ(nettopo({"up", "--name", first.name(), example("two-hosts.toml")}).status, 0);
  ASSERT_EQ(nettopo({"up", "--name", second.name(), example("two-hosts.toml")}).status, 0);
  auto loaded = topology::load_lab_file(example("two-hosts.toml"));
  const std::string a = loaded.lab->nodes[0].name, b = loaded.lab->nodes[1].name;
  for (const auto* lab : {&first, &second}) {
    auto ping = nettopo({"exec", "--lab", lab->name(), a, "--", "ping", "-c1", "-W1", "-q", b});
    EXPECT_EQ(ping.status, 0) << ping.output;
  }
  auto ambiguous = nettopo({"exec", a, "--", "true"});
  EXPECT_EQ(ambiguous.status, 2);
  EXPECT_NE(ambiguous.output.find("exists in several labs"), std::string::npos) << ambiguous.output;
  auto again = nettopo({"up", "--name", first.name(), example("two-hosts.toml")});
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.output.find("is already up"), std::string::npos) << again.output;
}

TEST(Lab, DownByFileFindsTheLabsUpBuiltFromIt) {
  REQUIRE_ROOT();
  LabGuard first(unique_lab_name("byfilea"));
  LabGuard second(unique_lab_name("byfileb"));
  std::string file = write_lab_file(
      first.name() + "-src", "[nodes.a]\n[nodes.b]\n[[links]]\nendpoints = [\"a\", \"b\"]\n");
  ASSERT_EQ(nettopo({"up", "--name", first.name(), file}).status, 0);
  ASSERT_EQ(nettopo({"up", "--name", second.name(), file}).status, 0);
  auto down = nettopo({"down", file});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_NE(down.output.find("lab " + first.name() + " is down"), std::string::npos) << down.output;
  EXPECT_NE(down.output.find("lab " + second.name() + " is down"), std::string::npos)
      << down.output;
  EXPECT_TRUE(eventually(
      [&] { return traces_of(first.name()).empty() && traces_of(second.name()).empty(); }));
  fs::remove(file);
}

TEST(Lab, AFailingExecStepRollsUpBack) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("fail");
  std::string file = write_lab_file(name, R"(
[nodes.a]
exec = ["true", "echo about to fail; exit 4"]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
)");
  auto up = nettopo({"up", "--name", name, file});
  EXPECT_EQ(up.status, 1);
  EXPECT_NE(up.output.find("node a: exec step 2 `echo about to fail; exit 4` exited with status 4"),
            std::string::npos)
      << up.output;
  // The end of its output, which came through the node's log writer.
  EXPECT_NE(up.output.find("\n  | about to fail"), std::string::npos) << up.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  fs::remove(file);
}

// Exec steps of different nodes run at the same time, and each node's in its order. Each node's
// first step waits until the other node's first step has begun, which steps run one node after
// the other could never see; each second step finds its own first step's mark.
TEST(Lab, ExecStepsOfDifferentNodesRunConcurrentlyInTheirOrder) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("par");
  fs::path work = fs::temp_directory_path() / name;
  fs::create_directories(work);
  auto first = [](const std::string& self, const std::string& other) {
    return "touch " + self + "-began; i=0; while [ ! -e " + other +
           "-began ]; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.025; done; echo " + self +
           "1 >> " + self + "-order";
  };
  auto second = [](const std::string& self) { return "echo " + self + "2 >> " + self + "-order"; };
  std::string file = (work / "lab.toml").string();
  std::ofstream(file) << "[nodes.a]\nexec = [\"" << first("a", "b") << "\", \"" << second("a")
                      << "\"]\n[nodes.b]\nexec = [\"" << first("b", "a") << "\", \"" << second("b")
                      << "\"]\n[[links]]\nendpoints = [\"a\", \"b\"]\n";
  LabGuard lab(name);
  auto up = nettopo({"up", "--name", name, file});
  ASSERT_EQ(up.status, 0) << up.output;
  auto read = [&](const std::string& path) {
    std::ifstream in(work / path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(read("a-order"), "a1\na2\n");
  EXPECT_EQ(read("b-order"), "b1\nb2\n");
  fs::remove_all(work);
}

// A chain long enough that `up` takes a while, so that a test can catch it halfway.
std::string write_long_chain(const std::string& name) {
  std::string content;
  const int nodes = 200;
  for (int i = 0; i < nodes; ++i) content += "[nodes.n" + std::to_string(i) + "]\n";
  for (int i = 0; i + 1 < nodes; ++i)
    content += "[[links]]\nendpoints = [\"n" + std::to_string(i) + "\", \"n" +
               std::to_string(i + 1) + "\"]\n";
  return write_lab_file(name, content);
}

// Starts `nettopo up` in the background and returns once it is halfway: some node inits are in
// its journal, and it is not done.
ChildProcess start_up_and_wait_until_halfway(const std::string& name, const std::string& file) {
  ChildProcess up = fork_child([&] {
    int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, 1);
    ::dup2(null_fd, 2);
    ::execl(NETTOPO_BINARY, "nettopo", "up", "--name", name.c_str(), file.c_str(), nullptr);
  });
  std::string journal = "/run/nettopo/" + name + "/journal";
  EXPECT_TRUE(eventually([&] {
    std::error_code error;
    return fs::file_size(journal, error) > uintmax_t{20} * 20 && !error;
  }));
  return up;
}

std::string journal_of(const std::string& name) {
  std::ifstream written("/run/nettopo/" + name + "/journal");
  return std::string((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
}

TEST(Lab, DownCleansUpAfterUpWasKilled) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("kill");
  std::string file = write_long_chain(name);
  ChildProcess up = start_up_and_wait_until_halfway(name, file);
  up.terminate(std::chrono::milliseconds(0), SIGKILL);
  ASSERT_EQ(journal_of(name).find("\ncomplete\n"), std::string::npos)
      << "up finished before it was killed: the test would prove nothing";
  EXPECT_FALSE(traces_of(name).empty());

  auto down = nettopo({"down", "--lab", name});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  fs::remove(file);
}

TEST(Lab, InterruptedUpRollsBack) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("intr");
  std::string file = write_long_chain(name);
  ChildProcess up = start_up_and_wait_until_halfway(name, file);
  ::kill(up.pid(), SIGINT);  // what ^C on the terminal sends
  ExitStatus status = up.wait_exit();
  ASSERT_EQ(status.signal, 0) << "up died of the signal instead of rolling back";
  if (status.code == 0) GTEST_FAIL() << "up finished before the signal: the test proves nothing";
  EXPECT_EQ(status.code, 128 + SIGINT);
  // up itself removed everything, with no `down`.
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  fs::remove(file);
}

TEST(Lab, PrivateDirsAndFilesAreTheNodesOwnAndLeaveNoMountPoints) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("dirs"));
  // Paths the host does not have: nettopo must create their mount points and remove them again.
  std::string dir = "/var/lib/" + lab.name() + "-state";
  std::string loose_file = "/etc/" + lab.name() + ".conf";
  fs::path source = fs::temp_directory_path() / (lab.name() + "-conf.txt");
  std::ofstream(source) << "setting = 1\n";
  std::string file = write_lab_file(
      lab.name(), "[nodes.a]\ndirs = [\"" + dir +
                      "\"]\n"
                      "files = { \"" +
                      dir + "/conf.txt\" = \"" + source.filename().string() + "\", \"" +
                      loose_file + "\" = \"" + source.filename().string() +
                      "\" }\n"
                      "[nodes.b]\ndirs = [\"" +
                      dir +
                      "\"]\n"
                      "[[links]]\nendpoints = [\"a\", \"b\"]\n");
  auto up = nettopo({"up", "--name", lab.name(), file});
  ASSERT_EQ(up.status, 0) << up.output;

  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "cat", dir + "/conf.txt"}).output,
            "setting = 1\n");
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "cat", loose_file}).output,
            "setting = 1\n");
  auto write =
      nettopo({"exec", "--lab", lab.name(), "a", "--", "sh", "-c", "echo mine > " + dir + "/note"});
  EXPECT_EQ(write.status, 0) << write.output;
  EXPECT_EQ(nettopo({"exec", "--lab", lab.name(), "a", "--", "cat", dir + "/note"}).output,
            "mine\n");
  // b has its own, empty directory at the same path; the host sees neither.
  EXPECT_NE(nettopo({"exec", "--lab", lab.name(), "b", "--", "test", "-e", dir + "/note"}).status,
            0);
  EXPECT_NE(
      nettopo({"exec", "--lab", lab.name(), "b", "--", "test", "-e", dir + "/conf.txt"}).status, 0);
  EXPECT_FALSE(fs::exists(dir + "/note"));

  ASSERT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  EXPECT_FALSE(fs::exists(dir)) << "the mount point nettopo made stayed on the host";
  EXPECT_FALSE(fs::exists(loose_file)) << "the file mount point nettopo made stayed on the host";
  fs::remove(file);
  fs::remove(source);
}

// On most hosts / is a shared mount (systemd) and so is /run/netns (`ip netns add`). A node
// whose mounts merely followed the host's would receive a copy of every /run/netns name made
// after it: n^2 mounts for n nodes, each holding another node's network namespace alive. And a
// node must not keep the names of labs that were up before it (another lab's 1000 names would
// cost each of its nodes 1000 unmounts, or pin that lab's namespaces after its down).
TEST(Lab, NodesHoldNoNetworkNamespaceNames) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("shared");
  std::string file = write_lab_file(name, R"(
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
endpoints = ["a", "b"]
[[links]]
endpoints = ["b", "c"]
)");
  // A host like that, made in a mount namespace of the test's own, so this host is untouched.
  std::string script =
      "set -e; mkdir -p /run/netns; mount --bind /run/netns /run/netns; "
      "mount --make-shared /run/netns; "
      "'{nettopo}' up -q --name " +
      name + "x '" + file +
      "'; "
      "'{nettopo}' up -q --name " +
      name + " '" + file +
      "'; "
      "'{nettopo}' exec --lab " +
      name +
      " a -- cat /proc/self/mountinfo; "
      "'{nettopo}' down -q --lab " +
      name + "; '{nettopo}' down -q --lab " + name + "x";
  auto result = run({"unshare", "--mount", "--propagation", "shared", "sh", "-c", script});
  EXPECT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find(" /etc/hosts "), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find(" nsfs "), std::string::npos)
      << "node a holds network namespace names:\n"
      << result.output;
  EXPECT_EQ(result.output.find("nettopo-netns"), std::string::npos)
      << "node a holds a lab's tmpfs of namespace names:\n"
      << result.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty() && traces_of(name + "x").empty(); }));
  fs::remove(file);
}

// Lab "X" with node "b-c" and lab "X-b" with node "c" both want /run/netns/X-b-c. The second up
// must fail, name the lab in the way, and roll back without touching that lab's name.
TEST(Lab, ANetnsNameTakenByAnotherLabFailsUpAndStaysTheirs) {
  REQUIRE_ROOT();
  LabGuard first(unique_lab_name("clash"));
  LabGuard second(first.name() + "-b");
  std::string first_file = write_lab_file(
      first.name(), "[nodes.b-c]\n[nodes.x]\n[[links]]\nendpoints = [\"b-c\", \"x\"]\n");
  std::string second_file = write_lab_file(
      second.name(), "[nodes.c]\n[nodes.y]\n[[links]]\nendpoints = [\"c\", \"y\"]\n");
  ASSERT_EQ(nettopo({"up", "--name", first.name(), first_file}).status, 0);
  auto clash = nettopo({"up", "--name", second.name(), second_file});
  EXPECT_EQ(clash.status, 1);
  EXPECT_NE(clash.output.find("/run/netns/" + first.name() + "-b-c: File exists (lab " +
                              first.name() + " has that name)"),
            std::string::npos)
      << clash.output;
  // Nothing of the second lab remains (the first lab's X-b-c looks like one of its names).
  auto second_traces = [&] {
    auto traces = traces_of(second.name());
    std::erase(traces, "/run/netns/" + first.name() + "-b-c");
    return traces;
  };
  EXPECT_TRUE(eventually([&] { return second_traces().empty(); }));
  for (const auto& trace : second_traces()) ADD_FAILURE() << "left behind: " << trace;
  // The first lab's name still works.
  EXPECT_TRUE(fs::is_symlink("/run/netns/" + first.name() + "-b-c"));
  auto inside =
      run({"ip", "netns", "exec", first.name() + "-b-c", "ip", "-o", "link", "show", "eth0"});
  EXPECT_EQ(inside.status, 0) << inside.output;
  fs::remove(first_file);
  fs::remove(second_file);
}

// Two labs whose nodes mount over the same path the host lacks: nettopo creates it once, and it
// must stay while either lab runs, and go with the last.
TEST(Lab, AMountPointTwoLabsShareGoesWithTheLastOfThem) {
  REQUIRE_ROOT();
  LabGuard first(unique_lab_name("sharea"));
  LabGuard second(unique_lab_name("shareb"));
  std::string top = "/var/lib/" + first.name() + "-top";
  std::string dir = top + "/state";
  std::string content =
      "[nodes.a]\ndirs = [\"" + dir + "\"]\n[nodes.b]\n[[links]]\nendpoints = [\"a\", \"b\"]\n";
  std::string first_file = write_lab_file(first.name(), content);
  std::string second_file = write_lab_file(second.name(), content);
  ASSERT_EQ(nettopo({"up", "--name", first.name(), first_file}).status, 0);
  ASSERT_EQ(nettopo({"up", "--name", second.name(), second_file}).status, 0);

  ASSERT_EQ(nettopo({"down", "--lab", first.name()}).status, 0);
  EXPECT_TRUE(fs::is_directory(dir)) << "the first lab's down removed a mount point still in use";
  auto write = nettopo({"exec", "--lab", second.name(), "a", "--", "sh", "-c",
                        "echo kept > " + dir + "/f && cat " + dir + "/f"});
  EXPECT_EQ(write.output, "kept\n") << write.output;

  ASSERT_EQ(nettopo({"down", "--lab", second.name()}).status, 0);
  EXPECT_FALSE(fs::exists(top)) << "the last lab's down left the mount points nettopo made";
  fs::remove(first_file);
  fs::remove(second_file);
}

TEST(Lab, DelayNeedsNetemAndSaysSoWhenTheKernelLacksIt) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("netem");
  std::string file = write_lab_file(name, R"(
[nodes.a]
[nodes.b]
[[links]]
endpoints = ["a", "b"]
addresses = ["10.78.0.1/30", "10.78.0.2/30"]
delay = "50ms"
)");
  LabGuard lab(name);
  auto up = nettopo({"up", "--name", name, file});
  if (up.status != 0) {
    // This kernel has no sch_netem: up must refuse plainly and leave nothing behind.
    EXPECT_EQ(up.status, 1);
    EXPECT_NE(up.output.find("this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM)"),
              std::string::npos)
        << up.output;
    EXPECT_TRUE(traces_of(name).empty());
    fs::remove(file);
    GTEST_SKIP() << "kernel has no sch_netem (CONFIG_NET_SCH_NETEM): checked the refusal only";
  }
  // With netem, the round trip crosses the delay twice (it is applied on both ends).
  auto ping = nettopo({"exec", "--lab", name, "a", "--", "ping", "-c1", "-W2", "b"});
  EXPECT_EQ(ping.status, 0) << ping.output;
  auto at = ping.output.find("time=");
  ASSERT_NE(at, std::string::npos) << ping.output;
  EXPECT_GE(std::stod(ping.output.substr(at + 5)), 100.0) << ping.output;
  fs::remove(file);
}

TEST(Lab, RefusesToStartWithoutRoot) {
  REQUIRE_ROOT();
  std::string file = example("two-hosts.toml");
  ExitStatus status =
      fork_child([&] {
        int null_fd = ::open("/dev/null", O_WRONLY);
        ::dup2(null_fd, 1);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(99);
        ::execl(NETTOPO_BINARY, "nettopo", "up", "--name", "neverup", file.c_str(), nullptr);
      }).wait_exit();
  ASSERT_EQ(status.signal, 0);
  EXPECT_EQ(status.code, 2);
  EXPECT_TRUE(traces_of("neverup").empty());
}

}  // namespace
}  // namespace nettopo::testing
