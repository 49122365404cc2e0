// link set and link show: change a running lab's links, and read them back from the kernel.

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/cli/command.h"
#include "core/cli/interface_json.h"
#include "core/link_control.h"
#include "core/link_state.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo::cli {
namespace {

struct LinkOptions {
  std::optional<std::string> lab;
  std::string endpoint;
  std::string target;  // show: NODE or NODE:IF
  std::optional<std::string> state;
  LinkChange change;
  bool json = false;
};
LinkOptions options;
CLI::App* set_command = nullptr;
CLI::App* show_command = nullptr;

std::string owner_of(const std::string& endpoint) {
  auto colon = endpoint.rfind(':');
  return colon == std::string::npos ? endpoint : endpoint.substr(0, colon);
}

// The lab meant when no node names it: --lab, or the only one running.
std::string only_lab() {
  if (options.lab) return load_running_lab(*options.lab).dir.lab();
  auto labs = list_labs();
  if (labs.size() == 1) return labs.front();
  if (labs.empty()) throw UsageError("no lab is up: start one with nettopo up LAB.toml");
  throw UsageError("several labs are up (" + describe_running_labs() + "): choose one with --lab");
}

int link_set() {
  require_root("nettopo link set", "it changes interfaces inside the lab's namespaces");
  if (options.state) {
    if (*options.state != "up" && *options.state != "down")
      throw UsageError("link set: '" + *options.state + "' is neither up nor down");
    options.change.up = *options.state == "up";
  }
  const LinkChange& change = options.change;
  if (!change.up && !change.clear && !change.rate && !change.delay && !change.jitter &&
      !change.loss && !change.blackhole)
    throw UsageError(
        "link set " + options.endpoint +
        ": nothing to change (give down, up, --rate, --delay, --jitter, --loss, --blackhole or "
        "--clear)");
  RunningLab lab = load_running_lab(find_lab_of(options.lab, owner_of(options.endpoint)));
  apply_link_change(lab, options.endpoint, change);
  return 0;
}

// Where each link end leads: "h1:eth0" -> "r1:eth0".
std::map<std::string, topology::Endpoint> peers_of(const topology::Lab& model) {
  std::map<std::string, topology::Endpoint> peers;
  for (const auto& link : model.links) {
    peers[link.ends[0].owner + ":" + link.ends[0].interface] = link.ends[1];
    peers[link.ends[1].owner + ":" + link.ends[1].interface] = link.ends[0];
  }
  return peers;
}

std::string counters_line(const netlink::LinkCounters& counters) {
  return "rx " + std::to_string(counters.rx_packets) + " packets " +
         std::to_string(counters.rx_bytes) + " bytes " + std::to_string(counters.rx_dropped) +
         " dropped, tx " + std::to_string(counters.tx_packets) + " packets " +
         std::to_string(counters.tx_bytes) + " bytes " + std::to_string(counters.tx_dropped) +
         " dropped";
}

std::string qdisc_line(const netlink::QdiscInfo& qdisc) {
  std::string line =
      "qdisc " + qdisc.kind + " " + tc_handle(qdisc.handle) + " parent " + tc_handle(qdisc.parent);
  if (qdisc.tbf)
    line += " rate " + format_rate(qdisc.tbf->rate_bytes_per_second * 8) + " burst " +
            std::to_string(qdisc.tbf->burst_bytes) + "b limit " +
            std::to_string(qdisc.tbf->limit_bytes) + "b";
  if (qdisc.netem)
    line += " delay " + format_duration_us(qdisc.netem->delay_us) + " jitter " +
            format_duration_us(qdisc.netem->jitter_us) + " loss " +
            format_percent(qdisc.netem->loss_percent);
  line += ": " + std::to_string(qdisc.packets) + " packets " + std::to_string(qdisc.bytes) +
          " bytes, " + std::to_string(qdisc.drops) + " dropped, " +
          std::to_string(qdisc.overlimits) + " overlimits";
  return line;
}

int link_show() {
  require_root("nettopo link show", "it reads the interfaces inside the lab's namespaces");
  std::string target_owner = options.target.empty() ? "" : owner_of(options.target);
  std::string target_interface = options.target.find(':') == std::string::npos
                                     ? ""
                                     : options.target.substr(options.target.rfind(':') + 1);
  RunningLab lab =
      load_running_lab(target_owner.empty() ? only_lab() : find_lab_of(options.lab, target_owner));
  std::vector<std::string> owners;
  if (!target_owner.empty()) {
    owners.push_back(target_owner);
  } else {
    for (const auto& node : lab.model.nodes) owners.push_back(node.name);
    for (const auto& bridge : lab.model.bridges) owners.push_back(bridge.name);
  }
  auto peers = peers_of(lab.model);
  // Every namespace read once: those shown and those at the other end of their links.
  std::map<std::string, NamespaceState> states;
  auto state_of = [&](const std::string& name) -> const NamespaceState& {
    auto found = states.find(name);
    if (found == states.end()) found = states.emplace(name, read_namespace_state(lab, name)).first;
    return found->second;
  };
  nlohmann::json shown = nlohmann::json::array();
  bool found_interface = target_interface.empty();
  for (const auto& owner : owners) {
    const NamespaceState& state = state_of(owner);
    if (state.error) throw Error("lab " + lab.dir.lab() + ": read " + owner + ": " + *state.error);
    for (const auto& interface : state.interfaces) {
      if (!target_interface.empty() && interface.name() != target_interface) continue;
      found_interface = true;
      std::string label = owner + ":" + interface.name();
      nlohmann::json json = interface_json(interface, true);
      json["node"] = owner;
      std::optional<EndImpairments> impairments;
      auto peer = peers.find(label);
      if (peer != peers.end()) {
        const NamespaceState& peer_state = state_of(peer->second.owner);
        impairments = impairments_of(interface, peer_state.find(peer->second.interface));
        json["peer"] = peer->second.owner + ":" + peer->second.interface;
        json["impairments"] = impairments_json(*impairments);
      }
      if (options.json) {
        shown.push_back(json);
        continue;
      }
      std::cout << label;
      if (peer != peers.end()) std::cout << " -> " << json["peer"].get<std::string>();
      std::cout << "  " << interface.status.oper_state
                << (interface.status.carrier ? "" : " (no carrier)") << "  mtu "
                << interface.status.link.mtu;
      for (const auto& address : interface.addresses) std::cout << "  " << address.to_string();
      std::cout << "\n    " << counters_line(interface.status.counters) << "\n";
      for (const auto& qdisc : interface.qdiscs) std::cout << "    " << qdisc_line(qdisc) << "\n";
      for (const auto& filter : interface.ingress_filters)
        std::cout << "    filter ingress " << filter.kind << " '" << filter.name << "'"
                  << (filter.direct_action ? " direct-action" : "") << " id " << filter.program_id
                  << "\n";
      if (impairments && !impairments->empty())
        std::cout << "    sends with: " << describe(*impairments) << "\n";
    }
  }
  if (!found_interface)
    throw UsageError("lab " + lab.dir.lab() + ": " + target_owner + " has no interface " +
                     target_interface);
  if (options.json)
    std::cout << nlohmann::json{{"schema_version", 1},
                                {"lab", lab.dir.lab()},
                                {"interfaces", shown}}
                     .dump(2)
              << "\n";
  return 0;
}

int link_command(const GlobalOptions&) {
  if (set_command && set_command->parsed()) return link_set();
  return link_show();
}

}  // namespace

