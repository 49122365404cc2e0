#include "topology/lab_json.h"

#include "core/sys/error.h"
#include "topology/experiment_json.h"

namespace nettopo::topology {
namespace {

using nlohmann::json;

template <typename T, typename F>
json optional_to_json(const std::optional<T>& value, F convert) {
  return value ? json(convert(*value)) : json(nullptr);
}

json location_to_json(const SourceLocation& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

json pairs_to_json(const std::vector<std::pair<std::string, std::string>>& pairs) {
  json out = json::array();
  for (const auto& [key, value] : pairs) out.push_back({key, value});
  return out;
}

json endpoint_to_json(const Endpoint& end) {
  json addresses = json::array();
  for (const auto& address : end.addresses) addresses.push_back(address.to_string());
  return {{"kind", end.kind == EndpointKind::Node ? "node" : "bridge"},
          {"owner", end.owner},
          {"interface", end.interface},
          {"addresses", addresses},
          {"mac", optional_to_json(end.mac, [](const MacAddress& m) { return m.to_string(); })}};
}

json route_to_json(const Route& route) {
  return {{"destination", route.destination.to_string()},
          {"via", optional_to_json(route.via, [](const IpAddress& a) { return a.to_string(); })},
          {"device", route.device},
          {"metric", route.metric},
          {"automatic", route.automatic},
          {"where", location_to_json(route.where)}};
}

// --- reading back ---

[[noreturn]] void malformed(const std::string& why) { throw Error("read lab JSON: " + why); }

IpPrefix prefix_from(const json& value) {
  auto text = value.get<std::string>();
  auto prefix = IpPrefix::parse(text);
  if (!prefix) malformed("bad prefix '" + text + "'");
  return *prefix;
}

IpAddress address_from(const json& value) {
  auto text = value.get<std::string>();
  auto address = IpAddress::parse(text);
  if (!address) malformed("bad address '" + text + "'");
  return *address;
}

SourceLocation location_from(const json& value) {
  return SourceLocation{value.at("file").get<std::string>(), value.at("line").get<int>(),
                        value.at("column").get<int>()};
}

std::vector<std::pair<std::string, std::string>> pairs_from(const json& value) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& pair : value) {
    if (!pair.is_array() || pair.size() != 2) malformed("expected [key, value] pairs");
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  }
  return out;
}

Endpoint endpoint_from(const json& value) {
  Endpoint end;
  auto kind = value.at("kind").get<std::string>();
  if (kind == "node")
    end.kind = EndpointKind::Node;
  else if (kind == "bridge")
    end.kind = EndpointKind::Bridge;
  else
    malformed("bad endpoint kind '" + kind + "'");
  end.owner = value.at("owner").get<std::string>();
  end.interface = value.at("interface").get<std::string>();
  for (const auto& address : value.at("addresses")) end.addresses.push_back(prefix_from(address));
  if (!value.at("mac").is_null()) {
    auto text = value.at("mac").get<std::string>();
    end.mac = MacAddress::parse(text);
    if (!end.mac) malformed("bad MAC address '" + text + "'");
  }
  return end;
}

Route route_from(const json& value) {
  Route route;
  route.destination = prefix_from(value.at("destination"));
  if (!value.at("via").is_null()) route.via = address_from(value.at("via"));
  route.device = value.at("device").get<std::string>();
  route.metric = value.at("metric").get<uint32_t>();
  route.automatic = value.at("automatic").get<bool>();
  route.where = location_from(value.at("where"));
  return route;
}

template <typename T>
std::optional<T> optional_from(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

Lab lab_from(const json& value) {
  Lab lab;
  lab.name = value.at("name").get<std::string>();
  lab.source_file = value.at("source_file").get<std::string>();
  if (!value.at("ipv4_pool").is_null()) lab.ipv4_pool = prefix_from(value.at("ipv4_pool"));
  if (!value.at("ipv6_pool").is_null()) lab.ipv6_pool = prefix_from(value.at("ipv6_pool"));
  lab.static_routing = value.at("static_routing").get<bool>();
  for (const auto& item : value.at("nodes")) {
    Node node;
    node.name = item.at("name").get<std::string>();
    node.forward = item.at("forward").get<bool>();
    node.sysctls = pairs_from(item.at("sysctls"));
    node.env = pairs_from(item.at("env"));
    node.dirs = item.at("dirs").get<std::vector<std::string>>();
    for (const auto& file : item.at("files")) {
      node.files.push_back(FileSpec{file.at("inside_path").get<std::string>(),
                                    file.at("source_path").get<std::string>(),
                                    location_from(file.at("where"))});
    }
    for (const auto& route : item.at("routes")) node.routes.push_back(route_from(route));
    node.exec = item.at("exec").get<std::vector<std::string>>();
    node.run = item.at("run").get<std::vector<std::string>>();
    node.where = location_from(item.at("where"));
    lab.nodes.push_back(std::move(node));
  }
  for (const auto& item : value.at("bridges")) {
    lab.bridges.push_back(
        Bridge{item.at("name").get<std::string>(), location_from(item.at("where"))});
  }
  for (const auto& item : value.at("links")) {
    Link link;
    const auto& ends = item.at("ends");
    if (!ends.is_array() || ends.size() != 2) malformed("a link needs two ends");
    link.ends = {endpoint_from(ends.at(0)), endpoint_from(ends.at(1))};
    if (!item.at("mtu").is_null()) link.mtu = item.at("mtu").get<uint32_t>();
    const auto& impairments = item.at("impairments");
    link.impairments.rate_bits_per_second =
        optional_from<uint64_t>(impairments.at("rate_bits_per_second"));
    link.impairments.delay_us = optional_from<uint32_t>(impairments.at("delay_us"));
    link.impairments.jitter_us = optional_from<uint32_t>(impairments.at("jitter_us"));
    link.impairments.loss_percent = optional_from<double>(impairments.at("loss_percent"));
    link.cost = item.at("cost").get<uint32_t>();
    link.where = location_from(item.at("where"));
    lab.links.push_back(std::move(link));
  }
  experiment_from_json(value, lab);
  return lab;
}

}  // namespace

nlohmann::json to_json(const Lab& lab) {
  auto prefix_text = [](const IpPrefix& p) { return p.to_string(); };
  json nodes = json::array();
  for (const auto& node : lab.nodes) {
    json files = json::array();
    for (const auto& file : node.files) {
      files.push_back({{"inside_path", file.inside_path},
                       {"source_path", file.source_path},
                       {"where", location_to_json(file.where)}});
    }
    json routes = json::array();
    for (const auto& route : node.routes) routes.push_back(route_to_json(route));
    nodes.push_back({{"name", node.name},
                     {"forward", node.forward},
                     {"sysctls", pairs_to_json(node.sysctls)},
                     {"env", pairs_to_json(node.env)},
                     {"dirs", node.dirs},
                     {"files", files},
                     {"routes", routes},
                     {"exec", node.exec},
                     {"run", node.run},
                     {"where", location_to_json(node.where)}});
  }
  json bridges = json::array();
  for (const auto& bridge : lab.bridges) {
    bridges.push_back({{"name", bridge.name}, {"where", location_to_json(bridge.where)}});
  }
  json links = json::array();
  for (const auto& link : lab.links) {
    const auto& impairments = link.impairments;
    auto same = [](auto v) { return v; };
    links.push_back(
        {{"ends", {endpoint_to_json(link.ends[0]), endpoint_to_json(link.ends[1])}},
         {"mtu", optional_to_json(link.mtu, same)},
         {"impairments",
          {{"rate_bits_per_second", optional_to_json(impairments.rate_bits_per_second, same)},
           {"delay_us", optional_to_json(impairments.delay_us, same)},
           {"jitter_us", optional_to_json(impairments.jitter_us, same)},
           {"loss_percent", optional_to_json(impairments.loss_percent, same)}}},
         {"cost", link.cost},
         {"where", location_to_json(link.where)}});
  }
  json result = {{"name", lab.name},
                 {"source_file", lab.source_file},
                 {"ipv4_pool", optional_to_json(lab.ipv4_pool, prefix_text)},
                 {"ipv6_pool", optional_to_json(lab.ipv6_pool, prefix_text)},
                 {"static_routing", lab.static_routing},
                 {"nodes", nodes},
                 {"bridges", bridges},
                 {"links", links}};
  result.update(experiment_to_json(lab));  // checks, steps, collect
  return result;
}

Lab lab_from_json(const nlohmann::json& json) {
  try {
    if (!json.is_object()) malformed("expected an object");
    return lab_from(json);
  } catch (const nlohmann::json::exception& error) {
    throw Error(std::string("read lab JSON: ") + error.what());
  }
}

}  // namespace nettopo::topology
