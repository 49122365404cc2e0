#include "topology/lab_json.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/sys/error.h"
#include "test_util.h"

namespace nettopo::topology {
namespace {

using testing::load_ok;

Lab everything() {
  Lab lab = load_ok(R"(
name = "full"
[addressing]
ipv4 = "10.10.0.0/16"
ipv6 = "fd00:10::/48"
[routing]
static = true
[nodes.h1]
sysctl = { "net.ipv4.icmp_echo_ignore_all" = "0" }
env = { ROLE = "host", A = "b" }
dirs = ["/var/run/x"]
exec = ["echo hi"]
run = ["sleep 100"]
routes = [{ to = "192.168.0.0/16", dev = "eth0", metric = 3 }]
[nodes.r1]
forward = true
[nodes.h2]
[bridges.lan]
[[links]]
endpoints = ["h1", "r1"]
mtu = 1400
rate = "1mbit"
delay = "10ms"
jitter = "2ms"
loss = "0.5%"
cost = 4
macs = ["02:00:00:00:00:01", "02:00:00:00:00:02"]
[[links]]
endpoints = ["r1", "lan"]
[[links]]
endpoints = ["lan", "h2"]
)");
  // The loader cannot set a source file for `files` without a real file: add one by hand.
  lab.nodes[0].files.push_back(
      FileSpec{"/etc/x", "/srv/x", SourceLocation{"f", 1, 2}, std::nullopt});
  return lab;
}

TEST(LabJson, RoundTripsExactly) {
  Lab lab = everything();
  nlohmann::json json = to_json(lab);
  Lab back = lab_from_json(json);
  EXPECT_EQ(back, lab);
  EXPECT_EQ(to_json(back), json);
  // And through text.
  EXPECT_EQ(lab_from_json(nlohmann::json::parse(json.dump())), lab);
}

// A lab still up across an upgrade of nettopo was saved without the protocol-lab fields: it
// must still load, so that `down` and `status` work on it.
TEST(LabJson, ALabSavedBeforeProtocolLabsStillLoads) {
  nlohmann::json json = to_json(everything());
  for (const char* key : {"loopback_pool", "loopback6_pool", "ospf", "bgp"}) json.erase(key);
  for (auto& node : json.at("nodes")) {
    for (const char* key :
         {"ready", "kind", "daemon", "daemons", "daemon_config", "asn", "loopbacks", "router_id"})
      node.erase(key);
    for (auto& file : node.at("files")) file.erase("content");
  }
  for (auto& bridge : json.at("bridges")) bridge.erase("stp");
  Lab back = lab_from_json(json);
  EXPECT_EQ(back.nodes.size(), everything().nodes.size());
  EXPECT_TRUE(back.nodes.front().ready.empty());
  EXPECT_FALSE(back.ospf.has_value());
}

TEST(LabJson, StreamedTextIsTheDocumentsDump) {
  std::ostringstream streamed;
  write_json(streamed, everything());
  EXPECT_EQ(streamed.str(), to_json(everything()).dump(2) + "\n");
  // Empty arrays and null pools too.
  Lab empty;
  empty.name = "empty";
  std::ostringstream bare;
  write_json(bare, empty);
  EXPECT_EQ(bare.str(), to_json(empty).dump(2) + "\n");
}

TEST(LabJson, HasTheDocumentedShape) {
  nlohmann::json json = to_json(everything());
  EXPECT_EQ(json["name"], "full");
  EXPECT_EQ(json["ipv4_pool"], "10.10.0.0/16");
  EXPECT_EQ(json["static_routing"], true);
  EXPECT_EQ(json["nodes"][0]["env"], nlohmann::json::parse(R"([["ROLE","host"],["A","b"]])"));
  EXPECT_EQ(json["links"][0]["ends"][0]["interface"], "eth0");
  EXPECT_EQ(json["links"][0]["ends"][0]["mac"], "02:00:00:00:00:01");
  EXPECT_EQ(json["links"][0]["impairments"]["delay_us"], 10000);
  EXPECT_EQ(json["links"][1]["ends"][1]["kind"], "bridge");
  EXPECT_TRUE(json["links"][1]["mtu"].is_null());
  EXPECT_EQ(json["nodes"][0]["routes"][0]["destination"], "192.168.0.0/16");
  EXPECT_TRUE(json["nodes"][0]["routes"][0]["via"].is_null());
}

TEST(LabJson, MalformedInputThrowsError) {
  nlohmann::json good = to_json(everything());
  EXPECT_THROW(lab_from_json(nlohmann::json::array()), Error);
  auto missing = good;
  missing.erase("nodes");
  EXPECT_THROW(lab_from_json(missing), Error);
  auto mistyped = good;
  mistyped["static_routing"] = "yes";
  EXPECT_THROW(lab_from_json(mistyped), Error);
  auto bad_address = good;
  bad_address["links"][0]["ends"][0]["addresses"][0] = "10.0.0.300/24";
  EXPECT_THROW(lab_from_json(bad_address), Error);
  auto bad_kind = good;
  bad_kind["links"][0]["ends"][0]["kind"] = "switch";
  EXPECT_THROW(lab_from_json(bad_kind), Error);
}

}  // namespace
}  // namespace nettopo::topology
