// Two hosts on one link, brought up for this test suite under a name no other test uses: h1
// pings h2, and the lab comes down after the last test, whatever happened in between.

#include <gtest/gtest.h>
#include <nettopo/lab.h>
#include <nettopo/testing.h>

namespace {

constexpr const char* kTwoHosts = R"(
name = "pair"

[nodes.h1]
[nodes.h2]

[[links]]
endpoints = ["h1:eth0", "h2:eth0"]
addresses = ["10.0.0.1/24", "10.0.0.2/24"]
)";

class Pair : public nettopo::testing::LabSuite<Pair> {
 public:
  static nettopo::api::LabFile lab_file() { return nettopo::api::LabFile::parse(kTwoHosts); }
};

TEST_F(Pair, H1PingsH2) {
  nettopo::api::ExecResult ping = lab().exec("h1", {"ping", "-c", "1", "-W", "5", "10.0.0.2"});
  EXPECT_EQ(ping.status, 0) << ping.out << ping.err;
  EXPECT_NE(ping.out.find("1 received"), std::string::npos) << ping.out;
}

TEST_F(Pair, H2KnowsH1ByName) {
  // /etc/hosts in every node names the others.
  nettopo::api::ExecResult ping = lab().sh("h2", "ping -c1 -W5 h1 >/dev/null && echo reached");
  EXPECT_EQ(ping.out, "reached\n") << ping.err;
}

}  // namespace
