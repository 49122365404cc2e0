#include "topology/lab_parser.h"

#include <filesystem>
#include <limits>

#include "core/sys/sysctl_key.h"
#include "topology/experiment_parser.h"
#include "topology/impairment_parser.h"
#include "topology/name_rules.h"
#include "topology/path_rules.h"
#include "topology/regular_file.h"
#include "topology/suggestion.h"

namespace nettopo::topology {
namespace {

const std::vector<std::string> kTopKeys = {"name",  "addressing", "routing", "nodes",  "bridges",
                                           "links", "checks",     "steps",   "collect"};
const std::vector<std::string> kAddressingKeys = {"ipv4", "ipv6"};
const std::vector<std::string> kRoutingKeys = {"static"};
const std::vector<std::string> kNodeKeys = {"forward", "sysctl", "env",  "dirs",
                                            "files",   "routes", "exec", "run"};
const std::vector<std::string> kBridgeKeys = {"stp"};
const std::vector<std::string> kLinkKeys = {"endpoints", "addresses", "mtu",  "rate", "delay",
                                            "jitter",    "loss",      "cost", "macs"};
const std::vector<std::string> kRouteKeys = {"to", "via", "dev", "metric"};

// True when `text` fails `parse` only because of its number: with the number replaced by 1 it
// parses ("0mbit", "99999999999s"). Tells "out of range" from "malformed".
template <typename Parse>
bool only_the_number_is_wrong(std::string_view text, Parse parse) {
  size_t digits = 0;
  int dots = 0;
  for (; digits < text.size(); ++digits) {
    char c = text[digits];
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      break;
  }
  return digits > 0 && dots <= 1 && parse("1" + std::string(text.substr(digits))).has_value();
}

class Parser {
 public:
  Parser(TomlReader& reader, const std::string& lab_file)
      : reader_(reader), diagnostics_(reader.diagnostics()), lab_file_(lab_file) {}

  ParsedLab parse(const toml::table& document, const std::string& name_override);

 private:
  void parse_name(const toml::table& document, const std::string& name_override);
  void parse_addressing(const toml::node& node);
  std::optional<IpPrefix> parse_pool(const toml::node& node, std::string_view key, IpFamily family);
  void parse_routing(const toml::node& node);
  void parse_nodes(const toml::node& node);
  void parse_node(const toml::key& key, const toml::node& value);
  void parse_string_pairs(const toml::node& node, std::string_view what,
                          std::vector<std::pair<std::string, std::string>>& out);
  std::vector<std::string> parse_strings(const toml::node& node, std::string_view what);
  void parse_dirs(const toml::node& node, Node& out, std::vector<SourceLocation>& where);
  std::optional<std::string> check_path(std::string_view path, std::string_view what);
  void parse_files(const toml::node& node, Node& out);
  void parse_routes(const toml::node& node, Node& out, std::vector<RouteSource>& sources);
  void parse_bridges(const toml::node& node);
  void check_names();
  void parse_links(const toml::node& node);
  void parse_link(const toml::table& table, size_t number);
  bool parse_endpoint(const toml::node& node, Endpoint& endpoint, EndpointSource& source);
  void parse_addresses(const toml::node& node, Link& link, LinkSource& source, bool usable);
  std::optional<IpPrefix> parse_interface_address(const toml::node& node);
  void parse_macs(const toml::node& node, Link& link, LinkSource& source, bool usable);
  void parse_impairments(const toml::table& table, Link& link);

  std::vector<std::string> all_names() const;

