#include "topology/experiment_parser.h"

#include <algorithm>
#include <regex>
#include <set>

#include "core/sys/ip_address.h"
#include "topology/impairment_parser.h"
#include "topology/suggestion.h"

namespace nettopo::topology {
namespace {

const std::vector<std::string> kCheckKeys = {"name",   "node",   "run",      "ping",
                                             "expect", "within", "initially"};
const std::vector<std::string> kCollectKeys = {"files", "commands"};
const std::vector<std::string> kStepActions = {"link", "run", "wait", "check"};
const std::vector<std::string> kLinkStepKeys = {"name",   "link", "state",     "rate", "delay",
                                                "jitter", "loss", "blackhole", "clear"};
const std::vector<std::string> kRunStepKeys = {"name", "node", "run", "background", "timeout"};
const std::vector<std::string> kWaitStepKeys = {"name", "wait"};
const std::vector<std::string> kCheckStepKeys = {"name", "check"};

class ExperimentParser {
 public:
  ExperimentParser(TomlReader& reader, Lab& lab)
      : reader_(reader), diagnostics_(reader.diagnostics()), lab_(lab) {
    for (const auto& node : lab.nodes) node_names_.push_back(node.name);
  }

  void parse(const toml::table& document) {
    if (const auto* node = document.get("checks")) parse_checks(*node);
    if (const auto* node = document.get("steps")) parse_steps(*node);
    if (const auto* node = document.get("collect")) parse_collect(*node);
  }

 private:
  // A node a check, step or collect entry runs in: a node of the lab (bridges run nothing).
  bool known_node(const SourceLocation& where, const std::string& name, std::string_view what) {
    if (lab_.find_node(name)) return true;
    std::string subject = std::string(what) + " " + in_quotes(name);
    if (lab_.find_bridge(name))
      diagnostics_.error(where, subject + " is a bridge",
                         "commands run in nodes; a bridge has only a network namespace");
    else
      diagnostics_.error(where, subject + " names no node", did_you_mean(name, node_names_));
    return false;
  }

  // "h1", ["h1", "h2"] or "*".
  std::vector<std::string> parse_node_list(const toml::node& node, std::string_view what) {
    std::vector<std::string> out;
    if (node.is_string()) {
      const std::string& text = node.as_string()->get();
      if (text == "*") return node_names_;
      if (known_node(reader_.at(node), text, what)) out.push_back(text);
      return out;
    }
    const auto* array = node.as_array();
    if (!array) {
      diagnostics_.error(
          reader_.at(node),
          "'node' must be a string or an array of strings, not " + TomlReader::type_name(node),
          "write \"h1\", [\"h1\", \"h2\"] or \"*\" (every node)");
      return out;
    }
    if (array->empty())
      diagnostics_.error(reader_.at(node), "'node' is empty", "name at least one node, or \"*\"");
    for (const auto& element : *array) {
      auto name = reader_.string(element, "node");
      if (!name) continue;
      if (*name == "*") {
        diagnostics_.error(reader_.at(element), "\"*\" must stand alone",
                           "write node = \"*\" for every node");
      } else if (known_node(reader_.at(element), *name, what)) {
        if (std::find(out.begin(), out.end(), *name) == out.end()) out.push_back(*name);
      }
    }
    return out;
  }

  std::optional<uint32_t> parse_duration(const toml::node& node, std::string_view key) {
    auto text = reader_.string(node, key);
    if (!text) return std::nullopt;
    auto value = parse_duration_us(*text);
    if (value) return value;
    // Out of range when the text parses with a smaller number.
    size_t digits = text->find_first_not_of("0123456789.");
    if (digits != 0 && digits != std::string::npos && parse_duration_us("1" + text->substr(digits)))
      diagnostics_.error(reader_.at(node),
                         std::string(key) + " " + in_quotes(*text) + " is out of range",
                         "at most 4294s (2^32-1 microseconds)");
    else
      diagnostics_.error(reader_.at(node), "malformed " + std::string(key) + " " + in_quotes(*text),
                         "write a number and a unit: us, ms or s, e.g. \"10s\"");
    return std::nullopt;
  }

  std::optional<std::string> parse_command(const toml::node& node, std::string_view key) {
    auto text = reader_.string(node, key);
    if (text && text->find_first_not_of(" \t") == std::string::npos) {
      diagnostics_.error(reader_.at(node), "'" + std::string(key) + "' is empty",
                         "write a shell command");
      return std::nullopt;
    }
    return text;
  }

