#include "topology/host_names.h"

#include <map>

#include "topology/diagnostic.h"

namespace nettopo::topology {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

void check_host_names(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  // lowercased host name -> who has it, for messages
  std::map<std::string, std::string> owner_of;
  for (const char* loopback : {"localhost", "ip6-localhost", "ip6-loopback"})
    owner_of.emplace(loopback, "the loopback address");
  for (const auto& node : lab.nodes) {
    auto [it, inserted] = owner_of.emplace(lowercase(node.name), "node " + in_quotes(node.name));
    if (inserted) continue;
    if (it->second == "the loopback address") {
      diagnostics.error(
          node.where,
          "node name " + in_quotes(node.name) + " is what /etc/hosts calls the loopback address",
          "rename the node");
    } else {
      diagnostics.error(node.where,
                        "node name " + in_quotes(node.name) + " differs from " + it->second +
                            " only in case, and host names ignore case",
                        "rename one of them");
    }
  }
  for (size_t l = 0; l < lab.links.size(); ++l) {
    for (int e = 0; e < 2; ++e) {
      const Endpoint& end = lab.links[l].ends[e];
      if (end.kind != EndpointKind::Node) continue;
      std::string name = end.owner + "-" + end.interface;
      std::string label = "interface " + in_quotes(end.owner + ":" + end.interface);
      auto [it, inserted] = owner_of.emplace(lowercase(name), label);
      // The same interface twice is reported by assign_interface_names() already.
      if (inserted || it->second == label) continue;
      diagnostics.error(source.links[l].ends[e].where,
                        "the /etc/hosts name " + in_quotes(name) + " of " + label +
                            " is also the name of " + it->second,
                        "rename the node or the interface");
    }
  }
}

}  // namespace nettopo::topology