  TomlReader& reader_;
  Diagnostics& diagnostics_;
  std::string lab_file_;
  ParsedLab result_;
};

ParsedLab Parser::parse(const toml::table& document, const std::string& name_override) {
  reader_.check_keys(document, kTopKeys, "at the top level");
  parse_name(document, name_override);
  if (const auto* node = document.get("addressing")) parse_addressing(*node);
  if (const auto* node = document.get("routing")) parse_routing(*node);
  if (const auto* node = document.get("nodes")) parse_nodes(*node);
  if (const auto* node = document.get("bridges")) parse_bridges(*node);
  check_names();
  const auto* nodes = document.get("nodes");
  if (result_.lab.nodes.empty() && (!nodes || nodes->is_table())) {
    diagnostics_.error(nodes ? reader_.at(*nodes) : SourceLocation{reader_.file(), 1, 1},
                       "the lab has no nodes", "add one, e.g. [nodes.h1]");
  }
  if (const auto* node = document.get("links")) parse_links(*node);
  parse_experiment(document, reader_, result_.lab);  // [[checks]], [[steps]], [collect]
  return std::move(result_);
}

void Parser::parse_name(const toml::table& document, const std::string& name_override) {
  Lab& lab = result_.lab;
  lab.source_file = lab_file_;
  std::optional<std::string> written;
  if (const auto* node = document.get("name")) {
    written = reader_.string(*node, "name");
    if (written) {
      if (auto why = check_lab_name(*written)) {
        diagnostics_.error(reader_.at(*node),
                           "invalid lab name " + in_quotes(*written) + ": " + *why);
      }
    }
  }
  if (!name_override.empty()) {
    lab.name = name_override;
    if (auto why = check_lab_name(name_override)) {
      diagnostics_.error(SourceLocation{reader_.file(), 0, 0},
                         "invalid lab name " + in_quotes(name_override) + ": " + *why);
    }
  } else if (written) {
    lab.name = *written;
  } else {
    lab.name = std::filesystem::path(lab_file_).stem().string();
    if (auto why = check_lab_name(lab.name)) {
      diagnostics_.error(
          SourceLocation{reader_.file(), 1, 1},
          "invalid lab name " + in_quotes(lab.name) + " (from the file name): " + *why,
          "set name = \"...\" in the file or pass --name");
    }
  }
}

void Parser::parse_addressing(const toml::node& node) {
  const auto* table = reader_.table(node, "addressing");
  if (!table) return;
  reader_.check_keys(*table, kAddressingKeys, "in [addressing]");
  if (const auto* v4 = table->get("ipv4")) {
    result_.lab.ipv4_pool = parse_pool(*v4, "ipv4", IpFamily::V4);
    result_.source.ipv4_pool_where = reader_.at(*v4);
  }
  if (const auto* v6 = table->get("ipv6")) {
    result_.lab.ipv6_pool = parse_pool(*v6, "ipv6", IpFamily::V6);
    result_.source.ipv6_pool_where = reader_.at(*v6);
  }
}

std::optional<IpPrefix> Parser::parse_pool(const toml::node& node, std::string_view key,
                                           IpFamily family) {
  auto text = reader_.string(node, key);
  if (!text) return std::nullopt;
  auto prefix = IpPrefix::parse(*text);
  std::string example = family == IpFamily::V4 ? "10.10.0.0/16" : "fd00:10::/48";
  std::string family_name = family == IpFamily::V4 ? "IPv4" : "IPv6";
  if (!prefix) {
    diagnostics_.error(reader_.at(node), "malformed address pool " + in_quotes(*text),
                       "write an " + family_name + " prefix such as " + example);
    return std::nullopt;
  }
  if (prefix->family() != family) {
    diagnostics_.error(
        reader_.at(node),
        "'" + std::string(key) + "' must be an " + family_name + " prefix, not " + in_quotes(*text),
        "for example " + example);
    return std::nullopt;
  }
  if (prefix->network() != *prefix) {
    diagnostics_.error(reader_.at(node), "address pool " + in_quotes(*text) + " has host bits set",
                       "did you mean '" + prefix->network().to_string() + "'?");
    return std::nullopt;
  }
  return prefix;
}

void Parser::parse_routing(const toml::node& node) {
  const auto* table = reader_.table(node, "routing");
  if (!table) return;
  reader_.check_keys(*table, kRoutingKeys, "in [routing]");
  if (const auto* value = table->get("static")) {
    if (auto flag = reader_.boolean(*value, "static")) result_.lab.static_routing = *flag;
  }
}

void Parser::parse_nodes(const toml::node& node) {
  const auto* table = reader_.table(node, "nodes");
  if (!table) return;
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) parse_node(*key, *value);
}

void Parser::parse_node(const toml::key& key, const toml::node& value) {
  Node node;
  node.name = std::string(key.str());
  node.where = reader_.at(key);
  std::vector<RouteSource> route_sources;
  std::vector<SourceLocation> dir_sources;
  if (const auto* table = reader_.table(value, "nodes." + node.name)) {
    reader_.check_keys(*table, kNodeKeys, "in node " + in_quotes(node.name));
    if (const auto* v = table->get("forward")) {
      if (auto flag = reader_.boolean(*v, "forward")) node.forward = *flag;
    }
    if (const auto* v = table->get("sysctl")) parse_string_pairs(*v, "sysctl", node.sysctls);
    if (const auto* v = table->get("env")) parse_string_pairs(*v, "env", node.env);
    if (const auto* v = table->get("dirs")) parse_dirs(*v, node, dir_sources);
    if (const auto* v = table->get("files")) parse_files(*v, node);
    if (const auto* v = table->get("routes")) parse_routes(*v, node, route_sources);
    if (const auto* v = table->get("exec")) node.exec = parse_strings(*v, "exec");
    if (const auto* v = table->get("run")) node.run = parse_strings(*v, "run");
  }
  result_.lab.nodes.push_back(std::move(node));
  result_.source.routes.push_back(std::move(route_sources));
  result_.source.dirs.push_back(std::move(dir_sources));
}

void Parser::parse_string_pairs(const toml::node& node, std::string_view what,
                                std::vector<std::pair<std::string, std::string>>& out) {
  const auto* table = reader_.table(node, what);
  if (!table) return;
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) {
    std::string name(key->str());
    if (what == "sysctl") {
      if (auto problem = sysctl_key_problem(name))
        diagnostics_.error(reader_.at(*key), "sysctl " + in_quotes(name) + " " + *problem);
    }
    if (value->is_string()) {
      out.emplace_back(name, value->as_string()->get());
    } else if (value->is_integer()) {
      out.emplace_back(name, std::to_string(value->as_integer()->get()));
    } else {
      diagnostics_.error(reader_.at(*value), in_quotes(name) + " in '" + std::string(what) +
                                                 "' must be a string or an integer, not " +
                                                 TomlReader::type_name(*value));
    }
  }
}