  // --- [[checks]] ---

  void parse_checks(const toml::node& node) {
    std::set<std::string> names;
    for (auto [number, table] : reader_.tables(node, "checks", "write each check as [[checks]]")) {
      auto check = parse_check(*table, number);
      if (!check) continue;
      if (!names.insert(check->name).second) {
        diagnostics_.error(reader_.at(*table),
                           "a check named " + in_quotes(check->name) + " is already defined",
                           "give each check its own name = \"...\"");
        continue;
      }
      lab_.checks.push_back(std::move(*check));
    }
  }

  std::optional<Check> parse_check(const toml::table& table, size_t number) {
    Check check;
    SourceLocation where = reader_.at(table);
    check.line = where.line;
    check.column = where.column;
    std::string context = "in check " + std::to_string(number);
    reader_.check_keys(table, kCheckKeys, context);
    bool ok = true;
    const auto* node = table.get("node");
    if (!node) {
      diagnostics_.error(where, "check " + std::to_string(number) + " has no 'node'",
                         "write node = \"h1\", a list of nodes, or \"*\"");
      ok = false;
    } else {
      check.nodes = parse_node_list(*node, "check node");
      if (check.nodes.empty()) ok = false;
    }
    const auto* run = table.get("run");
    const auto* ping = table.get("ping");
    std::string derived;
    if (run && ping) {
      diagnostics_.error(reader_.at(*ping),
                         "check " + std::to_string(number) + " has both 'run' and 'ping'",
                         "one command per check: ping = \"h2\" is short for run = \"ping ...\"");
      ok = false;
    } else if (run) {
      auto text = parse_command(*run, "run");
      if (text) {
        check.run = *text;
        derived = *text;
      } else {
        ok = false;
      }
    } else if (ping) {
      auto target = reader_.string(*ping, "ping");
      if (target && check_ping_target(*ping, *target)) {
        check.run = "ping -c 1 -W 1 " + *target;
        derived = "ping " + *target;
      } else {
        ok = false;
      }
    } else {
      diagnostics_.error(where, "check " + std::to_string(number) + " has no 'run' or 'ping'",
                         "write run = \"SHELL COMMAND\" (passes on exit status 0) or "
                         "ping = \"NODE\"");
      ok = false;
    }
    if (const auto* value = table.get("expect")) {
      if (auto pattern = reader_.string(*value, "expect")) {
        try {
          std::regex compiled(*pattern, std::regex::ECMAScript);
          check.expect = *pattern;
        } catch (const std::regex_error& error) {
          diagnostics_.error(
              reader_.at(*value),
              "malformed regular expression " + in_quotes(*pattern) + ": " + error.what(),
              "ECMAScript syntax, e.g. \"Hello|hello\"; escape \\ as \\\\");
          ok = false;
        }
      } else {
        ok = false;
      }
    }
    if (!reader_.optional_flag(table, "initially", check.initially)) ok = false;
    if (const auto* value = table.get("within")) {
      check.within_us = parse_duration(*value, "within");
      if (!check.within_us) ok = false;
    }
    if (const auto* value = table.get("name")) {
      auto name = reader_.string(*value, "name");
      if (name && name->empty()) {
        diagnostics_.error(reader_.at(*value), "check name is empty");
        ok = false;
      } else if (name) {
        check.name = *name;
      } else {
        ok = false;
      }
    } else {
      check.name = derived;
      if (check.nodes.size() == 1 && node && node->is_string())
        check.name += " on " + check.nodes[0];
    }
    if (!ok) return std::nullopt;
    return check;
  }

  bool check_ping_target(const toml::node& where, const std::string& target) {
    if (IpAddress::parse(target)) return true;
    if (lab_.find_node(target)) return true;
    // /etc/hosts also names each interface: "h2-eth1".
    for (const auto& name : node_names_)
      if (target.rfind(name + "-", 0) == 0 && target.size() > name.size() + 1) return true;
    diagnostics_.error(reader_.at(where),
                       "ping target " + in_quotes(target) + " is neither a node nor an address",
                       did_you_mean(target, node_names_));
    return false;
  }

  // --- [[steps]] ---

  void parse_steps(const toml::node& node) {
    for (auto [number, table] : reader_.tables(node, "steps", "write each step as [[steps]]")) {
      if (auto step = parse_step(*table, number)) lab_.steps.push_back(std::move(*step));
    }
  }

