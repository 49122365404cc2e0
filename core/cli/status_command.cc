// status: what runs and what the network is now, read from the kernel, as a table or as JSON.

#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/cli/command.h"
#include "core/cli/interface_json.h"
#include "core/link_state.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo::cli {
namespace {

// Bumped when a field changes meaning or goes away; new fields may appear without it.
constexpr int kStatusSchemaVersion = 1;

struct StatusOptions {
  std::optional<std::string> lab;
  bool json = false;
};
StatusOptions options;

// How the programs of `node` that ended did: start time -> shell-style exit status, from the
// exit log its init keeps ("exit PID START STATUS" per line).
std::map<uint64_t, int> exits_of(const RuntimeDir& dir, const std::string& node) {
  std::map<uint64_t, int> exits;
  std::ifstream file(dir.exit_log(node));
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream words(line);
    std::string word;
    long pid = 0;
    uint64_t start = 0;
    int status = 0;
    if (words >> word >> pid >> start >> status && word == "exit" && start != 0)
      exits[start] = status;
  }
  return exits;
}

// lo is shown only when something was added to it (a router ID, an anycast address).
bool worth_showing(const InterfaceState& interface) {
  if (interface.name() != "lo") return true;
  for (const auto& address : interface.addresses) {
    std::string text = address.to_string();
    if (text != "127.0.0.1/8" && text != "::1/128") return true;
  }
  return false;
}

nlohmann::json describe(const std::string& name) {
  nlohmann::json lab = {{"name", name}};
  RunningLab running = [&] {
    try {
      return load_running_lab(name);
    } catch (const Error&) {
      // An up still under way, or one that was killed: report what the journal knows.
      RuntimeDir dir(name);
      return RunningLab{dir, topology::Lab{}, Journal::read(dir.journal())};
    }
  }();
  lab["source"] = running.model.source_file;
  lab["complete"] = running.journal.complete;
  lab["state"] = to_string(build_state(running.journal));

  std::map<std::string, NamespaceState> states;
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& init : running.journal.inits) {
    bool alive = init.process.alive();
    nlohmann::json node = {{"name", init.name},
                           {"kind", running.is_bridge(init.name) ? "bridge" : "node"},
                           {"pid", init.process.pid},
                           {"running", alive}};
    nlohmann::json interfaces = nlohmann::json::array();
    if (alive && running.journal.complete) {
      NamespaceState state = read_namespace_state(running, init.name);
      if (state.error) node["error"] = *state.error;
      for (const auto& interface : state.interfaces)
        if (worth_showing(interface)) interfaces.push_back(interface_json(interface, false));
      states.emplace(init.name, std::move(state));
    }
    node["interfaces"] = interfaces;
    // A router's identity, as the lab file resolved it: what its name resolves to, its AS.
    if (const topology::Node* model = running.model.find_node(init.name);
        model && (!model->kind.empty() || !model->loopbacks.empty() || model->asn)) {
      nlohmann::json loopbacks = nlohmann::json::array();
      for (const auto& loopback : model->loopbacks) loopbacks.push_back(loopback.to_string());
      node["routing"] = {{"kind", model->kind},
                         {"loopbacks", loopbacks},
                         {"asn", model->asn ? nlohmann::json(*model->asn) : nlohmann::json()}};
    }
    nodes.push_back(node);
  }
  lab["nodes"] = nodes;

  nlohmann::json programs = nlohmann::json::array();
  std::map<std::string, std::map<uint64_t, int>> exits;
  for (const auto& program : running.journal.programs) {
    const topology::Node* node = running.model.find_node(program.node);
    std::string command =
        node && program.index < static_cast<int>(node->run.size()) ? node->run[program.index] : "";
    bool alive = program.process.alive();
    nlohmann::json exit_status;  // null while it runs, or when its init did not say
    if (!alive) {
      if (!exits.count(program.node)) exits[program.node] = exits_of(running.dir, program.node);
      auto found = exits[program.node].find(program.process.start_time);
      if (found != exits[program.node].end()) exit_status = found->second;
    }
    programs.push_back({{"node", program.node},
                        {"index", program.index},
                        {"command", command},
                        {"pid", program.process.pid},
                        {"running", alive},
                        {"exit_status", exit_status},
                        {"log", (running.dir.log_dir(program.node) /
                                 ("run-" + std::to_string(program.index) + ".log"))
                                    .string()}});
  }
  lab["programs"] = programs;

  nlohmann::json links = nlohmann::json::array();
  for (const auto& link : running.model.links) {
    nlohmann::json ends = nlohmann::json::array();
    const InterfaceState* interfaces[2] = {nullptr, nullptr};
    for (int i = 0; i < 2; ++i) {
      auto state = states.find(link.ends[i].owner);
      if (state != states.end()) interfaces[i] = state->second.find(link.ends[i].interface);
    }
    for (int i = 0; i < 2; ++i) {
      const auto& end = link.ends[i];
      nlohmann::json json = {{"endpoint", end.owner + ":" + end.interface}};
      if (interfaces[i]) {
        json["oper_state"] = interfaces[i]->status.oper_state;
        json["carrier"] = interfaces[i]->status.carrier;
        json["impairments"] = impairments_json(impairments_of(*interfaces[i], interfaces[1 - i]));
      } else {
        json["oper_state"] = "MISSING";
        json["carrier"] = false;
        json["impairments"] = nlohmann::json::object();
      }
      ends.push_back(json);
    }
    // Up when both ends have a carrier (IFLA_CARRIER, set at once): the oper state follows it
    // through the kernel's linkwatch, up to a second late.
    auto carries = [](const nlohmann::json& end) { return end["carrier"] == true; };
    bool up = carries(ends[0]) && carries(ends[1]);
    links.push_back({{"ends", ends}, {"up", up}});
  }
  lab["links"] = links;
  return lab;
}