std::vector<std::string> Parser::parse_strings(const toml::node& node, std::string_view what) {
  std::vector<std::string> out;
  const auto* array = reader_.array(node, what);
  if (!array) return out;
  for (const auto& element : *array) {
    if (element.is_string()) {
      out.push_back(element.as_string()->get());
    } else {
      diagnostics_.error(reader_.at(element), "elements of '" + std::string(what) +
                                                  "' must be strings, not " +
                                                  TomlReader::type_name(element));
    }
  }
  return out;
}

// The in-node path rules (path_rules.h), as a message about `path` in `what`.
std::optional<std::string> Parser::check_path(std::string_view path, std::string_view what) {
  auto why = check_node_path(path);
  if (!why) why = check_reserved_node_path(path);
  if (!why) return std::nullopt;
  return in_quotes(path) + " in '" + std::string(what) + "' " + *why;
}

void Parser::parse_dirs(const toml::node& node, Node& out, std::vector<SourceLocation>& where) {
  const auto* array = reader_.array(node, "dirs");
  if (!array) return;
  for (const auto& element : *array) {
    auto path = element.is_string() ? std::optional(element.as_string()->get()) : std::nullopt;
    if (!path) {
      diagnostics_.error(reader_.at(element), "elements of 'dirs' must be strings, not " +
                                                  TomlReader::type_name(element));
    } else if (auto problem = check_path(*path, "dirs")) {
      diagnostics_.error(reader_.at(element), *problem);
    } else {
      out.dirs.push_back(*path);
      where.push_back(reader_.at(element));
    }
  }
}

void Parser::parse_files(const toml::node& node, Node& out) {
  const auto* table = reader_.table(node, "files");
  if (!table) return;
  auto directory = std::filesystem::path(lab_file_).parent_path();
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) {
    std::string inside(key->str());
    bool ok = true;
    if (auto problem = check_path(inside, "files")) {
      diagnostics_.error(reader_.at(*key), *problem);
      ok = false;
    }
    auto source = reader_.string(*value, inside);
    if (!source) continue;
    std::filesystem::path path = directory / *source;  // an absolute source stays as it is
    path = path.lexically_normal();
    std::error_code error;
    if (source->empty() || !std::filesystem::exists(path, error)) {
      diagnostics_.error(
          reader_.at(*value),
          "source file " + in_quotes(*source) + " of " + in_quotes(inside) + " does not exist",
          "looked for " + path.string() + " (relative to the lab file)");
      ok = false;
    } else if (auto why = check_regular_file(path, kMaxCopiedFileBytes)) {
      diagnostics_.error(
          reader_.at(*value),
          "source file " + in_quotes(*source) + " of " + in_quotes(inside) + " " + *why,
          "a node gets copies of regular files only, of at most " +
              byte_size_text(kMaxCopiedFileBytes));
      ok = false;
    }
    if (ok) out.files.push_back(FileSpec{inside, path.string(), reader_.at(*key)});
  }
}