  std::optional<Step> parse_step(const toml::table& table, size_t number) {
    Step step;
    SourceLocation where = reader_.at(table);
    step.line = where.line;
    step.column = where.column;
    std::string label = "step " + std::to_string(number);
    std::vector<std::string> actions;
    for (const auto& action : kStepActions)
      if (table.get(action)) actions.push_back(action);
    if (actions.empty()) {
      reader_.check_keys(table, all_step_keys(), "in " + label);
      diagnostics_.error(where, label + " does nothing",
                         "give it one of: link = \"NODE:IF\", run = \"COMMAND\", wait = "
                         "\"DURATION\", check = [\"CHECK\"]");
      return std::nullopt;
    }
    if (actions.size() > 1) {
      diagnostics_.error(
          reader_.at(*table.get(actions[1])),
          label + " has both " + in_quotes(actions[0]) + " and " + in_quotes(actions[1]),
          "one action per step: split it into two [[steps]]");
      return std::nullopt;
    }
    const std::string& action = actions[0];
    const auto& allowed = action == "link"   ? kLinkStepKeys
                          : action == "run"  ? kRunStepKeys
                          : action == "wait" ? kWaitStepKeys
                                             : kCheckStepKeys;
    bool ok = check_step_keys(table, allowed, action, label);
    std::string derived;
    if (action == "link") {
      step.kind = Step::Kind::Link;
      ok = parse_link_step(table, step, label, derived) && ok;
    } else if (action == "run") {
      step.kind = Step::Kind::Run;
      ok = parse_run_step(table, step, label, derived) && ok;
    } else if (action == "wait") {
      step.kind = Step::Kind::Wait;
      auto value = parse_duration(*table.get("wait"), "wait");
      if (value) {
        step.wait_us = *value;
        derived = "wait " + table.get("wait")->as_string()->get();
      } else {
        ok = false;
      }
    } else {
      step.kind = Step::Kind::Check;
      ok = parse_check_step(*table.get("check"), step, derived) && ok;
    }
    if (const auto* value = table.get("name")) {
      if (auto name = reader_.string(*value, "name"))
        step.name = *name;
      else
        ok = false;
    } else {
      step.name = derived;
    }
    if (!ok) return std::nullopt;
    return step;
  }

  static std::vector<std::string> all_step_keys() {
    std::vector<std::string> keys;
    for (const auto* list : {&kLinkStepKeys, &kRunStepKeys, &kWaitStepKeys, &kCheckStepKeys})
      for (const auto& key : *list)
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    return keys;
  }

  bool check_step_keys(const toml::table& table, const std::vector<std::string>& allowed,
                       const std::string& action, const std::string& label) {
    auto everything = all_step_keys();
    bool ok = true;
    for (const auto& [key, value] : TomlReader::in_file_order(table)) {
      std::string name(key->str());
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      ok = false;
      if (std::find(everything.begin(), everything.end(), name) != everything.end())
        diagnostics_.error(reader_.at(*key),
                           in_quotes(name)
                               .append(" does not belong in a ")
                               .append(action)
                               .append(" step (")
                               .append(label)
                               .append(")"),
                           "one action per step: split it into two [[steps]]");
      else
        diagnostics_.error(reader_.at(*key), "unknown key " + in_quotes(name) + " in " + label,
                           did_you_mean(name, allowed));
    }
    return ok;
  }

