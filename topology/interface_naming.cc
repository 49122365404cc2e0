#include "topology/interface_naming.h"

#include <map>
#include <set>

#include "topology/diagnostic.h"
#include "topology/name_rules.h"

namespace nettopo::topology {

void assign_interface_names(Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  // owner -> interface names taken on it, with the line that took it
  std::map<std::string, std::map<std::string, int>> taken;
  for (size_t l = 0; l < lab.links.size(); ++l) {
    for (int e = 0; e < 2; ++e) {
      const auto& end = lab.links[l].ends[e];
      const auto& where = source.links[l].ends[e].where;
      if (end.interface.empty()) continue;
      if (end.kind == EndpointKind::Bridge && end.interface == bridge_device_name(end.owner)) {
        diagnostics.error(where,
                          "interface " + in_quotes(end.owner + ":" + end.interface) +
                              " has the name of the bridge device in " + in_quotes(end.owner),
                          "name the port differently, or leave the name out");
        continue;
      }
      auto [it, inserted] = taken[end.owner].emplace(end.interface, where.line);
      if (!inserted) {
        diagnostics.error(
            where,
            "interface " + in_quotes(end.owner + ":" + end.interface) + " is used by two links",
            "it is also used at line " + std::to_string(it->second));
      }
    }
  }

  // The bridge device lives in the bridge's namespace beside its ports: no port may take its name.
  for (const auto& bridge : lab.bridges)
    taken[bridge.name].emplace(bridge_device_name(bridge.name), 0);

  std::map<std::string, int> next_eth;    // node -> next N to try for ethN
  std::map<std::string, int> port_count;  // bridge -> ports seen so far
  for (size_t l = 0; l < lab.links.size(); ++l) {
    auto& link = lab.links[l];
    for (int e = 0; e < 2; ++e) {
      auto& end = link.ends[e];
      if (end.kind != EndpointKind::Node || !end.interface.empty()) continue;
      auto& used = taken[end.owner];
      int& n = next_eth[end.owner];
      while (used.count("eth" + std::to_string(n))) ++n;
      end.interface = "eth" + std::to_string(n);
      used.emplace(end.interface, 0);
    }
    // Bridge ports after both node ends are named, so "<node>-<ifname>" can use the peer's name.
    for (int e = 0; e < 2; ++e) {
      auto& end = link.ends[e];
      if (end.kind != EndpointKind::Bridge) continue;
      int port = port_count[end.owner]++;
      if (!end.interface.empty()) continue;
      auto& used = taken[end.owner];
      const auto& peer = link.ends[1 - e];
      std::string candidate = peer.owner + "-" + peer.interface;
      if (peer.kind != EndpointKind::Node || candidate.size() > kMaxInterfaceNameLength ||
          used.count(candidate)) {
        // "p<N>" holds no '-', so it cannot collide with a generated "<node>-<ifname>"; the loop
        // steps over explicit names and the bridge device ("p0" for a bridge called p0).
        do candidate = "p" + std::to_string(port++);
        while (used.count(candidate));
      }
      end.interface = candidate;
      used.emplace(candidate, 0);
    }
  }
}

}  // namespace nettopo::topology
