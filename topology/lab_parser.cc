#include "topology/lab_parser.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include "core/sys/sysctl_key.h"
#include "topology/experiment_parser.h"
#include "topology/impairment_parser.h"
#include "topology/name_rules.h"
#include "topology/path_rules.h"
#include "topology/regular_file.h"
#include "topology/suggestion.h"

namespace nettopo::topology {
namespace {

const std::vector<std::string> kTopKeys = {"name",    "addressing", "routing", "kinds", "nodes",
                                           "bridges", "links",      "checks",  "steps", "collect"};
const std::vector<std::string> kAddressingKeys = {"ipv4", "ipv6", "loopback", "loopback6"};
const std::vector<std::string> kRoutingKeys = {"static", "ospf", "bgp"};
const std::vector<std::string> kOspfKeys = {"area", "hello", "dead"};
const std::vector<std::string> kBgpKeys = {"asn", "keepalive", "hold"};
// A kind takes every node key; `kind` in a kind names the kind it extends.
const std::vector<std::string> kNodeKeys = {"kind",  "forward", "sysctl", "env", "dirs",
                                            "files", "routes",  "exec",   "run", "ready",
                                            "asn",   "daemons", "config"};
// The FRR daemons a node may list in `daemons` (zebra always runs: the others need it).
const std::vector<std::string> kFrrDaemons = {
    "zebra", "staticd", "bgpd",   "ospfd",  "ospf6d", "ripd", "ripngd",  "isisd", "pimd",
    "ldpd",  "nhrpd",   "eigrpd", "babeld", "pbrd",   "bfdd", "fabricd", "vrrpd", "pathd"};
const std::vector<std::string> kBuiltinKinds = {"frr", "bird"};
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

// Where a node's (or kind's) listed values were written, parallel to its lists.
struct NodeSources {
  std::vector<RouteSource> routes;
  std::vector<SourceLocation> dirs;
};

// A [kinds.NAME] table: resolved on first use, so kinds may extend kinds written after them.
struct KindEntry {
  const toml::table* table = nullptr;
  SourceLocation where;
  enum class State { Unresolved, Resolving, Resolved, Broken } state = State::Unresolved;
  Node resolved;  ///< the node keys of the kind and of every kind it extends
  NodeSources sources;
};

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
  void parse_ospf(const toml::node& node);
  void parse_bgp(const toml::node& node);
  std::optional<uint32_t> parse_seconds(const toml::node& node, std::string_view key);
  void parse_kinds(const toml::node& node);
  const Node* resolve_kind(const std::string& name, const SourceLocation& used_at);
  void parse_nodes(const toml::node& node);
  void parse_node(const toml::key& key, const toml::node& value);
  // Applies the node keys of `table` (a node's or a kind's) onto `node`, which may already hold
  // a kind's values: scalars replace, `sysctl`, `env` and `files` merge by key, lists append.
  void apply_node_keys(const toml::table& table, Node& node, NodeSources& sources);
  void parse_asn(const toml::node& node, Node& out);
  void parse_daemons(const toml::node& node, Node& out);
  void parse_daemon_config(const toml::node& node, Node& out);
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
  // A list with one entry per node end of the link (`addresses`, `macs`): the indices of those
  // ends; a list of another length is reported (bridges take none) and makes `usable` false.
  std::vector<int> per_node_end(const toml::node& node, const toml::array& array, const Link& link,
                                std::string_view key, std::string_view what, bool& usable);
  void parse_addresses(const toml::node& node, Link& link, LinkSource& source, bool usable);
  std::optional<IpPrefix> parse_interface_address(const toml::node& node);
  void parse_macs(const toml::node& node, Link& link, LinkSource& source, bool usable);
  void parse_impairments(const toml::table& table, Link& link);

  std::vector<std::string> all_names() const;
  std::vector<std::string> kind_names() const;