  bool parse_link_step(const toml::table& table, Step& step, const std::string& label,
                       std::string& derived) {
    const auto& link_node = *table.get("link");
    auto text = reader_.string(link_node, "link");
    if (!text) return false;
    // Where a wrong interface is reported, once interfaces have their names.
    step.line = reader_.at(link_node).line;
    step.column = reader_.at(link_node).column;
    bool ok = true;
    auto colon = text->find(':');
    std::string owner = text->substr(0, colon);
    if (colon == std::string::npos || colon + 1 == text->size()) {
      diagnostics_.error(reader_.at(link_node), "link " + in_quotes(*text) + " names no interface",
                         "write NODE:INTERFACE, e.g. \"r1:eth0\"");
      ok = false;
    } else if (!lab_.find_node(owner) && !lab_.find_bridge(owner)) {
      std::vector<std::string> names = node_names_;
      for (const auto& bridge : lab_.bridges) names.push_back(bridge.name);
      diagnostics_.error(
          reader_.at(link_node),
          "link " + in_quotes(*text) + ": " + in_quotes(owner) + " names no node or bridge",
          did_you_mean(owner, names));
      ok = false;
    }
    step.link = *text;
    derived = *text;
    bool changes = false;
    if (const auto* value = table.get("state")) {
      changes = true;
      auto state = reader_.string(*value, "state");
      if (state == "up" || state == "down") {
        step.up = *state == "up";
        derived += " " + *state;
      } else {
        if (state)
          diagnostics_.error(reader_.at(*value),
                             "state " + in_quotes(*state) + " is not up or down",
                             "write state = \"down\" or state = \"up\"");
        ok = false;
      }
    }
    if (const auto* value = table.get("rate")) {
      changes = true;
      auto rate = reader_.string(*value, "rate");
      if (rate && parse_rate(*rate)) {
        step.rate = *rate;
        derived += " rate " + *rate;
      } else {
        if (rate)
          diagnostics_.error(reader_.at(*value), "malformed rate " + in_quotes(*rate),
                             "write a positive number and a unit: bit, kbit, mbit, gbit (bits/s) "
                             "or bps, kbps, mbps, gbps (bytes/s), e.g. \"10mbit\"");
        ok = false;
      }
    }
    for (const char* key : {"delay", "jitter"}) {
      const auto* value = table.get(key);
      if (!value) continue;
      changes = true;
      if (parse_duration(*value, key)) {
        std::string written = value->as_string()->get();
        (std::string_view(key) == "delay" ? step.delay : step.jitter) = written;
        derived += std::string(" ") + key + " " + written;
      } else {
        ok = false;
      }
    }
    if (const auto* value = table.get("loss")) {
      changes = true;
      auto loss = reader_.string(*value, "loss");
      auto percent = loss ? parse_percent(*loss) : std::nullopt;
      if (percent && *percent <= 100) {
        step.loss = *loss;
        derived += " loss " + *loss;
      } else {
        if (loss && !percent)
          diagnostics_.error(reader_.at(*value), "malformed loss " + in_quotes(*loss),
                             "write a percentage, e.g. \"1%\" or \"0.5%\"");
        else if (loss)
          diagnostics_.error(reader_.at(*value),
                             "loss " + in_quotes(*loss) + " is outside 0..100%");
        ok = false;
      }
    }
    for (const char* key : {"blackhole", "clear"}) {
      const auto* value = table.get(key);
      if (!value) continue;
      changes = true;
      auto flag = reader_.boolean(*value, key);
      if (flag == true) {
        (std::string_view(key) == "blackhole" ? step.blackhole : step.clear) = true;
        derived += std::string(" ") + key;
      } else {
        if (flag)
          diagnostics_.error(reader_.at(*value), std::string(key) + " = false does nothing",
                             std::string_view(key) == "blackhole"
                                 ? "to end a blackhole, write clear = true"
                                 : "leave it out, or write clear = true");
        ok = false;
      }
    }
    if (!changes) {
      diagnostics_.error(reader_.at(table), label + " changes nothing on link " + in_quotes(*text),
                         "add state = \"down\", rate, delay, jitter, loss, blackhole = true or "
                         "clear = true");
      ok = false;
    }
    return ok;
  }

  bool parse_run_step(const toml::table& table, Step& step, const std::string& label,
                      std::string& derived) {
    bool ok = true;
    auto run = parse_command(*table.get("run"), "run");
    if (run)
      step.run = *run;
    else
      ok = false;
    if (const auto* value = table.get("node")) {
      if (value->is_string() && value->as_string()->get() == "*") {
        diagnostics_.error(reader_.at(*value), "a run step runs in one node, not \"*\"",
                           "write one [[steps]] per node");
        ok = false;
      } else if (auto name = reader_.string(*value, "node")) {
        if (known_node(reader_.at(*value), *name, "step node"))
          step.node = *name;
        else
          ok = false;
      } else {
        ok = false;
      }
    } else {
      diagnostics_.error(reader_.at(table), label + " has no 'node' to run in",
                         "write node = \"h1\"");
      ok = false;
    }
    if (!reader_.optional_flag(table, "background", step.background)) ok = false;
    if (const auto* value = table.get("timeout")) {
      if (step.background) {
        diagnostics_.error(reader_.at(*value), "a background step has no 'timeout'",
                           "it runs until the lab goes down");
        ok = false;
      } else if (auto timeout = parse_duration(*value, "timeout")) {
        step.timeout_us = *timeout;
      } else {
        ok = false;
      }
    }
    derived = step.node + ": " + step.run;
    return ok;
  }

