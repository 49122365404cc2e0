// What a lab's processes may and may not do to the host, and what `down` ends: the real binary
// on real namespaces. Needs root; every lab has a unique name and is taken down by its test.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/core/lab_runner.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

std::string write_lab_file(const std::string& name, const std::string& content) {
  fs::path path = fs::temp_directory_path() / (name + ".toml");
  std::ofstream(path) << content;
  return path.string();
}

std::string two_nodes_and_a_bridge() {
  return R"(
[nodes.a]
run = ["exec sleep 1000"]
[nodes.b]
[bridges.sw]
[[links]]
endpoints = ["a", "sw"]
[[links]]
endpoints = ["b", "sw"]
)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Starts argv in the background with stdout and stderr on /dev/null; returns its PID.
pid_t start(const std::vector<std::string>& argv) {
  pid_t child = ::fork();
  if (child == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(null_fd, 2);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& word : argv) args.push_back(const_cast<char*>(word.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return child;
}

bool exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

// How many processes `ip netns pids` finds in a named network namespace.
size_t processes_in(const std::string& netns) {
  auto pids = run({"ip", "netns", "pids", netns});
  return static_cast<size_t>(std::count(pids.output.begin(), pids.output.end(), '\n'));
}

// `down` of a lab under another runtime directory must not touch the real lab: what a lab owns
// is what its own runtime directory recorded, never "every init whose command line says --lab".
TEST(Processes, DownUnderAnotherRuntimeDirLeavesTheRealLabAlone) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("elsewhere"));
  std::string file = write_lab_file(lab.name(), two_nodes_and_a_bridge());
  ASSERT_EQ(nettopo({"up", "--name", lab.name(), file}).status, 0);

  fs::path empty = fs::temp_directory_path() / (lab.name() + "-empty");
  fs::path other = fs::temp_directory_path() / (lab.name() + "-other");
  // Another runtime directory with an unfinished lab of that name: its journal has a token of
  // its own, so no init of the real lab can match.
  fs::create_directories(other / lab.name());
  std::ofstream(other / lab.name() / "journal") << "token 0123456789abcdef0123456789abcdef\n";
  for (const auto& base : {empty, other}) {
    auto down = run(
        {"env", "NETTOPO_RUNTIME_DIR=" + base.string(), "{nettopo}", "down", "--lab", lab.name()});
    EXPECT_EQ(down.status, 0) << down.output;
    if (base == empty) {
      EXPECT_TRUE(contains(down.output, "no lab " + lab.name() + " here")) << down.output;
    }
    auto alive = nettopo({"exec", "--lab", lab.name(), "a", "--", "true"});
    EXPECT_EQ(alive.status, 0) << "down under " << base << " hurt the real lab:\n" << alive.output;
    auto status = nettopo({"status", "--lab", lab.name()});
    EXPECT_TRUE(contains(status.output, "3 of 3 namespaces running")) << status.output;
  }
  EXPECT_FALSE(fs::exists(empty)) << "down made a runtime directory where there was none";
  fs::remove_all(other);
  fs::remove(file);
}

// Whatever way a process entered a lab's namespaces, `down` ends it and says so: otherwise it
// keeps the namespace, the bridge and its ports alive after a `down` that reported success.
TEST(Processes, DownEndsEveryProcessThatEnteredTheLab) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("intruders"));
  std::string file = write_lab_file(lab.name(), two_nodes_and_a_bridge());
  ASSERT_EQ(nettopo({"up", "--name", lab.name(), file}).status, 0);
  std::vector<pid_t> intruders = {
      start({NETTOPO_BINARY, "exec", "--lab", lab.name(), "sw", "--", "sleep", "120"}),
      start({"ip", "netns", "exec", lab.name() + "-a", "sleep", "120"}),
      start({"nsenter", "--net=/run/netns/" + lab.name() + "-b", "sleep", "120"}),
  };
  // Each namespace holds its init and, once it got there, the intruder (and a's own program).
  ASSERT_TRUE(eventually([&] {
    return processes_in(lab.name() + "-sw") >= 2 && processes_in(lab.name() + "-a") >= 3 &&
           processes_in(lab.name() + "-b") >= 2;
  })) << "the intruders did not get in";

  auto down = nettopo({"down", "--lab", lab.name()});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_TRUE(contains(down.output, "(sleep) in the network namespace of sw")) << down.output;
  EXPECT_TRUE(contains(down.output, "(sleep) in the network namespace of a")) << down.output;
  EXPECT_TRUE(contains(down.output, "(sleep) in the network namespace of b")) << down.output;
  // The node's own program is its init's to stop, not an intruder.
  EXPECT_EQ(std::count(down.output.begin(), down.output.end(), '\n'), 4) << down.output;
  for (pid_t pid : intruders) {
    EXPECT_TRUE(eventually([&] { return exited(pid); })) << "PID " << pid << " survived down";
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  EXPECT_TRUE(eventually([&] { return traces_of(lab.name()).empty(); }));
  for (const auto& trace : traces_of(lab.name())) ADD_FAILURE() << "left behind: " << trace;
  fs::remove(file);
}

