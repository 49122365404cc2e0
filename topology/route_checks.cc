#include "topology/route_checks.h"

#include "topology/interfaces.h"

namespace nettopo::topology {

void check_routes(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    const Node& node = lab.nodes[n];
    auto interfaces = interfaces_of(lab, node.name);
    size_t written = 0;
    for (const auto& route : node.routes) {
      if (route.automatic) continue;
      const RouteSource& where = source.routes[n][written++];
      const Endpoint* device = nullptr;
      if (!route.device.empty()) {
        for (const auto* endpoint : interfaces)
          if (endpoint->interface == route.device) device = endpoint;
        if (!device) {
          std::string names;
          for (const auto* endpoint : interfaces)
            names += (names.empty() ? "" : ", ") + endpoint->interface;
          diagnostics.error(where.dev_where, "route device '" + route.device +
                                                 "' is not an interface of node '" + node.name + "'",
                            names.empty() ? "the node has no interfaces"
                                          : "its interfaces are " + names);
          continue;
        }
      }
      if (!route.via) continue;
      bool reachable = false;
      for (const auto* endpoint : interfaces) {
        if (device && endpoint != device) continue;
        for (const auto& address : endpoint->addresses)
          if (address.contains(*route.via)) reachable = true;
      }
      if (!reachable) {
        diagnostics.error(where.via_where,
                          "gateway " + route.via->to_string() + " of the route to " +
                              route.destination.to_string() + " is in no subnet directly connected to " +
                              (device ? "'" + node.name + ":" + device->interface + "'"
                                      : "node '" + node.name + "'"));
      }
    }
  }
}

}  // namespace nettopo::topology