  bool parse_check_step(const toml::node& node, Step& step, std::string& derived) {
    std::vector<const toml::node*> items;
    if (const auto* array = node.as_array()) {
      for (const auto& element : *array) items.push_back(&element);
      if (array->empty()) {
        diagnostics_.error(reader_.at(node), "'check' is empty",
                           "name the checks to run again, or \"*\" for all");
        return false;
      }
    } else {
      items.push_back(&node);
    }
    std::vector<std::string> known;
    for (const auto& check : lab_.checks) known.push_back(check.name);
    bool ok = true;
    for (const auto* item : items) {
      auto name = reader_.string(*item, "check");
      if (!name) {
        ok = false;
      } else if (*name == "*") {
        step.checks.insert(step.checks.end(), known.begin(), known.end());
      } else if (std::find(known.begin(), known.end(), *name) == known.end()) {
        diagnostics_.error(
            reader_.at(*item), "no check is named " + in_quotes(*name),
            known.empty() ? "define it under [[checks]]" : did_you_mean(*name, known));
        ok = false;
      } else {
        step.checks.push_back(*name);
      }
    }
    derived = "check";
    for (const auto& name : step.checks) derived += (derived == "check" ? " " : ", ") + name;
    return ok;
  }

  // --- [collect] ---

  void parse_collect(const toml::node& node) {
    const auto* table = reader_.table(node, "collect");
    if (!table) return;
    reader_.check_keys(*table, kCollectKeys, "in [collect]");
    for (const char* key : {"files", "commands"}) {
      const auto* value = table->get(key);
      if (!value) continue;
      const auto* per_node = reader_.table(*value, key);
      if (!per_node) continue;
      bool files = std::string_view(key) == "files";
      auto& out = files ? lab_.collect.files : lab_.collect.commands;
      for (const auto& [name_key, items] : TomlReader::in_file_order(*per_node)) {
        std::string name(name_key->str());
        std::vector<std::string> nodes;
        if (name == "*")
          nodes = node_names_;
        else if (known_node(reader_.at(*name_key), name, "collect node"))
          nodes.push_back(name);
        std::vector<const toml::node*> list;
        if (const auto* array = items->as_array()) {
          for (const auto& element : *array) list.push_back(&element);
        } else {
          list.push_back(items);
        }
        for (const auto* item : list) {
          std::string label = "collect." + std::string(key) + "." + name;
          auto text = files ? reader_.string(*item, label) : parse_command(*item, label);
          if (!text) continue;
          if (files && (text->empty() || (*text)[0] != '/')) {
            diagnostics_.error(reader_.at(*item),
                               in_quotes(*text) + " in [collect] files must be an absolute path");
            continue;
          }
          for (const auto& each : nodes) out.emplace_back(each, *text);
        }
      }
    }
  }

  TomlReader& reader_;
  Diagnostics& diagnostics_;
  Lab& lab_;
  std::vector<std::string> node_names_;
};

}  // namespace

void parse_experiment(const toml::table& document, TomlReader& reader, Lab& lab) {
  ExperimentParser(reader, lab).parse(document);
}

void check_experiment_links(const Lab& lab, const std::string& file, Diagnostics& diagnostics) {
  for (const auto& step : lab.steps) {
    if (step.kind != Step::Kind::Link) continue;
    auto colon = step.link.find(':');
    std::string owner = step.link.substr(0, colon);
    std::string interface = step.link.substr(colon + 1);
    std::vector<std::string> interfaces;
    for (const auto& link : lab.links)
      for (const auto& end : link.ends)
        if (end.owner == owner) interfaces.push_back(end.interface);
    if (std::find(interfaces.begin(), interfaces.end(), interface) != interfaces.end()) continue;
    std::string hint = did_you_mean(interface, interfaces);
    if (hint.empty()) {
      for (const auto& each : interfaces) hint += (hint.empty() ? "its interfaces: " : ", ") + each;
      if (hint.empty()) hint = in_quotes(owner) + " has no links";
    }
    diagnostics.error(SourceLocation{file, step.line, step.column},
                      "link step " + in_quotes(step.name) + ": " + in_quotes(owner) +
                          " has no interface " + in_quotes(interface),
                      hint);
  }
}

}  // namespace nettopo::topology