std::string impairment_words(const nlohmann::json& impairments) {
  std::vector<std::string> words;
  for (const auto& [key, value] : impairments.items())
    words.push_back(value.is_boolean() ? key : key + " " + value.get<std::string>());
  return fmt::format("{}", fmt::join(words, ", "));
}

void print_table(const nlohmann::json& lab) {
  size_t running = 0;
  for (const auto& node : lab["nodes"]) running += node["running"].get<bool>() ? 1 : 0;
  std::cout << "lab " << lab["name"].get<std::string>();
  if (!lab["source"].get<std::string>().empty())
    std::cout << " (" << lab["source"].get<std::string>() << ")";
  std::cout << ": " << running << " of " << lab["nodes"].size() << " namespaces running"
            << (lab["state"] == "complete"   ? ""
                : lab["state"] == "building" ? ", still being built: its up is running"
                                             : ", up did not finish: take it down")
            << "\n";
  for (const auto& node : lab["nodes"]) {
    std::cout << "  " << (node["kind"] == "bridge" ? "bridge " : "node   ")
              << node["name"].get<std::string>() << "  pid " << node["pid"].get<int>() << "  "
              << (node["running"].get<bool>() ? "running" : "gone");
    if (node["kind"] != "bridge")
      for (const auto& interface : node["interfaces"]) {
        std::cout << "  " << interface["name"].get<std::string>();
        if (interface["oper_state"] != "UP")
          std::cout << " " << interface["oper_state"].get<std::string>();
        for (const auto& address : interface["addresses"])
          std::cout << " " << address.get<std::string>();
      }
    if (node.contains("routing")) {
      const auto& routing = node["routing"];
      if (!routing["kind"].get<std::string>().empty())
        std::cout << "  kind " << routing["kind"].get<std::string>();
      if (!routing["asn"].is_null()) std::cout << "  AS " << routing["asn"].get<uint32_t>();
    }
    if (node.contains("error")) std::cout << "  (" << node["error"].get<std::string>() << ")";
    std::cout << "\n";
  }
  for (const auto& program : lab["programs"]) {
    std::cout << "  program " << program["node"].get<std::string>() << ": `"
              << program["command"].get<std::string>() << "`  pid " << program["pid"].get<int>()
              << "  ";
    if (program["running"].get<bool>())
      std::cout << "running";
    else if (program["exit_status"].is_null())
      std::cout << "exited";
    else
      std::cout << "exited with status " << program["exit_status"].get<int>();
    std::cout << "\n";
  }
  for (const auto& link : lab["links"]) {
    const auto& a = link["ends"][0];
    const auto& b = link["ends"][1];
    std::string state = link["up"].get<bool>() ? "up" : "DOWN";
    std::cout << "  link " << a["endpoint"].get<std::string>() << " <-> "
              << b["endpoint"].get<std::string>() << "  " << state;
    if (!link["up"].get<bool>())
      std::cout << " (" << a["oper_state"].get<std::string>() << "/"
                << b["oper_state"].get<std::string>() << ")";
    std::string forward = impairment_words(a["impairments"]);
    std::string backward = impairment_words(b["impairments"]);
    if (forward == backward && !forward.empty()) {
      std::cout << "  " << forward;
    } else {
      if (!forward.empty())
        std::cout << "  from " << a["endpoint"].get<std::string>() << ": " << forward;
      if (!backward.empty())
        std::cout << "  from " << b["endpoint"].get<std::string>() << ": " << backward;
    }
    std::cout << "\n";
  }
}

int status(const GlobalOptions&) {
  require_root("nettopo status", "a lab's runtime directory is readable by root only");
  std::vector<std::string> names;
  if (options.lab) {
    if (!RuntimeDir(*options.lab).holds_lab())
      throw UsageError("no lab named " + *options.lab +
                       " is up (running labs: " + describe_running_labs() + ")");
    names.push_back(*options.lab);
  } else {
    names = list_labs();
  }
  nlohmann::json labs = nlohmann::json::array();
  for (const auto& name : names) labs.push_back(describe(name));
  if (options.json) {
    std::cout << nlohmann::json{{"schema_version", kStatusSchemaVersion}, {"labs", labs}}.dump(2)
              << "\n";
  } else if (labs.empty()) {
    std::cout << "no lab is up\n";
  } else {
    for (const auto& lab : labs) print_table(lab);
  }
  return 0;
}

}  // namespace

std::vector<Command> status_commands() {
  return {
      {"status",
       "Show running labs as the kernel has them: nodes, programs and how they ended, "
       "interfaces with their state and addresses, links with their impairments",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab, "only this lab");
         add_format_option(app, options.json);
         app.footer(
             "Example: sudo nettopo status --format json | jq '.labs[].links[] | select(.up|not)'");
       },
       status},
  };
}

}  // namespace nettopo::cli
