// Links changed while a lab runs, and the lab observed as it is: link set/show, the BPF
// blackhole and random loss, status read from the kernel, capture to pcap, logs -f.
// Needs root; every lab has a unique name and is taken down by the test that made it.

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/integration/core/lab_runner.h"

namespace nettopo::testing {
namespace {

namespace fs = std::filesystem;

// a:eth0 10.77.1.1/24 <-> b:eth0 10.77.1.2/24, with `a_keys` for node a and `link_keys` for
// the link.
class PairLab {
 public:
  explicit PairLab(const std::string& tag, const std::string& a_keys = "",
                   const std::string& link_keys = "") {
    name_ = unique_lab_name(tag);
    file_ = (fs::temp_directory_path() / (name_ + ".toml")).string();
    std::ofstream(file_) << "[nodes.a]\n"
                         << a_keys
                         << "\n[nodes.b]\n[[links]]\nendpoints = [\"a:eth0\", \"b:eth0\"]\n"
                         << "addresses = [\"10.77.1.1/24\", \"10.77.1.2/24\"]\n"
                         << link_keys << "\n";
    up_ = nettopo({"up", "--name", name_, file_});
  }
  ~PairLab() {
    nettopo({"down", "--lab", name_});
    fs::remove(file_);
  }
  const CommandResult& up() const { return up_; }
  const std::string& name() const { return name_; }

  CommandResult in(const std::string& node, const std::string& shell) const {
    return nettopo({"exec", "--lab", name_, node, "--", "sh", "-c", shell});
  }
  CommandResult link(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"link", "set", "--lab", name_});
    return nettopo(arguments);
  }
  bool a_reaches_b() const { return in("a", "ping -c1 -W1 -q 10.77.1.2").status == 0; }
  nlohmann::json status() const {
    auto result = nettopo({"status", "--lab", name_, "--json"});
    EXPECT_EQ(result.status, 0) << result.output;
    return nlohmann::json::parse(result.output, nullptr, false);
  }
  nlohmann::json show(const std::string& target) const {
    auto result = nettopo({"link", "show", "--lab", name_, target, "--json"});
    EXPECT_EQ(result.status, 0) << result.output;
    return nlohmann::json::parse(result.output, nullptr, false);
  }

 private:
  std::string name_;
  std::string file_;
  CommandResult up_;
};

// The share of `count` fast pings from a to b that went unanswered, in percent.
double ping_loss(const PairLab& lab, int count) {
  auto result = lab.in("a", "ping -q -n -c " + std::to_string(count) + " -i 0.002 -W 1 10.77.1.2");
  std::smatch match;
  static const std::regex kSummary(R"((\d+) packets transmitted, (\d+) received)");
  if (!std::regex_search(result.output, match, kSummary)) {
    ADD_FAILURE() << "no ping summary in: " << result.output;
    return -1;
  }
  double sent = std::stod(match[1]), received = std::stod(match[2]);
  return (sent - received) * 100.0 / sent;
}