  TomlReader& reader_;
  std::map<std::string, KindEntry, std::less<>> kinds_;
  // What each link end names, filled once the nodes and bridges are read: a lookup per end in
  // the lists would cost the links times the nodes (16 million string compares at 4000 nodes).
  std::map<std::string, EndpointKind, std::less<>> owners_;
  Diagnostics& diagnostics_;
  std::string lab_file_;
  ParsedLab result_;
};

ParsedLab Parser::parse(const toml::table& document, const std::string& name_override) {
  reader_.check_keys(document, kTopKeys, "at the top level");
  parse_name(document, name_override);
  if (const auto* node = document.get("addressing")) parse_addressing(*node);
  if (const auto* node = document.get("routing")) parse_routing(*node);
  if (const auto* node = document.get("kinds")) parse_kinds(*node);
  if (const auto* node = document.get("nodes")) parse_nodes(*node);
  // Kinds resolve on first use; one no node uses is still part of the file, and its mistakes
  // (an unknown base, a cycle, a mistyped value) are reported like any other.
  for (auto& [name, entry] : kinds_)
    if (entry.state == KindEntry::State::Unresolved) resolve_kind(name, entry.where);
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
  if (const auto* loopback = table->get("loopback")) {
    result_.lab.loopback_pool = parse_pool(*loopback, "loopback", IpFamily::V4);
    result_.source.loopback_pool_where = reader_.at(*loopback);
  }
  if (const auto* loopback6 = table->get("loopback6")) {
    result_.lab.loopback6_pool = parse_pool(*loopback6, "loopback6", IpFamily::V6);
    result_.source.loopback6_pool_where = reader_.at(*loopback6);
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
  reader_.optional_flag(*table, "static", result_.lab.static_routing);
  if (const auto* value = table->get("ospf")) parse_ospf(*value);
  if (const auto* value = table->get("bgp")) parse_bgp(*value);
}

// Protocol timers are whole seconds, written as durations ("1s") like every other time.
std::optional<uint32_t> Parser::parse_seconds(const toml::node& node, std::string_view key) {
  auto text = reader_.string(node, key);
  if (!text) return std::nullopt;
  auto microseconds = parse_duration_us(*text);
  if (!microseconds || *microseconds == 0 || *microseconds % 1000000 != 0 ||
      *microseconds > 65535ull * 1000000) {
    diagnostics_.error(reader_.at(node),
                       "'" + std::string(key) + "' must be whole seconds from 1s to 65535s, not " +
                           in_quotes(*text),
                       "write e.g. \"1s\"");
    return std::nullopt;
  }
  return static_cast<uint32_t>(*microseconds / 1000000);
}

void Parser::parse_ospf(const toml::node& node) {
  const auto* table = reader_.table(node, "routing.ospf");
  if (!table) return;
  reader_.check_keys(*table, kOspfKeys, "in [routing.ospf]");
  OspfSettings ospf;
  ospf.where = reader_.at(node);
  if (const auto* v = table->get("area")) {
    // An area is a dotted quad or a number, as both FRR and BIRD write it.
    if (v->is_integer() && v->as_integer()->get() >= 0 &&
        v->as_integer()->get() <= std::numeric_limits<uint32_t>::max()) {
      ospf.area = IpAddress::v4(static_cast<uint32_t>(v->as_integer()->get())).to_string();
    } else if (auto text = v->is_string() ? std::optional(v->as_string()->get()) : std::nullopt;
               text && IpAddress::parse(*text) && IpAddress::parse(*text)->family == IpFamily::V4) {
      ospf.area = IpAddress::parse(*text)->to_string();
    } else {
      diagnostics_.error(reader_.at(*v), "an OSPF area is a dotted quad or a number",
                         "write area = \"0.0.0.0\" or area = 0");
    }
  }
  if (const auto* v = table->get("hello")) {
    if (auto seconds = parse_seconds(*v, "hello")) ospf.hello_seconds = *seconds;
  }
  if (const auto* v = table->get("dead")) {
    if (auto seconds = parse_seconds(*v, "dead")) ospf.dead_seconds = *seconds;
  }
  if (ospf.dead_seconds <= ospf.hello_seconds) {
    diagnostics_.error(ospf.where,
                       "the OSPF dead interval (" + std::to_string(ospf.dead_seconds) +
                           "s) must be longer than the hello interval (" +
                           std::to_string(ospf.hello_seconds) + "s)",
                       "a dead interval of four hellos is usual");
  }
  result_.lab.ospf = ospf;
}

void Parser::parse_bgp(const toml::node& node) {
  const auto* table = reader_.table(node, "routing.bgp");
  if (!table) return;
  reader_.check_keys(*table, kBgpKeys, "in [routing.bgp]");
  BgpSettings bgp;
  bgp.where = reader_.at(node);
  if (const auto* v = table->get("asn")) {
    // One AS for every router (an integer), or a range to give each router one of its own.
    bgp.asn_where = reader_.at(*v);
    if (v->is_integer()) {
      auto asn = v->as_integer()->get();
      if (asn < 1 || asn > std::numeric_limits<uint32_t>::max()) {
        diagnostics_.error(reader_.at(*v),
                           "AS number " + std::to_string(asn) + " is outside 1..4294967295");
      } else {
        bgp.asn_first = bgp.asn_last = static_cast<uint32_t>(asn);
        bgp.asn_shared = true;
      }
    } else if (v->is_string()) {
      const std::string& text = v->as_string()->get();
      auto dash = text.find('-');
      auto number = [](std::string_view part) -> std::optional<uint32_t> {
        if (part.empty() || part.size() > 10) return std::nullopt;
        uint64_t value = 0;
        for (char c : part) {
          if (c < '0' || c > '9') return std::nullopt;
          value = value * 10 + static_cast<uint64_t>(c - '0');
        }
        if (value < 1 || value > std::numeric_limits<uint32_t>::max()) return std::nullopt;
        return static_cast<uint32_t>(value);
      };
      auto first = dash == std::string::npos ? std::nullopt : number(text.substr(0, dash));
      auto last = dash == std::string::npos ? std::nullopt : number(text.substr(dash + 1));
      if (!first || !last || *first > *last) {
        diagnostics_.error(reader_.at(*v), "malformed AS range " + in_quotes(text),
                           "write asn = \"65001-65099\" (one AS per router) or asn = 65000 "
                           "(one AS for all)");
      } else {
        bgp.asn_first = *first;
        bgp.asn_last = *last;
      }
    } else {
      diagnostics_.error(
          reader_.at(*v),
          "'asn' must be an integer or a range string, not " + TomlReader::type_name(*v),
          "write asn = 65000 or asn = \"65001-65099\"");
    }
  }
  if (const auto* v = table->get("keepalive")) {
    if (auto seconds = parse_seconds(*v, "keepalive")) bgp.keepalive_seconds = *seconds;
  }
  if (const auto* v = table->get("hold")) {
    if (auto seconds = parse_seconds(*v, "hold")) bgp.hold_seconds = *seconds;
  }
  if (bgp.hold_seconds < 3 || bgp.hold_seconds <= bgp.keepalive_seconds) {
    diagnostics_.error(bgp.where,
                       "the BGP hold time (" + std::to_string(bgp.hold_seconds) +
                           "s) must be at least 3s and longer than the keepalive (" +
                           std::to_string(bgp.keepalive_seconds) + "s)",
                       "a hold time of three keepalives is usual");
  }
  result_.lab.bgp = bgp;
}

void Parser::parse_kinds(const toml::node& node) {
  const auto* table = reader_.table(node, "kinds");
  if (!table) return;
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) {
    std::string name(key->str());
    if (auto why = check_name(name)) {
      diagnostics_.error(reader_.at(*key), "invalid kind name " + in_quotes(name) + ": " + *why);
      continue;
    }
    const auto* body = reader_.table(*value, "kinds." + name);
    if (!body) continue;
    reader_.check_keys(*body, kNodeKeys, "in kind " + in_quotes(name));
    KindEntry entry;
    entry.table = body;
    entry.where = reader_.at(*key);
    kinds_[name] = std::move(entry);
  }
}

// A built-in kind's own values, before any [kinds] table extends it.
Node builtin_kind(std::string_view name) {
  Node node;
  node.kind = std::string(name);
  node.forward = true;
  node.daemon = name == "frr" ? RoutingDaemon::Frr : RoutingDaemon::Bird;
  return node;
}

const Node* Parser::resolve_kind(const std::string& name, const SourceLocation& used_at) {
  auto it = kinds_.find(name);
  if (it == kinds_.end()) {
    if (std::find(kBuiltinKinds.begin(), kBuiltinKinds.end(), name) != kBuiltinKinds.end()) {
      KindEntry builtin;
      builtin.state = KindEntry::State::Resolved;
      builtin.resolved = builtin_kind(name);
      return &kinds_.emplace(name, std::move(builtin)).first->second.resolved;
    }
    diagnostics_.error(used_at, "unknown kind " + in_quotes(name),
                       did_you_mean(name, kind_names()));
    return nullptr;
  }
  KindEntry& entry = it->second;
  switch (entry.state) {
    case KindEntry::State::Resolved:
      return &entry.resolved;
    case KindEntry::State::Broken:
      return nullptr;
    case KindEntry::State::Resolving:
      diagnostics_.error(used_at, "kind " + in_quotes(name) + " extends itself",
                         "follow the 'kind' keys from line " + std::to_string(entry.where.line) +
                             " and break the cycle");
      entry.state = KindEntry::State::Broken;
      return nullptr;
    case KindEntry::State::Unresolved:
      break;
  }
  entry.state = KindEntry::State::Resolving;
  Node base;
  NodeSources sources;
  const auto* extends = entry.table->get("kind");
  auto base_name = extends ? reader_.string(*extends, "kind") : std::nullopt;
  bool builtin = std::find(kBuiltinKinds.begin(), kBuiltinKinds.end(), name) != kBuiltinKinds.end();
  // [kinds.frr] extends the built-in frr, also when it says kind = "frr".
  bool extends_builtin = builtin && (!extends || (base_name && *base_name == name));
  if (extends_builtin) {
    base = builtin_kind(name);
  } else if (extends) {
    const Node* resolved = base_name ? resolve_kind(*base_name, reader_.at(*extends)) : nullptr;
    if (!resolved) {
      entry.state = KindEntry::State::Broken;
      return nullptr;
    }
    base = *resolved;
    sources = kinds_.find(*base_name)->second.sources;
  }
  base.kind = name;
  apply_node_keys(*entry.table, base, sources);
  if (entry.state == KindEntry::State::Broken) return nullptr;
  entry.resolved = std::move(base);
  entry.sources = std::move(sources);
  entry.state = KindEntry::State::Resolved;
  return &entry.resolved;
}

std::vector<std::string> Parser::kind_names() const {
  std::vector<std::string> names = kBuiltinKinds;
  for (const auto& [name, entry] : kinds_)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

void Parser::parse_nodes(const toml::node& node) {
  const auto* table = reader_.table(node, "nodes");
  if (!table) return;
  for (const auto& [key, value] : TomlReader::in_file_order(*table)) parse_node(*key, *value);
}

void Parser::parse_node(const toml::key& key, const toml::node& value) {
  Node node;
  NodeSources sources;
  std::string name(key.str());
  if (const auto* table = reader_.table(value, "nodes." + name)) {
    reader_.check_keys(*table, kNodeKeys, "in node " + in_quotes(name));
    if (const auto* v = table->get("kind")) {
      if (auto kind = reader_.string(*v, "kind")) {
        if (const Node* resolved = resolve_kind(*kind, reader_.at(*v))) {
          node = *resolved;
          sources = kinds_.find(*kind)->second.sources;
        }
      }
    }
    node.name = name;
    node.where = reader_.at(key);
    apply_node_keys(*table, node, sources);
  } else {
    node.name = name;
    node.where = reader_.at(key);
  }
  result_.lab.nodes.push_back(std::move(node));
  result_.source.routes.push_back(std::move(sources.routes));
  result_.source.dirs.push_back(std::move(sources.dirs));
}

void Parser::apply_node_keys(const toml::table& table, Node& node, NodeSources& sources) {
  reader_.optional_flag(table, "forward", node.forward);
  if (const auto* v = table.get("sysctl")) parse_string_pairs(*v, "sysctl", node.sysctls);
  if (const auto* v = table.get("env")) parse_string_pairs(*v, "env", node.env);
  if (const auto* v = table.get("dirs")) parse_dirs(*v, node, sources.dirs);
  if (const auto* v = table.get("files")) parse_files(*v, node);
  if (const auto* v = table.get("routes")) parse_routes(*v, node, sources.routes);
  for (auto [key, list] : {std::pair{"exec", &node.exec}, std::pair{"run", &node.run},
                           std::pair{"ready", &node.ready}}) {
    if (const auto* v = table.get(key)) {
      auto more = parse_strings(*v, key);
      list->insert(list->end(), more.begin(), more.end());
    }
  }
  if (const auto* v = table.get("asn")) parse_asn(*v, node);
  if (const auto* v = table.get("daemons")) parse_daemons(*v, node);
  if (const auto* v = table.get("config")) parse_daemon_config(*v, node);
}

void Parser::parse_asn(const toml::node& node, Node& out) {
  auto asn = reader_.integer_in(node, "asn", 1, std::numeric_limits<uint32_t>::max(), "AS number",
                                "private AS numbers are 64512..65534 and 4200000000..4294967294");
  if (asn) out.asn = static_cast<uint32_t>(*asn);
}

void Parser::parse_daemons(const toml::node& node, Node& out) {
  if (out.daemon != RoutingDaemon::Frr) {
    diagnostics_.error(reader_.at(node), "'daemons' lists FRR daemons, for FRR nodes only",
                       "add kind = \"frr\"");
    return;
  }
  auto names = parse_strings(node, "daemons");
  out.daemons.clear();  // a list of daemons replaces the kind's: it is the whole set
  for (const auto& name : names) {
    if (std::find(kFrrDaemons.begin(), kFrrDaemons.end(), name) == kFrrDaemons.end()) {
      diagnostics_.error(reader_.at(node), "unknown FRR daemon " + in_quotes(name),
                         did_you_mean(name, kFrrDaemons));
    } else if (name != "zebra" &&
               std::find(out.daemons.begin(), out.daemons.end(), name) == out.daemons.end()) {
      out.daemons.push_back(name);
    }
  }
}

void Parser::parse_daemon_config(const toml::node& node, Node& out) {
  if (out.daemon == RoutingDaemon::None) {
    diagnostics_.error(reader_.at(node), "'config' is a routing daemon's configuration file",
                       "use it with kind = \"frr\" or kind = \"bird\"; copy other files with "
                       "'files'");
    return;
  }
  auto source = reader_.string(node, "config");
  if (!source) return;
  auto path = (std::filesystem::path(lab_file_).parent_path() / *source).lexically_normal();
  std::error_code error;
  if (source->empty() || !std::filesystem::exists(path, error)) {
    diagnostics_.error(reader_.at(node), "config file " + in_quotes(*source) + " does not exist",
                       "looked for " + path.string() + " (relative to the lab file)");
  } else if (auto why = check_regular_file(path, kMaxCopiedFileBytes)) {
    diagnostics_.error(reader_.at(node), "config file " + in_quotes(*source) + " " + *why);
  } else {
    out.daemon_config = path.string();
  }
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
    std::optional<std::string> text;
    if (value->is_string()) {
      text = value->as_string()->get();
    } else if (value->is_integer()) {
      text = std::to_string(value->as_integer()->get());
    }
    if (text) {
      // A node's value replaces its kind's for the same key, where the kind had it.
      auto same =
          std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
      if (same != out.end())
        same->second = *text;
      else
        out.emplace_back(name, *text);
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
  // The dirs out holds already are its kind's; a dir written twice in one list is an error
  // (check_node_paths), a dir the kind has too is kept once.
  auto from_kind = out.dirs;
  for (const auto& element : *array) {
    auto path = element.is_string() ? std::optional(element.as_string()->get()) : std::nullopt;
    if (!path) {
      diagnostics_.error(reader_.at(element), "elements of 'dirs' must be strings, not " +
                                                  TomlReader::type_name(element));
    } else if (auto problem = check_path(*path, "dirs")) {
      diagnostics_.error(reader_.at(element), *problem);
    } else if (std::find(from_kind.begin(), from_kind.end(), *path) == from_kind.end()) {
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
    if (!ok) continue;
    FileSpec file{inside, path.string(), reader_.at(*key), std::nullopt};
    auto same = std::find_if(out.files.begin(), out.files.end(),
                             [&](const FileSpec& f) { return f.inside_path == inside; });
    if (same != out.files.end())
      *same = std::move(file);  // the node's file replaces its kind's
    else
      out.files.push_back(std::move(file));
  }
}

void Parser::parse_routes(const toml::node& node, Node& out, std::vector<RouteSource>& sources) {
  for (auto [number, table] : reader_.tables(node, "routes")) {
    std::string context = "in route " + std::to_string(number) + " of node " + in_quotes(out.name);
    reader_.check_keys(*table, kRouteKeys, context);
    Route route;
    RouteSource source;
    route.where = reader_.at(*table);
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
      if (auto metric =
              reader_.integer_in(*v, "metric", 0, std::numeric_limits<uint32_t>::max(), "metric"))
        route.metric = static_cast<uint32_t>(*metric);
      else
        ok = false;
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
      reader_.optional_flag(*body, "stp", bridge.stp);
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
  for (const auto& bridge : result_.lab.bridges) owners_[bridge.name] = EndpointKind::Bridge;
  for (const auto& lab_node : result_.lab.nodes) owners_[lab_node.name] = EndpointKind::Node;
  for (auto [number, table] : reader_.tables(node, "links", "write each link as [[links]]"))
    parse_link(*table, number);
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
    if (auto mtu = reader_.integer_in(*node, "mtu", 68, 65535, "mtu"))
      link.mtu = static_cast<uint32_t>(*mtu);
  }
  if (const auto* node = table.get("cost")) {
    if (auto cost = reader_.integer_in(*node, "cost", 1, 1000000, "cost"))
      link.cost = static_cast<uint32_t>(*cost);
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
  if (auto owner = owners_.find(endpoint.owner); owner != owners_.end()) {
    endpoint.kind = owner->second;
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

std::vector<int> Parser::per_node_end(const toml::node& node, const toml::array& array,
                                      const Link& link, std::string_view key, std::string_view what,
                                      bool& usable) {
  std::vector<int> node_ends;
  for (int i = 0; i < 2; ++i)
    if (link.ends[i].kind == EndpointKind::Node) node_ends.push_back(i);
  if (usable && array.size() != node_ends.size()) {
    diagnostics_.error(reader_.at(node),
                       "'" + std::string(key) + "' has " + std::to_string(array.size()) +
                           (array.size() == 1 ? " entry" : " entries") + " but the link has " +
                           std::to_string(node_ends.size()) + " node endpoint" +
                           (node_ends.size() == 1 ? "" : "s"),
                       "bridge endpoints take no " + std::string(what));
    usable = false;
  }
  return node_ends;
}

void Parser::parse_addresses(const toml::node& node, Link& link, LinkSource& source, bool usable) {
  const auto* array = reader_.array(node, "addresses");
  if (!array) return;
  auto node_ends = per_node_end(node, *array, link, "addresses", "address", usable);
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
  auto node_ends = per_node_end(node, *array, link, "macs", "MAC address", usable);
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