void Parser::parse_routes(const toml::node& node, Node& out, std::vector<RouteSource>& sources) {
  const auto* array = reader_.array(node, "routes");
  if (!array) return;
  size_t number = 0;
  for (const auto& element : *array) {
    ++number;
    const auto* table = element.as_table();
    if (!table) {
      diagnostics_.error(reader_.at(element), "elements of 'routes' must be tables, not " +
                                                  TomlReader::type_name(element));
      continue;
    }
    std::string context = "in route " + std::to_string(number) + " of node " + in_quotes(out.name);
    reader_.check_keys(*table, kRouteKeys, context);
    Route route;
    RouteSource source;
    route.where = reader_.at(element);
    bool ok = true;
    std::optional<IpAddress> via;
    if (const auto* v = table->get("via")) {
      source.via_where = reader_.at(*v);
      if (auto text = reader_.string(*v, "via")) {
        via = IpAddress::parse(*text);
        if (!via) {
          diagnostics_.error(reader_.at(*v), "malformed gateway address " + in_quotes(*text));
          ok = false;
        }
        route.via = via;
      } else {
        ok = false;
      }
    }
    if (const auto* v = table->get("dev")) {
      source.dev_where = reader_.at(*v);
      if (auto text = reader_.string(*v, "dev"))
        route.device = *text;
      else
        ok = false;
    }
    if (const auto* v = table->get("metric")) {
      if (auto metric = reader_.integer(*v, "metric")) {
        if (*metric < 0 || *metric > std::numeric_limits<uint32_t>::max()) {
          diagnostics_.error(reader_.at(*v),
                             "metric " + std::to_string(*metric) + " is outside 0..4294967295");
          ok = false;
        } else {
          route.metric = static_cast<uint32_t>(*metric);
        }
      } else {
        ok = false;
      }
    }
    const auto* to = table->get("to");
    if (!to) {
      diagnostics_.error(
          route.where,
          "route " + std::to_string(number) + " of node " + in_quotes(out.name) + " has no 'to'",
          "write to = \"10.20.0.0/16\" or to = \"default\"");
      continue;
    }
    auto text = reader_.string(*to, "to");
    if (!text) continue;
    if (*text == "default") {
      bool v6 = via && via->family == IpFamily::V6;
      route.destination = IpPrefix{IpAddress{v6 ? IpFamily::V6 : IpFamily::V4, {}}, 0};
    } else {
      auto prefix = IpPrefix::parse(*text);
      if (!prefix) {
        if (auto address = IpAddress::parse(*text))
          prefix = IpPrefix{*address, address->max_prefix()};
      }
      if (!prefix) {
        diagnostics_.error(reader_.at(*to), "malformed route destination " + in_quotes(*text),
                           "write a prefix such as 10.20.0.0/16, or \"default\"");
        continue;
      }
      if (prefix->network() != *prefix) {
        diagnostics_.error(reader_.at(*to),
                           "route destination " + in_quotes(*text) + " has host bits set",
                           "did you mean '" + prefix->network().to_string() + "'?");
        continue;
      }
      route.destination = *prefix;
    }
    if (via && via->family != route.destination.family()) {
      diagnostics_.error(source.via_where, "gateway " + via->to_string() +
                                               " is not of the family of " +
                                               route.destination.to_string());
      ok = false;
    }
    if (!route.via && route.device.empty()) {
      diagnostics_.error(route.where, "route to " + printable(*text) + " needs 'via' or 'dev'");
      ok = false;
    }
    if (ok) {
      out.routes.push_back(std::move(route));
      sources.push_back(source);
    }
  }
}