TEST(LinkSet, DownAndUpAtRuntimeProvenWithPackets) {
  REQUIRE_ROOT();
  PairLab lab("ld");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  ASSERT_TRUE(lab.a_reaches_b());
  auto down = lab.link({"a:eth0", "down"});
  ASSERT_EQ(down.status, 0) << down.output;
  EXPECT_FALSE(lab.a_reaches_b());
  // The peer loses its carrier at once; its oper state follows through linkwatch, up to 1 s late.
  auto shown = lab.show("b:eth0");
  EXPECT_EQ(shown["interfaces"][0]["carrier"], false) << shown.dump();
  EXPECT_TRUE(
      eventually([&] { return lab.show("b:eth0")["interfaces"][0]["oper_state"] != "UP"; }));
  EXPECT_EQ(lab.status()["labs"][0]["links"][0]["up"], false);
  auto up = lab.link({"a:eth0", "up"});
  ASSERT_EQ(up.status, 0) << up.output;
  EXPECT_TRUE(eventually([&] { return lab.a_reaches_b(); }));
  // Mistakes are named.
  auto unknown = lab.link({"a:eth9", "down"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("a has no link interface eth9 (its interfaces: eth0)"),
            std::string::npos)
      << unknown.output;
  EXPECT_EQ(lab.link({"a:eth0"}).status, 2);
}

TEST(LinkSet, RateChangeIsATokenBucketThatShapesTraffic) {
  REQUIRE_ROOT();
  if (run({"sh", "-c", "command -v iperf3"}).status != 0) GTEST_SKIP() << "needs iperf3";
  PairLab lab("lr");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  auto set = lab.link({"a:eth0", "--rate", "2mbit"});
  ASSERT_EQ(set.status, 0) << set.output;
  auto shown = lab.show("a:eth0");
  const auto& qdiscs = shown["interfaces"][0]["qdiscs"];
  ASSERT_FALSE(qdiscs.empty()) << shown.dump();
  EXPECT_EQ(qdiscs[0]["kind"], "tbf");
  EXPECT_EQ(qdiscs[0]["rate"], "2mbit");
  EXPECT_EQ(shown["interfaces"][0]["impairments"]["rate"], "2mbit");

  auto measure = [&] {
    auto result = lab.in("a", "iperf3 -c 10.77.1.2 -t 2 -J");
    auto json = nlohmann::json::parse(result.output, nullptr, false);
    if (json.is_discarded() || !json.contains("end") || !json["end"].contains("sum_received")) {
      ADD_FAILURE() << result.output;
      return 0.0;
    }
    return json["end"]["sum_received"]["bits_per_second"].get<double>();
  };
  ASSERT_EQ(lab.in("b", "iperf3 -s -D -1 >/dev/null 2>&1").status, 0);
  EXPECT_TRUE(eventually([&] { return lab.in("b", "ss -ltn | grep -q 5201").status == 0; }));
  double slow = measure();
  EXPECT_GT(slow, 1.0e6);
  EXPECT_LT(slow, 3.0e6) << "2mbit should carry about 2 Mbit/s";

  ASSERT_EQ(lab.link({"a:eth0", "--rate", "20mbit"}).status, 0);
  // The one-off server of the first measurement must be gone, or the second binds nothing and
  // the client reaches the old one while it shuts down ("the server is busy").
  EXPECT_TRUE(eventually([&] { return lab.in("b", "! pgrep -x iperf3").status == 0; }));
  ASSERT_EQ(lab.in("b", "iperf3 -s -D -1 >/dev/null 2>&1").status, 0);
  EXPECT_TRUE(eventually([&] { return lab.in("b", "ss -ltn | grep -q 5201").status == 0; }));
  double fast = measure();
  EXPECT_GT(fast, 10.0e6);
  EXPECT_LT(fast, 30.0e6);

  ASSERT_EQ(lab.link({"a:eth0", "--clear"}).status, 0);
  EXPECT_TRUE(lab.show("a:eth0")["interfaces"][0]["impairments"].empty());
}

TEST(LinkSet, BlackholeDropsEverythingWithTheCarrierUp) {
  REQUIRE_ROOT();
  PairLab lab("lb");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  auto set = lab.link({"b:eth0", "--blackhole"});
  ASSERT_EQ(set.status, 0) << set.output;
  EXPECT_FALSE(lab.a_reaches_b());
  EXPECT_EQ(ping_loss(lab, 20), 100.0);
  for (const char* end : {"a:eth0", "b:eth0"}) {
    auto shown = lab.show(end)["interfaces"][0];
    EXPECT_EQ(shown["oper_state"], "UP") << shown.dump();
    EXPECT_EQ(shown["carrier"], true);
    EXPECT_EQ(shown["impairments"]["blackhole"], true) << shown.dump();
  }
  auto status = lab.status();
  EXPECT_EQ(status["schema_version"], 1);
  EXPECT_EQ(status["labs"][0]["links"][0]["up"], true);
  EXPECT_EQ(status["labs"][0]["links"][0]["ends"][0]["impairments"]["blackhole"], true);
  ASSERT_EQ(lab.link({"a:eth0", "--clear"}).status, 0);
  EXPECT_TRUE(lab.a_reaches_b());
}

TEST(LinkSet, RandomLossWithoutNetemLosesTheShareAskedFor) {
  REQUIRE_ROOT();
  PairLab lab("ll");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  // One way: only the echo requests a sends are lost, so ping sees the share itself.
  auto set = lab.link({"a:eth0", "--loss", "20%", "--one-way"});
  ASSERT_EQ(set.status, 0) << set.output;
  EXPECT_EQ(lab.show("a:eth0")["interfaces"][0]["impairments"]["loss"], "20%");
  EXPECT_TRUE(lab.show("b:eth0")["interfaces"][0]["impairments"].empty());
  // 2000 pings at 20%: the standard deviation of the share lost is 0.9 points; 4 points of
  // tolerance is over four of them, so a correct filter fails about once in 10^5 runs.
  double loss = ping_loss(lab, 2000);
  EXPECT_NEAR(loss, 20.0, 4.0);
  // Both ways (the default), a round trip survives with 0.8 * 0.8: 36% lost.
  ASSERT_EQ(lab.link({"a:eth0", "--loss", "20%"}).status, 0);
  EXPECT_NEAR(ping_loss(lab, 2000), 36.0, 4.5);
  ASSERT_EQ(lab.link({"a:eth0", "--loss", "none"}).status, 0);
  EXPECT_EQ(ping_loss(lab, 50), 0.0);
  // Delay needs netem: refused plainly when the kernel has none.
  auto delay = lab.link({"a:eth0", "--delay", "20ms"});
  if (delay.status != 0) {
    EXPECT_NE(delay.output.find("need the netem qdisc"), std::string::npos) << delay.output;
  }
}

TEST(LabFile, LossWithoutDelayIsTheBpfFilterNeedingNoNetem) {
  REQUIRE_ROOT();
  PairLab lab("lf", "", "loss = \"100%\"");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  // 100% both ways: not one reply, whatever the random numbers.
  EXPECT_FALSE(lab.a_reaches_b());
  EXPECT_EQ(ping_loss(lab, 20), 100.0);
  for (const char* end : {"a:eth0", "b:eth0"}) {
    auto shown = lab.show(end)["interfaces"][0];
    EXPECT_EQ(shown["impairments"]["loss"], "100%") << shown.dump();
    EXPECT_EQ(shown["oper_state"], "UP") << shown.dump();
  }
  // The same filter `link set` manages: removed by it, and --clear puts the file's back.
  ASSERT_EQ(lab.link({"a:eth0", "--loss", "none"}).status, 0);
  EXPECT_TRUE(lab.a_reaches_b());
  ASSERT_EQ(lab.link({"a:eth0", "--clear"}).status, 0);
  EXPECT_FALSE(lab.a_reaches_b());
}

TEST(LabFile, UpDryRunListsTheLossFilterAsItsOwnStep) {
  std::string file = (fs::temp_directory_path() / (unique_lab_name("lfd") + ".toml")).string();
  std::ofstream(file) << "[nodes.a]\n[nodes.b]\n[[links]]\nendpoints = [\"a\", \"b\"]\n"
                      << "loss = \"5%\"\n";
  auto plan = nettopo({"up", "--dry-run", "--name", "lfd", file});
  fs::remove(file);
  EXPECT_EQ(plan.status, 0) << plan.output;
  EXPECT_NE(plan.output.find("a: eth0 clsact, ingress BPF filter 'nettopo loss 5%' (drops that "
                             "much of what b:eth0 sends)"),
            std::string::npos)
      << plan.output;
  EXPECT_EQ(plan.output.find("netem"), std::string::npos) << plan.output;
}

TEST(LabFile, LossWithDelayStillNeedsNetemAndNamesTheEnds) {
  REQUIRE_ROOT();
  PairLab lab("ld", "", "loss = \"1%\"\ndelay = \"5ms\"");
  if (lab.up().status == 0) GTEST_SKIP() << "this kernel has netem";
  EXPECT_EQ(lab.up().status, 1);
  EXPECT_NE(lab.up().output.find("links with delay or jitter (a:eth0, b:eth0) need the netem "
                                 "qdisc"),
            std::string::npos)
      << lab.up().output;
}

TEST(Status, ShowsALinkSetDownAndAnAddressAddedByHand) {
  REQUIRE_ROOT();
  PairLab lab("sh");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  ASSERT_EQ(lab.in("a", "ip link set eth0 down && ip addr add 10.88.0.1/24 dev eth0").status, 0);
  auto status = lab.status();
  const auto& lab_json = status["labs"][0];
  EXPECT_EQ(lab_json["links"][0]["up"], false) << lab_json.dump();
  bool found = false;
  for (const auto& node : lab_json["nodes"])
    for (const auto& interface : node["interfaces"])
      if (node["name"] == "a" && interface["name"] == "eth0") {
        EXPECT_EQ(interface["oper_state"], "DOWN");
        for (const auto& address : interface["addresses"]) found |= address == "10.88.0.1/24";
      }
  EXPECT_TRUE(found) << lab_json.dump();
  auto table = nettopo({"status", "--lab", lab.name()});
  EXPECT_NE(table.output.find("10.88.0.1/24"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("DOWN"), std::string::npos) << table.output;
}

TEST(Status, SaysHowAProgramEnded) {
  REQUIRE_ROOT();
  PairLab lab("se", "run = [\"sleep 0.2; exit 3\", \"exec sleep 1000\"]");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  EXPECT_TRUE(eventually([&] {
    auto programs = lab.status()["labs"][0]["programs"];
    return programs[0]["running"] == false && programs[0]["exit_status"] == 3;
  })) << lab.status().dump();
  auto programs = lab.status()["labs"][0]["programs"];
  EXPECT_EQ(programs[1]["running"], true);
  EXPECT_TRUE(programs[1]["exit_status"].is_null());
  EXPECT_NE(nettopo({"status", "--lab", lab.name()}).output.find("exited with status 3"),
            std::string::npos);
}

TEST(Capture, APingToAPcapFileThatLibpcapReads) {
  REQUIRE_ROOT();
  PairLab lab("cp");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  fs::path file = fs::temp_directory_path() / (lab.name() + ".pcap");
  std::string command = std::string(NETTOPO_BINARY) + " capture --lab " + lab.name() +
                        " a:eth0 -w " + file.string() + " -c 2 --duration 20s icmp 2>&1";
  FILE* capture = ::popen(command.c_str(), "r");
  ASSERT_NE(capture, nullptr);
  // The file header is written once the capture listens.
  EXPECT_TRUE(eventually([&] {
    std::error_code error;
    return fs::file_size(file, error) >= 24 && !error;
  }));
  EXPECT_EQ(lab.in("a", "ping -c1 -W2 10.77.1.2").status, 0);
  std::string output;
  char buffer[512];
  while (size_t got = std::fread(buffer, 1, sizeof buffer, capture)) output.append(buffer, got);
  EXPECT_EQ(::pclose(capture), 0) << output;
  EXPECT_NE(output.find("2 packets captured"), std::string::npos) << output;

  char error[PCAP_ERRBUF_SIZE];
  pcap_t* reader = pcap_open_offline(file.c_str(), error);
  ASSERT_NE(reader, nullptr) << error;
  EXPECT_EQ(pcap_datalink(reader), DLT_EN10MB);
  int packets = 0;
  pcap_pkthdr* header;
  const u_char* data;
  while (pcap_next_ex(reader, &header, &data) == 1) {
    ++packets;
    ASSERT_GE(header->caplen, 14u + 20u + 8u);
    EXPECT_EQ(data[12], 0x08);  // IPv4
    EXPECT_EQ(data[13], 0x00);
    EXPECT_EQ(data[14 + 9], 1);  // ICMP
  }
  pcap_close(reader);
  EXPECT_EQ(packets, 2);
  fs::remove(file);
}

TEST(Logs, EmptyOutputIsFineAndFollowPrintsWhatComesWithTimestamps) {
  REQUIRE_ROOT();
  PairLab lab("lg", "run = [\"exec sleep 1000\"]");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  auto empty = nettopo({"logs", "--lab", lab.name(), "a"});
  EXPECT_EQ(empty.status, 0) << empty.output;
  EXPECT_EQ(empty.output, "");

  std::string command =
      std::string(NETTOPO_BINARY) + " logs -f --timestamps --lab " + lab.name() + " a 2>&1";
  FILE* follow = ::popen(command.c_str(), "r");
  ASSERT_NE(follow, nullptr);
  // What the program writes (here: the test, into its log) shows up while logs follows.
  fs::path log = fs::path("/run/nettopo") / lab.name() / "nodes" / "a" / "logs" / "run-0.log";
  if (const char* base = std::getenv("NETTOPO_RUNTIME_DIR"))
    log = fs::path(base) / lab.name() / "nodes" / "a" / "logs" / "run-0.log";
  std::ofstream(log, std::ios::app) << "a line\n";
  char line[256] = "";
  ASSERT_NE(std::fgets(line, sizeof line, follow), nullptr);
  EXPECT_TRUE(std::regex_match(std::string(line),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z a line\n)")))
      << line;
  // Taking the lab down ends the following.
  EXPECT_EQ(nettopo({"down", "--lab", lab.name()}).status, 0);
  EXPECT_EQ(::pclose(follow), 0);
}

// Times are those of writing: two lines written 1.5 s apart and read together are stamped
// 1.5 s apart. Without --timestamps the output is the program's, byte for byte.
TEST(Logs, TimestampsAreWhenEachLineWasWritten) {
  REQUIRE_ROOT();
  PairLab lab("lt",
              "run = [\"echo first; sleep 1.5; printf 'second\\\\nno newline'; exec sleep 1000\"]\n"
              "exec = [\"echo step\"]");
  ASSERT_EQ(lab.up().status, 0) << lab.up().output;
  std::string expected = "first\nsecond\nno newline";
  CommandResult plain;
  for (int tries = 0; tries < 100; ++tries) {  // until the second line has come
    plain = nettopo({"logs", "--lab", lab.name(), "a"});
    if (plain.output.find(expected) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(plain.status, 0) << plain.output;
  EXPECT_NE(plain.output.find("==> a run: echo first; sleep 1.5; printf 'second\\nno newline'; "
                              "exec sleep 1000 <==\n" +
                              expected),
            std::string::npos)
      << plain.output;
  auto stamped = nettopo({"logs", "--timestamps", "--lab", lab.name(), "a"});
  ASSERT_EQ(stamped.status, 0) << stamped.output;
  static const std::regex kLine(R"(\d{4}-\d\d-\d\dT\d\d:(\d\d):(\d\d\.\d{3})Z (.*))");
  std::vector<double> seconds;
  std::vector<std::string> lines;
  std::istringstream text(stamped.output);
  std::string line;
  while (std::getline(text, line)) {
    std::smatch match;
    if (line.starts_with("==> ")) continue;
    ASSERT_TRUE(std::regex_match(line, match, kLine)) << line;
    seconds.push_back(std::stod(match[1]) * 60 + std::stod(match[2]));
    lines.push_back(match[3]);
  }
  ASSERT_EQ(lines, (std::vector<std::string>{"first", "second", "no newline", "step"}))
      << stamped.output;
  // Read at one moment, written 1.5 s apart (an hour's wrap aside).
  double apart = std::fmod(seconds[1] - seconds[0] + 3600, 3600);
  EXPECT_GE(apart, 1.4) << stamped.output;
  EXPECT_LT(apart, 10.0) << stamped.output;
  EXPECT_EQ(seconds[1], seconds[2]) << stamped.output;  // one write, one time
}

}  // namespace
}  // namespace nettopo::testing
