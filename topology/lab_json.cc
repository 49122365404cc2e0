#include "topology/lab_json.h"

#include <ostream>
#include <string_view>

#include "core/sys/error.h"
#include "topology/experiment_json.h"

namespace nettopo::topology {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& why) { throw Error("read lab JSON: " + why); }

template <typename T>
json optional_to_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

template <typename T>
void optional_from_json(const json& value, std::optional<T>& out) {
  if (value.is_null())
    out.reset();
  else
    out = value.get<T>();
}

template <typename Parsed>
auto parse_text(const json& value, const char* what) {
  auto text = value.get<std::string>();
  auto parsed = Parsed::parse(text);
  if (!parsed) malformed(std::string("bad ") + what + " '" + text + "'");
  return *parsed;
}

json pairs_to_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [key, value] : pairs) out.push_back({key, value});
  return out;
}

std::vector<std::pair<std::string, std::string>> pairs_from_json(const json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& pair : value) {
    if (!pair.is_array() || pair.size() != 2) malformed("expected [key, value] pairs");
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  }
  return out;
}

// `text` is a value dumped with an indent of 2 at the top level; puts it `depth` levels deeper.
// A JSON text has no raw newline inside a string, so every newline starts a line to indent.
void write_indented(std::ostream& out, std::string_view text, int depth) {
  std::string indent(static_cast<size_t>(2 * depth), ' ');
  for (size_t start = 0;;) {
    size_t end = text.find('\n', start);
    out << text.substr(start, end == std::string_view::npos ? end : end + 1 - start);
    if (end == std::string_view::npos) break;
    out << indent;
    start = end + 1;
  }
}

template <typename Items>
void write_array(std::ostream& out, const Items& items) {
  if (items.empty()) {
    out << "[]";
    return;
  }
  out << "[";
  bool first = true;
  for (const auto& item : items) {
    out << (first ? "\n    " : ",\n    ");
    write_indented(out, json(item).dump(2), 2);
    first = false;
  }
  out << "\n  ]";
}

}  // namespace