// A chain long enough that `up` takes a while, so that a test can catch it halfway.
std::string write_long_chain(const std::string& name, int nodes = 200) {
  std::string content;
  for (int i = 0; i < nodes; ++i) content += "[nodes.n" + std::to_string(i) + "]\n";
  for (int i = 0; i + 1 < nodes; ++i)
    content += "[[links]]\nendpoints = [\"n" + std::to_string(i) + "\", \"n" +
               std::to_string(i + 1) + "\"]\n";
  return write_lab_file(name, content);
}

// `status` and `exec` during an `up` must tell a lab still being built from one whose up died.
TEST(Processes, ALabBeingBuiltIsNotCalledAbandoned) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("building"));
  std::string file = write_long_chain(lab.name(), 400);
  pid_t up = start({NETTOPO_BINARY, "up", "--name", lab.name(), file});
  std::string journal = "/run/nettopo/" + lab.name() + "/journal";
  ASSERT_TRUE(eventually([&] {
    std::ifstream written(journal);
    std::string text((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
    return std::count(text.begin(), text.end(), '\n') > 20;
  }));
  auto status = nettopo({"status", "--lab", lab.name()});
  auto exec = nettopo({"exec", "--lab", lab.name(), "n0", "--", "true"});
  ::kill(up, SIGKILL);
  int up_status = 0;
  ::waitpid(up, &up_status, 0);
  ASSERT_TRUE(WIFSIGNALED(up_status))
      << "up finished before it was killed: the test proves nothing";
  EXPECT_EQ(status.status, 0) << status.output;
  EXPECT_TRUE(contains(status.output, "still being built")) << status.output;
  EXPECT_NE(exec.status, 0) << exec.output;
  EXPECT_TRUE(contains(exec.output, "is still being built")) << exec.output;

  status = nettopo({"status", "--lab", lab.name()});
  EXPECT_TRUE(contains(status.output, "up did not finish: take it down")) << status.output;
  exec = nettopo({"exec", "--lab", lab.name(), "n0", "--", "true"});
  EXPECT_TRUE(contains(exec.output, "its up died before it finished")) << exec.output;
  EXPECT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  EXPECT_TRUE(eventually([&] { return traces_of(lab.name()).empty(); }));
  fs::remove(file);
}

// A stray entry in the runtime directory is not a lab: status, up and down ignore it.
TEST(Processes, StrayEntriesInTheRuntimeDirectoryAreIgnored) {
  REQUIRE_ROOT();
  fs::path base = fs::temp_directory_path() / (unique_lab_name("base") + "-runtime");
  fs::create_directories(base / "not a lab");
  fs::create_directories(base / "junk");
  std::ofstream(base / "notes.txt") << "hello\n";
  std::string env = "NETTOPO_RUNTIME_DIR=" + base.string();
  LabGuard lab(unique_lab_name("stray"), base.string());
  std::string dir = "/var/lib/" + lab.name() + "-state";
  std::string file = write_lab_file(lab.name(), "[nodes.a]\ndirs = [\"" + dir +
                                                    "\"]\n[nodes.b]\n[[links]]\n"
                                                    "endpoints = [\"a\", \"b\"]\n");
  auto up = run({"env", env, "{nettopo}", "up", "--name", lab.name(), file});
  EXPECT_EQ(up.status, 0) << up.output;
  auto status = run({"env", env, "{nettopo}", "status"});
  EXPECT_EQ(status.status, 0) << status.output;
  EXPECT_TRUE(contains(status.output, "lab " + lab.name())) << status.output;
  EXPECT_FALSE(contains(status.output, "junk")) << status.output;
  auto down = run({"env", env, "{nettopo}", "down", "--lab", lab.name()});
  EXPECT_EQ(down.status, 0) << down.output;
  EXPECT_FALSE(fs::exists(dir)) << "down did not finish: the mount point stayed";
  EXPECT_TRUE(fs::exists(base / "not a lab") && fs::exists(base / "junk") &&
              fs::exists(base / "notes.txt"))
      << "down removed what is not a lab";
  EXPECT_TRUE(eventually([&] { return traces_of(lab.name()).empty(); }));
  fs::remove_all(base);
  fs::remove(file);
}

// `nettopo -v up big.toml 2>&1 | head -2`: the reader goes away halfway. up must not die of
// SIGPIPE with half a lab: it rolls back and exits 141, like any other interruption.
TEST(Processes, AClosedOutputPipeRollsUpBack) {
  REQUIRE_ROOT();
  std::string name = unique_lab_name("sigpipe");
  std::string file = write_long_chain(name);
  auto result = run({"bash", "-c",
                     "'{nettopo}' -v up --name " + name + " '" + file +
                         "' 2>&1 | head -2 >/dev/null; echo \"up: ${PIPESTATUS[0]}\""});
  EXPECT_TRUE(contains(result.output, "up: 141")) << result.output;
  EXPECT_TRUE(eventually([&] { return traces_of(name).empty(); }));
  for (const auto& trace : traces_of(name)) ADD_FAILURE() << "left behind: " << trace;
  nettopo({"down", "--lab", name});
  fs::remove(file);
}

// Output only: a reader that stops early just gets less; nettopo finishes quietly, status 0.
TEST(Processes, AClosedOutputPipeEndsOutputQuietly) {
  std::string name = unique_lab_name("pipeout");
  std::string file = write_long_chain(name, 3000);
  auto result = run({"bash", "-c",
                     "'{nettopo}' graph '" + file + "' 2>/tmp/" + name +
                         ".err | head -1 >/dev/null; "
                         "echo \"graph: ${PIPESTATUS[0]}\"; cat /tmp/" +
                         name + ".err"});
  EXPECT_EQ(result.output, "graph: 0\n");
  fs::remove("/tmp/" + name + ".err");
  fs::remove(file);
}

// A caller's pipe that reaches no node: CI that runs `nettopo up` under a pipe sees its end of
// file while the lab runs, and a command run with exec gets only stdin, stdout and stderr.
TEST(Processes, NoNodeHoldsTheCallersFds) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("fds"));
  std::string file = write_lab_file(lab.name(), two_nodes_and_a_bridge());
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);  // no O_CLOEXEC: like a shell's pipe, it reaches nettopo
  pid_t up = ::fork();
  if (up == 0) {
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(null_fd, 2);
    ::close(pipe_fds[0]);
    ::execl(NETTOPO_BINARY, "nettopo", "up", "--name", lab.name().c_str(), file.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  int status = 0;
  ::waitpid(up, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  pollfd end{pipe_fds[0], POLLIN, 0};
  bool closed = ::poll(&end, 1, 5000) == 1;
  EXPECT_TRUE(closed) << "the lab holds the caller's pipe open";
  char byte;
  if (closed) {
    EXPECT_EQ(::read(pipe_fds[0], &byte, 1), 0);
  }
  ::close(pipe_fds[0]);

  auto exec = run({"sh", "-c",
                   "exec 7</dev/null; '{nettopo}' exec --lab " + lab.name() +
                       " a -- sh -c 'test -e /proc/self/fd/7 && echo leaked || echo clean'"});
  EXPECT_EQ(exec.output, "clean\n");
  fs::remove(file);
}

// A `run` program that exits at once is not a failure to start it: up succeeds, every time, and
// status shows the program as exited. (It used to depend on whether the node's init had reaped
// it yet.)
TEST(Processes, AProgramThatExitsAtOnceNeverFailsUp) {
  REQUIRE_ROOT();
  LabGuard lab(unique_lab_name("false"));
  std::string content;
  for (int i = 0; i < 8; ++i) content += "[nodes.n" + std::to_string(i) + "]\nrun = [\"false\"]\n";
  std::string file = write_lab_file(lab.name(), content);
  for (int round = 0; round < 3; ++round) {
    auto up = nettopo({"up", "--name", lab.name(), file});
    ASSERT_EQ(up.status, 0) << "round " << round << ":\n" << up.output;
    std::string last;
    EXPECT_TRUE(eventually([&] {
      last = nettopo({"status", "--lab", lab.name()}).output;
      size_t exited = 0;
      // "exited with status 1" from the node's exit log, or "pid 0  exited" when the init
      // reaped it before up could learn its PID.
      std::istringstream lines(last);
      for (std::string line; std::getline(lines, line);)
        if (line.find("`false`  pid ") != std::string::npos &&
            (line.ends_with("exited with status 1") || line.ends_with("pid 0  exited")))
          ++exited;
      return exited == 8;
    })) << last;
    ASSERT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  }
  fs::remove(file);
}

}  // namespace
}  // namespace nettopo::testing