void Parser::parse_bridges(const toml::node& node) {
  const auto* table = reader_.table(node, "bridges");
  if (!table) return;
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) {
    Bridge bridge;
    bridge.name = std::string(key->str());
    bridge.where = reader_.at(*key);
    if (const auto* body = reader_.table(*value, "bridges." + bridge.name)) {
      reader_.check_keys(*body, kBridgeKeys, "in bridge " + in_quotes(bridge.name));
      if (const auto* v = body->get("stp")) {
        if (auto flag = reader_.boolean(*v, "stp")) bridge.stp = *flag;
      }
    }
    result_.lab.bridges.push_back(std::move(bridge));
  }
}

void Parser::check_names() {
  for (const auto& node : result_.lab.nodes) {
    if (auto why = check_name(node.name)) {
      diagnostics_.error(node.where, "invalid node name " + in_quotes(node.name) + ": " + *why);
    }
  }
  for (const auto& bridge : result_.lab.bridges) {
    if (auto why = check_name(bridge.name)) {
      diagnostics_.error(bridge.where,
                         "invalid bridge name " + in_quotes(bridge.name) + ": " + *why);
    }
    if (const auto* node = result_.lab.find_node(bridge.name)) {
      diagnostics_.error(
          bridge.where, in_quotes(bridge.name) + " is both a node and a bridge",
          "the node is at line " + std::to_string(node->where.line) + "; rename one of them");
    }
  }
}

std::vector<std::string> Parser::all_names() const {
  std::vector<std::string> names;
  for (const auto& node : result_.lab.nodes) names.push_back(node.name);
  for (const auto& bridge : result_.lab.bridges) names.push_back(bridge.name);
  return names;
}

void Parser::parse_links(const toml::node& node) {
  const auto* array = reader_.array(node, "links");
  if (!array) return;
  size_t number = 0;
  for (const auto& element : *array) {
    ++number;
    if (const auto* table = element.as_table()) {
      parse_link(*table, number);
    } else {
      diagnostics_.error(
          reader_.at(element),
          "elements of 'links' must be tables, not " + TomlReader::type_name(element),
          "write each link as [[links]]");
    }
  }
}

void Parser::parse_link(const toml::table& table, size_t number) {
  Link link;
  LinkSource source;
  link.where = reader_.at(table);
  reader_.check_keys(table, kLinkKeys, "in link " + std::to_string(number));
  bool usable = false;
  if (const auto* node = table.get("endpoints")) {
    if (const auto* endpoints = reader_.array(*node, "endpoints")) {
      if (endpoints->size() != 2) {
        diagnostics_.error(reader_.at(*node), "a link needs exactly two endpoints, not " +
                                                  std::to_string(endpoints->size()));
      } else {
        bool first = parse_endpoint(*endpoints->get(0), link.ends[0], source.ends[0]);
        bool second = parse_endpoint(*endpoints->get(1), link.ends[1], source.ends[1]);
        usable = first && second;
      }
    }
  } else {
    diagnostics_.error(link.where, "link " + std::to_string(number) + " has no 'endpoints'",
                       "write endpoints = [\"h1\", \"r1\"]");
  }
  if (usable) {
    const auto& [a, b] = link.ends;
    if (a.owner == b.owner && !a.interface.empty() && a.interface == b.interface) {
      diagnostics_.error(source.ends[1].where,
                         "link joins " + in_quotes(a.owner + ":" + a.interface) + " to itself");
      usable = false;
    } else if (a.owner == b.owner && a.kind == EndpointKind::Bridge) {
      diagnostics_.error(source.ends[1].where,
                         "link joins bridge " + in_quotes(a.owner) + " to itself");
      usable = false;
    }
  }
  if (const auto* node = table.get("addresses")) parse_addresses(*node, link, source, usable);
  if (const auto* node = table.get("macs")) parse_macs(*node, link, source, usable);
  if (const auto* node = table.get("mtu")) {
    source.mtu_where = reader_.at(*node);
    if (auto mtu = reader_.integer(*node, "mtu")) {
      if (*mtu < 68 || *mtu > 65535) {
        diagnostics_.error(reader_.at(*node),
                           "mtu " + std::to_string(*mtu) + " is outside 68..65535");
      } else {
        link.mtu = static_cast<uint32_t>(*mtu);
      }
    }
  }
  if (const auto* node = table.get("cost")) {
    if (auto cost = reader_.integer(*node, "cost")) {
      if (*cost < 1 || *cost > 1000000) {
        diagnostics_.error(reader_.at(*node),
                           "cost " + std::to_string(*cost) + " is outside 1..1000000");
      } else {
        link.cost = static_cast<uint32_t>(*cost);
      }
    }
  }
  parse_impairments(table, link);
  if (usable) {
    result_.lab.links.push_back(std::move(link));
    result_.source.links.push_back(std::move(source));
  }
}