void to_json(json& out, const SourceLocation& where) {
  out = {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

void from_json(const json& in, SourceLocation& where) {
  in.at("file").get_to(where.file);
  in.at("line").get_to(where.line);
  in.at("column").get_to(where.column);
}

void to_json(json& out, EndpointKind kind) { out = kind == EndpointKind::Node ? "node" : "bridge"; }

void from_json(const json& in, EndpointKind& kind) {
  auto text = in.get<std::string>();
  if (text == "node")
    kind = EndpointKind::Node;
  else if (text == "bridge")
    kind = EndpointKind::Bridge;
  else
    malformed("bad endpoint kind '" + text + "'");
}

void to_json(json& out, const Endpoint& end) {
  out = {{"kind", end.kind},
         {"owner", end.owner},
         {"interface", end.interface},
         {"addresses", end.addresses},
         {"mac", optional_to_json(end.mac)}};
}

void from_json(const json& in, Endpoint& end) {
  in.at("kind").get_to(end.kind);
  in.at("owner").get_to(end.owner);
  in.at("interface").get_to(end.interface);
  in.at("addresses").get_to(end.addresses);
  optional_from_json(in.at("mac"), end.mac);
}

void to_json(json& out, const Impairments& impairments) {
  out = {{"rate_bits_per_second", optional_to_json(impairments.rate_bits_per_second)},
         {"delay_us", optional_to_json(impairments.delay_us)},
         {"jitter_us", optional_to_json(impairments.jitter_us)},
         {"loss_percent", optional_to_json(impairments.loss_percent)}};
}

void from_json(const json& in, Impairments& impairments) {
  optional_from_json(in.at("rate_bits_per_second"), impairments.rate_bits_per_second);
  optional_from_json(in.at("delay_us"), impairments.delay_us);
  optional_from_json(in.at("jitter_us"), impairments.jitter_us);
  optional_from_json(in.at("loss_percent"), impairments.loss_percent);
}

void to_json(json& out, const Link& link) {
  out = {{"ends", link.ends},
         {"mtu", optional_to_json(link.mtu)},
         {"impairments", link.impairments},
         {"cost", link.cost},
         {"where", link.where}};
}

void from_json(const json& in, Link& link) {
  const auto& ends = in.at("ends");
  if (!ends.is_array() || ends.size() != 2) malformed("a link needs two ends");
  ends.at(0).get_to(link.ends[0]);
  ends.at(1).get_to(link.ends[1]);
  optional_from_json(in.at("mtu"), link.mtu);
  in.at("impairments").get_to(link.impairments);
  in.at("cost").get_to(link.cost);
  in.at("where").get_to(link.where);
}

void to_json(json& out, const Route& route) {
  out = {{"destination", route.destination}, {"via", optional_to_json(route.via)},
         {"device", route.device},           {"metric", route.metric},
         {"automatic", route.automatic},     {"where", route.where}};
}

void from_json(const json& in, Route& route) {
  in.at("destination").get_to(route.destination);
  optional_from_json(in.at("via"), route.via);
  in.at("device").get_to(route.device);
  in.at("metric").get_to(route.metric);
  in.at("automatic").get_to(route.automatic);
  in.at("where").get_to(route.where);
}

void to_json(json& out, const FileSpec& file) {
  out = {{"inside_path", file.inside_path},
         {"source_path", file.source_path},
         {"where", file.where},
         {"content", optional_to_json(file.content)}};
}

void from_json(const json& in, FileSpec& file) {
  in.at("inside_path").get_to(file.inside_path);
  in.at("source_path").get_to(file.source_path);
  in.at("where").get_to(file.where);
  if (in.contains("content")) optional_from_json(in.at("content"), file.content);
}

const char* daemon_name(RoutingDaemon daemon) {
  switch (daemon) {
    case RoutingDaemon::Frr:
      return "frr";
    case RoutingDaemon::Bird:
      return "bird";
    case RoutingDaemon::None:
      break;
  }
  return nullptr;
}

RoutingDaemon daemon_from_json(const json& in) {
  if (in.is_null()) return RoutingDaemon::None;
  auto name = in.get<std::string>();
  if (name == "frr") return RoutingDaemon::Frr;
  if (name == "bird") return RoutingDaemon::Bird;
  malformed("unknown routing daemon \"" + name + "\"");
}

void to_json(json& out, const OspfSettings& ospf) {
  out = {{"area", ospf.area},
         {"hello_seconds", ospf.hello_seconds},
         {"dead_seconds", ospf.dead_seconds},
         {"where", ospf.where}};
}

void from_json(const json& in, OspfSettings& ospf) {
  in.at("area").get_to(ospf.area);
  in.at("hello_seconds").get_to(ospf.hello_seconds);
  in.at("dead_seconds").get_to(ospf.dead_seconds);
  in.at("where").get_to(ospf.where);
}

void to_json(json& out, const BgpSettings& bgp) {
  out = {{"asn_first", bgp.asn_first},
         {"asn_last", bgp.asn_last},
         {"asn_shared", bgp.asn_shared},
         {"asn_where", bgp.asn_where},
         {"keepalive_seconds", bgp.keepalive_seconds},
         {"hold_seconds", bgp.hold_seconds},
         {"where", bgp.where}};
}

void from_json(const json& in, BgpSettings& bgp) {
  in.at("asn_first").get_to(bgp.asn_first);
  in.at("asn_last").get_to(bgp.asn_last);
  in.at("asn_shared").get_to(bgp.asn_shared);
  in.at("asn_where").get_to(bgp.asn_where);
  in.at("keepalive_seconds").get_to(bgp.keepalive_seconds);
  in.at("hold_seconds").get_to(bgp.hold_seconds);
  in.at("where").get_to(bgp.where);
}

void to_json(json& out, const Node& node) {
  out = {{"name", node.name},
         {"forward", node.forward},
         {"sysctls", pairs_to_json(node.sysctls)},
         {"env", pairs_to_json(node.env)},
         {"dirs", node.dirs},
         {"files", node.files},
         {"routes", node.routes},
         {"exec", node.exec},
         {"run", node.run},
         {"ready", node.ready},
         {"kind", node.kind},
         {"daemon", daemon_name(node.daemon) ? json(daemon_name(node.daemon)) : json(nullptr)},
         {"daemons", node.daemons},
         {"daemon_config", node.daemon_config},
         {"asn", optional_to_json(node.asn)},
         {"loopbacks", node.loopbacks},
         {"router_id", optional_to_json(node.router_id())},
         {"where", node.where}};
}

void from_json(const json& in, Node& node) {
  in.at("name").get_to(node.name);
  in.at("forward").get_to(node.forward);
  node.sysctls = pairs_from_json(in.at("sysctls"));
  node.env = pairs_from_json(in.at("env"));
  in.at("dirs").get_to(node.dirs);
  in.at("files").get_to(node.files);
  in.at("routes").get_to(node.routes);
  in.at("exec").get_to(node.exec);
  in.at("run").get_to(node.run);
  // Fields that came with protocol labs: a lab.json written before them (a lab still up across
  // an upgrade of nettopo) reads as a lab without them, so that it can still be taken down.
  if (in.contains("ready")) {
    in.at("ready").get_to(node.ready);
    in.at("kind").get_to(node.kind);
    node.daemon = daemon_from_json(in.at("daemon"));
    in.at("daemons").get_to(node.daemons);
    in.at("daemon_config").get_to(node.daemon_config);
    optional_from_json(in.at("asn"), node.asn);
    in.at("loopbacks").get_to(node.loopbacks);
  }
  in.at("where").get_to(node.where);
}

void to_json(json& out, const Bridge& bridge) {
  out = {{"name", bridge.name}, {"where", bridge.where}, {"stp", bridge.stp}};
}

void from_json(const json& in, Bridge& bridge) {
  in.at("name").get_to(bridge.name);
  in.at("where").get_to(bridge.where);
  if (in.contains("stp")) in.at("stp").get_to(bridge.stp);
}

void to_json(json& out, const Lab& lab) {
  out = {{"name", lab.name},
         {"source_file", lab.source_file},
         {"ipv4_pool", optional_to_json(lab.ipv4_pool)},
         {"ipv6_pool", optional_to_json(lab.ipv6_pool)},
         {"static_routing", lab.static_routing},
         {"loopback_pool", optional_to_json(lab.loopback_pool)},
         {"loopback6_pool", optional_to_json(lab.loopback6_pool)},
         {"ospf", optional_to_json(lab.ospf)},
         {"bgp", optional_to_json(lab.bgp)},
         {"nodes", lab.nodes},
         {"bridges", lab.bridges},
         {"links", lab.links}};
  out.update(experiment_to_json(lab));  // checks, steps, collect
}

void from_json(const json& in, Lab& lab) {
  in.at("name").get_to(lab.name);
  in.at("source_file").get_to(lab.source_file);
  optional_from_json(in.at("ipv4_pool"), lab.ipv4_pool);
  optional_from_json(in.at("ipv6_pool"), lab.ipv6_pool);
  in.at("static_routing").get_to(lab.static_routing);
  if (in.contains("loopback_pool")) {  // see from_json(Node): absent before protocol labs
    optional_from_json(in.at("loopback_pool"), lab.loopback_pool);
    optional_from_json(in.at("loopback6_pool"), lab.loopback6_pool);
    optional_from_json(in.at("ospf"), lab.ospf);
    optional_from_json(in.at("bgp"), lab.bgp);
  }
  in.at("nodes").get_to(lab.nodes);
  in.at("bridges").get_to(lab.bridges);
  in.at("links").get_to(lab.links);
  experiment_from_json(in, lab);
}

json to_json(const Lab& lab) {
  json out;
  to_json(out, lab);
  return out;
}

Lab lab_from_json(const json& in) {
  try {
    if (!in.is_object()) malformed("expected an object");
    return in.get<Lab>();
  } catch (const json::exception& error) {
    throw Error(std::string("read lab JSON: ") + error.what());
  }
}

void write_json(std::ostream& out, const Lab& lab, std::optional<int> schema_version) {
  // The members in the order nlohmann's sorted objects give them, so that the text is exactly
  // to_json(lab).dump(2); only the three arrays that grow with the lab are written piecewise.
  auto member = [&](const char* key, const json& value, bool last = false) {
    out << "  " << json(key).dump() << ": ";
    write_indented(out, value.dump(2), 1);
    out << (last ? "\n" : ",\n");
  };
  json experiment = experiment_to_json(lab);  // small: written whole, in their sorted places
  auto experiment_member = [&](const char* key) {
    if (experiment.contains(key)) member(key, experiment.at(key));
  };
  out << "{\n";
  member("bgp", optional_to_json(lab.bgp));
  out << "  \"bridges\": ";
  write_array(out, lab.bridges);
  out << ",\n";
  experiment_member("checks");
  experiment_member("collect");
  member("ipv4_pool", optional_to_json(lab.ipv4_pool));
  member("ipv6_pool", optional_to_json(lab.ipv6_pool));
  out << "  \"links\": ";
  write_array(out, lab.links);
  out << ",\n";
  member("loopback6_pool", optional_to_json(lab.loopback6_pool));
  member("loopback_pool", optional_to_json(lab.loopback_pool));
  member("name", lab.name);
  out << "  \"nodes\": ";
  write_array(out, lab.nodes);
  out << ",\n";
  member("ospf", optional_to_json(lab.ospf));
  if (schema_version) member("schema_version", *schema_version);
  member("source_file", lab.source_file);
  bool steps = experiment.contains("steps");
  member("static_routing", lab.static_routing, !steps);
  if (steps) member("steps", experiment.at("steps"), true);
  out << "}\n";
}

}  // namespace nettopo::topology

namespace nlohmann {

using nettopo::topology::parse_text;

void adl_serializer<nettopo::IpAddress>::to_json(json& out, const nettopo::IpAddress& address) {
  out = address.to_string();
}
void adl_serializer<nettopo::IpAddress>::from_json(const json& in, nettopo::IpAddress& address) {
  address = parse_text<nettopo::IpAddress>(in, "address");
}
void adl_serializer<nettopo::IpPrefix>::to_json(json& out, const nettopo::IpPrefix& prefix) {
  out = prefix.to_string();
}
void adl_serializer<nettopo::IpPrefix>::from_json(const json& in, nettopo::IpPrefix& prefix) {
  prefix = parse_text<nettopo::IpPrefix>(in, "prefix");
}
void adl_serializer<nettopo::MacAddress>::to_json(json& out, const nettopo::MacAddress& mac) {
  out = mac.to_string();
}
void adl_serializer<nettopo::MacAddress>::from_json(const json& in, nettopo::MacAddress& mac) {
  mac = parse_text<nettopo::MacAddress>(in, "MAC address");
}

}  // namespace nlohmann