std::vector<Command> link_commands() {
  return {
      {"link", "Change a running lab's links (set) or read them from the kernel (show)",
       [](CLI::App& app) {
         app.require_subcommand(1);
         set_command = app.add_subcommand(
             "set", "Set a link end down or up, or change its rate, delay, jitter, loss");
         set_command->add_option("--lab,-l", options.lab,
                                 "the lab (needed only when several labs have NODE)");
         set_command
             ->add_option("endpoint", options.endpoint,
                          "NODE:INTERFACE, a node's interface or a bridge's port")
             ->required();
         set_command->add_option("state", options.state, "down or up");
         set_command->add_option("--rate", options.change.rate, "rate limit, e.g. 10mbit");
         set_command->add_option("--delay", options.change.delay, "delay, e.g. 20ms (netem)");
         set_command->add_option("--jitter", options.change.jitter, "jitter, e.g. 5ms (netem)");
         set_command->add_option("--loss", options.change.loss, "random loss, e.g. 20%");
         set_command->add_flag("--blackhole", options.change.blackhole,
                               "drop every packet silently; the carrier stays up");
         set_command->add_flag("--clear", options.change.clear,
                               "back to the lab file's values (before the other options)");
         set_command->add_flag("--one-way", options.change.one_way,
                               "impair only what NODE:INTERFACE sends (default: both ways)");
         set_command->footer(
             "A value of none removes that impairment. Impairments apply to both directions of\n"
             "the link unless --one-way; down and up act on the interface named (a veth's peer\n"
             "loses its carrier too).\n"
             "Examples:\n"
             "  sudo nettopo link set r2:eth1 down\n"
             "  sudo nettopo link set r1:eth0 --rate 10mbit --loss 1%\n"
             "  sudo nettopo link set r1:eth0 --blackhole\n"
             "  sudo nettopo link set r1:eth0 --clear");
         show_command = app.add_subcommand(
             "show", "Interfaces as the kernel has them: state, addresses, qdiscs, counters");
         show_command->add_option("--lab,-l", options.lab, "the lab");
         show_command->add_option("target", options.target,
                                  "NODE or NODE:INTERFACE (default: all)");
         add_format_option(*show_command, options.json);
         show_command->footer("Example: sudo nettopo link show r1:eth0");
       },
       link_command},
  };
}

}  // namespace nettopo::cli