bool Parser::parse_endpoint(const toml::node& node, Endpoint& endpoint, EndpointSource& source) {
  source.where = reader_.at(node);
  if (!node.is_string()) {
    diagnostics_.error(source.where,
                       "a link endpoint must be a string, not " + TomlReader::type_name(node),
                       "write \"node\" or \"node:interface\"");
    return false;
  }
  const std::string& text = node.as_string()->get();
  auto colon = text.find(':');
  endpoint.owner = text.substr(0, colon);
  if (colon != std::string::npos) {
    endpoint.interface = text.substr(colon + 1);
    source.interface_given = true;
  }
  if (result_.lab.find_node(endpoint.owner)) {
    endpoint.kind = EndpointKind::Node;
  } else if (result_.lab.find_bridge(endpoint.owner)) {
    endpoint.kind = EndpointKind::Bridge;
  } else {
    diagnostics_.error(source.where,
                       "link endpoint " + in_quotes(endpoint.owner) + " names no node or bridge",
                       did_you_mean(endpoint.owner, all_names()));
    return false;
  }
  if (source.interface_given) {
    if (auto why = check_interface_name(endpoint.interface)) {
      diagnostics_.error(source.where, "invalid interface name " + in_quotes(endpoint.interface) +
                                           " on " + in_quotes(endpoint.owner) + ": " + *why);
      return false;
    }
  }
  return true;
}

std::optional<IpPrefix> Parser::parse_interface_address(const toml::node& node) {
  if (!node.is_string()) {
    diagnostics_.error(reader_.at(node),
                       "an address must be a string, not " + TomlReader::type_name(node));
    return std::nullopt;
  }
  const std::string& text = node.as_string()->get();
  if (auto prefix = IpPrefix::parse(text)) return prefix;
  if (auto address = IpAddress::parse(text)) {
    diagnostics_.error(reader_.at(node), "address " + in_quotes(text) + " has no prefix length",
                       "write it as " +
                           in_quotes(text + (address->family == IpFamily::V4 ? "/24" : "/64")) +
                           " for example");
  } else {
    diagnostics_.error(reader_.at(node), "malformed address " + in_quotes(text),
                       "write ADDRESS/LENGTH, e.g. 10.0.1.1/24 or fd00::1/64");
  }
  return std::nullopt;
}

void Parser::parse_addresses(const toml::node& node, Link& link, LinkSource& source, bool usable) {
  const auto* array = reader_.array(node, "addresses");
  if (!array) return;
  std::vector<int> node_ends;
  for (int i = 0; i < 2; ++i)
    if (link.ends[i].kind == EndpointKind::Node) node_ends.push_back(i);
  if (usable && array->size() != node_ends.size()) {
    diagnostics_.error(reader_.at(node),
                       "'addresses' has " + std::to_string(array->size()) +
                           (array->size() == 1 ? " entry" : " entries") + " but the link has " +
                           std::to_string(node_ends.size()) + " node endpoint" +
                           (node_ends.size() == 1 ? "" : "s"),
                       "bridge endpoints take no address");
    usable = false;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const auto& element = *array->get(i);
    std::vector<const toml::node*> items;
    if (const auto* inner = element.as_array()) {
      for (const auto& item : *inner) items.push_back(&item);
    } else {
      items.push_back(&element);
    }
    for (const auto* item : items) {
      auto prefix = parse_interface_address(*item);
      if (prefix && usable) {
        int end = node_ends[i];
        link.ends[end].addresses.push_back(*prefix);
        source.ends[end].address_where.push_back(reader_.at(*item));
      }
    }
  }
}

