#include "topology/route_checks.h"

#include <fmt/ranges.h>

#include <map>
#include <tuple>

#include "topology/diagnostic.h"
#include "topology/interfaces.h"

namespace nettopo::topology {
namespace {

// The metric the kernel stores: IPv6 turns 0 into IP6_RT_PRIO_USER (1024).
uint32_t kernel_metric(const Route& route) {
  return route.destination.family() == IpFamily::V6 && route.metric == 0 ? 1024 : route.metric;
}

// The metric of the route the kernel adds for the subnet of an address: 0 for IPv4,
// IP6_RT_PRIO_ADDRCONF (256) for IPv6.
uint32_t connected_metric(IpFamily family) { return family == IpFamily::V6 ? 256 : 0; }

}  // namespace

const Endpoint* route_device(const Route& route, const std::vector<const Endpoint*>& interfaces) {
  for (const auto* endpoint : interfaces)
    if (!route.device.empty() && endpoint->interface == route.device) return endpoint;
  return nullptr;
}

void check_routes(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  auto interfaces_of_node = interfaces_of_nodes(lab);
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    const Node& node = lab.nodes[n];
    const auto& interfaces = interfaces_of_node[n];
    std::map<std::tuple<IpPrefix, uint32_t>, int> line_of;  // (destination, metric) -> line
    size_t written = 0;
    for (const auto& route : node.routes) {
      if (route.automatic) continue;
      const RouteSource& where = source.routes[n][written++];
      auto [it, inserted] =
          line_of.emplace(std::tuple(route.destination, kernel_metric(route)), route.where.line);
      if (!inserted) {
        diagnostics.error(route.where,
                          "node " + in_quotes(node.name) + " already has a route to " +
                              route.destination.to_string() + " with metric " +
                              std::to_string(route.metric) + " (line " +
                              std::to_string(it->second) + ")",
                          "the kernel keeps one route per destination and metric: remove one, "
                          "or give it another metric");
      }
      if (route.device.empty() || route_device(route, interfaces)) continue;
      std::vector<std::string> names;
      for (const auto* endpoint : interfaces) names.push_back(printable(endpoint->interface));
      diagnostics.error(where.dev_where,
                        "route device " + in_quotes(route.device) +
                            " is not an interface of node " + in_quotes(node.name),
                        names.empty()
                            ? "the node has no interfaces"
                            : fmt::format("its interfaces are {}", fmt::join(names, ", ")));
    }
  }
}

void check_route_gateways(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  auto interfaces_of_node = interfaces_of_nodes(lab);
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    const Node& node = lab.nodes[n];
    const auto& interfaces = interfaces_of_node[n];
    size_t written = 0;
    for (const auto& route : node.routes) {
      if (route.automatic) continue;
      const RouteSource& where = source.routes[n][written++];
      const Endpoint* device = route_device(route, interfaces);
      if (!route.device.empty() && !device) continue;  // reported by check_routes()

      for (const auto* endpoint : interfaces) {
        for (const auto& address : endpoint->addresses) {
          if (address.network() != route.destination ||
              kernel_metric(route) != connected_metric(address.family())) {
            continue;
          }
          diagnostics.error(route.where,
                            "route to " + route.destination.to_string() + " is the subnet of " +
                                in_quotes(node.name + ":" + endpoint->interface) +
                                ", for which the kernel adds a route itself",
                            "remove it, or give it a metric other than " +
                                std::to_string(connected_metric(address.family())));
        }
      }

      if (!route.via) continue;
      bool own = false;
      bool reachable = false;
      for (const auto* endpoint : interfaces) {
        for (const auto& address : endpoint->addresses) {
          if (address.address == *route.via) own = true;
          if ((!device || endpoint == device) && address.contains(*route.via)) reachable = true;
        }
      }
      if (own) {
        diagnostics.error(where.via_where,
                          "gateway " + route.via->to_string() + " of the route to " +
                              route.destination.to_string() + " is an address of node " +
                              in_quotes(node.name) + " itself",
                          "a gateway is the address of a neighbour");
      } else if (!reachable) {
        diagnostics.error(where.via_where,
                          "gateway " + route.via->to_string() + " of the route to " +
                              route.destination.to_string() +
                              " is in no subnet directly connected to " +
                              (device ? in_quotes(node.name + ":" + device->interface)
                                      : "node " + in_quotes(node.name)));
      }
    }
  }
}

}  // namespace nettopo::topology
