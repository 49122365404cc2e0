// status: what runs, as a table or as JSON.

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/cli/command.h"
#include "core/running_lab.h"
#include "core/sys/error.h"

namespace nettopo::cli {
namespace {

struct StatusOptions {
  std::optional<std::string> lab;
  bool json = false;
};
StatusOptions options;

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
  std::map<std::string, nlohmann::json> interfaces;
  for (const auto& link : running.model.links)
    for (const auto& end : link.ends) {
      nlohmann::json addresses = nlohmann::json::array();
      for (const auto& address : end.addresses) addresses.push_back(address.to_string());
      interfaces[end.owner].push_back({{"name", end.interface}, {"addresses", addresses}});
    }
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& init : running.journal.inits) {
    nodes.push_back({{"name", init.name},
                     {"kind", running.is_bridge(init.name) ? "bridge" : "node"},
                     {"pid", init.process.pid},
                     {"running", init.process.alive()},
                     {"interfaces", interfaces.count(init.name) ? interfaces[init.name]
                                                                : nlohmann::json::array()}});
  }
  lab["nodes"] = nodes;
  nlohmann::json programs = nlohmann::json::array();
  for (const auto& program : running.journal.programs) {
    const topology::Node* node = running.model.find_node(program.node);
    std::string command =
        node && program.index < static_cast<int>(node->run.size()) ? node->run[program.index] : "";
    programs.push_back({{"node", program.node},
                        {"command", command},
                        {"pid", program.process.pid},
                        {"running", program.process.alive()},
                        {"log", (running.dir.log_dir(program.node) /
                                 ("run-" + std::to_string(program.index) + ".log"))
                                    .string()}});
  }
  lab["programs"] = programs;
  return lab;
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
    for (const auto& interface : node["interfaces"]) {
      std::cout << "  " << interface["name"].get<std::string>();
      for (const auto& address : interface["addresses"])
        std::cout << " " << address.get<std::string>();
    }
    std::cout << "\n";
  }
  for (const auto& program : lab["programs"])
    std::cout << "  program " << program["node"].get<std::string>() << ": `"
              << program["command"].get<std::string>() << "`  pid " << program["pid"].get<int>()
              << "  " << (program["running"].get<bool>() ? "running" : "exited") << "\n";
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
    std::cout << nlohmann::json{{"labs", labs}}.dump(2) << "\n";
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
      {"status", "Show running labs: nodes, init PIDs, interfaces, addresses, programs",
       [](CLI::App& app) {
         app.add_option("--lab,-l", options.lab, "only this lab");
         app.add_flag("--json", options.json, "machine-readable output");
         app.footer("Example: sudo nettopo status --json | jq '.labs[].nodes[].name'");
       },
       status},
  };
}

}  // namespace nettopo::cli