void Parser::parse_macs(const toml::node& node, Link& link, LinkSource& source, bool usable) {
  const auto* array = reader_.array(node, "macs");
  if (!array) return;
  std::vector<int> node_ends;
  for (int i = 0; i < 2; ++i)
    if (link.ends[i].kind == EndpointKind::Node) node_ends.push_back(i);
  if (usable && array->size() != node_ends.size()) {
    diagnostics_.error(reader_.at(node),
                       "'macs' has " + std::to_string(array->size()) +
                           (array->size() == 1 ? " entry" : " entries") + " but the link has " +
                           std::to_string(node_ends.size()) + " node endpoint" +
                           (node_ends.size() == 1 ? "" : "s"),
                       "bridge endpoints take no MAC address");
    usable = false;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const auto& element = *array->get(i);
    if (!element.is_string()) {
      diagnostics_.error(reader_.at(element),
                         "a MAC address must be a string, not " + TomlReader::type_name(element));
      continue;
    }
    const std::string& text = element.as_string()->get();
    auto mac = MacAddress::parse(text);
    if (!mac) {
      diagnostics_.error(reader_.at(element), "malformed MAC address " + in_quotes(text),
                         "write six hexadecimal bytes, e.g. 02:00:00:00:00:01");
      continue;
    }
    if (mac->bytes[0] & 1) {
      diagnostics_.error(reader_.at(element), "MAC address " + mac->to_string() + " is multicast",
                         "the lowest bit of the first byte must be 0, e.g. 02:...");
      continue;
    }
    if (*mac == MacAddress{}) {
      diagnostics_.error(reader_.at(element), "MAC address 00:00:00:00:00:00 is not allowed");
      continue;
    }
    if (usable) {
      link.ends[node_ends[i]].mac = mac;
      source.ends[node_ends[i]].mac_where = reader_.at(element);
    }
  }
}

void Parser::parse_impairments(const toml::table& table, Link& link) {
  Impairments& out = link.impairments;
  if (const auto* node = table.get("rate")) {
    if (auto text = reader_.string(*node, "rate")) {
      out.rate_bits_per_second = parse_rate(*text);
      if (!out.rate_bits_per_second && only_the_number_is_wrong(*text, parse_rate)) {
        diagnostics_.error(reader_.at(*node), "rate " + in_quotes(*text) + " is out of range",
                           "a rate is at least 1bit and at most 18000000tbit");
      } else if (!out.rate_bits_per_second) {
        diagnostics_.error(reader_.at(*node), "malformed rate " + in_quotes(*text),
                           "write a positive number and a unit: bit, kbit, mbit, gbit (bits/s) or "
                           "bps, kbps, mbps, gbps (bytes/s), e.g. \"10mbit\"");
      }
    }
  }
  const toml::node* delay_node = table.get("delay");
  for (const char* key : {"delay", "jitter"}) {
    const auto* node = table.get(key);
    if (!node) continue;
    auto text = reader_.string(*node, key);
    if (!text) continue;
    auto value = parse_duration_us(*text);
    if (!value && only_the_number_is_wrong(*text, parse_duration_us)) {
      diagnostics_.error(reader_.at(*node),
                         std::string(key) + " " + in_quotes(*text) + " is out of range",
                         "at most 4294s (2^32-1 microseconds)");
      continue;
    }
    if (!value) {
      diagnostics_.error(reader_.at(*node),
                         std::string("malformed ") + key + " " + in_quotes(*text),
                         "write a number and a unit: us, ms or s, e.g. \"5ms\"");
      continue;
    }
    (std::string_view(key) == "delay" ? out.delay_us : out.jitter_us) = value;
    if (std::string_view(key) == "jitter" && !delay_node) {
      diagnostics_.error(reader_.at(*node), "'jitter' needs 'delay'",
                         "add delay = \"...\" to this link");
    }
  }
  if (const auto* node = table.get("loss")) {
    if (auto text = reader_.string(*node, "loss")) {
      auto value = parse_percent(*text);
      if (!value) {
        diagnostics_.error(reader_.at(*node), "malformed loss " + in_quotes(*text),
                           "write a percentage, e.g. \"1%\" or \"0.5%\"");
      } else if (*value > 100) {
        diagnostics_.error(reader_.at(*node), "loss " + in_quotes(*text) + " is outside 0..100%");
      } else {
        out.loss_percent = value;
      }
    }
  }
}

}  // namespace

ParsedLab parse_lab(const toml::table& document, const std::string& lab_file,
                    const std::string& name_override, TomlReader& reader) {
  return Parser(reader, lab_file).parse(document, name_override);
}

}  // namespace nettopo::topology
