#include "topology/routing/router_identities.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <set>
#include <string>

#include "topology/name_rules.h"
#include "topology/routing/router_view.h"

namespace nettopo::topology {
namespace {

// How many addresses a pool of `length` bits holds past its network address, capped.
uint64_t usable_in(const IpPrefix& pool) {
  int host_bits = pool.address.max_prefix() - pool.length;
  if (host_bits >= 32) return uint64_t{1} << 32;  // more than any lab has routers
  uint64_t total = uint64_t{1} << host_bits;
  // An IPv4 pool loses its broadcast address as well, except /31 and /32 (RFC 3021).
  return pool.family() == IpFamily::V4 && host_bits >= 2 ? total - 2 : total - 1;
}

void assign_pool(Lab& lab, const std::optional<IpPrefix>& pool, const SourceLocation& where,
                 Diagnostics& diagnostics) {
  if (!pool) return;
  size_t routers = 0;
  for (const auto& node : lab.nodes) routers += node.is_router() ? 1 : 0;
  if (routers > usable_in(*pool)) {
    diagnostics.error(where,
                      "loopback pool " + pool->to_string() + " holds " +
                          std::to_string(usable_in(*pool)) + " addresses, but the lab has " +
                          std::to_string(routers) + " routers",
                      "use a larger pool");
    return;
  }
  for (const auto& link : lab.links) {
    for (const auto& end : link.ends) {
      for (const auto& address : end.addresses) {
        if (pool->contains(address.address) || address.network().contains(pool->address)) {
          diagnostics.error(where,
                            "loopback pool " + pool->to_string() + " overlaps " +
                                address.to_string() + " on " + endpoint_label(end),
                            "loopbacks need addresses of their own");
          return;
        }
      }
    }
  }
  uint64_t next = 1;
  for (auto& node : lab.nodes) {
    if (!node.is_router()) continue;
    node.loopbacks.push_back(IpPrefix{pool->address.plus(next++), pool->address.max_prefix()});
  }
}

// A default route of `family` via the first router, in link order, on a segment where `view`'s
// node has an address of that family.
std::optional<Route> first_gateway(const RouterView& view, IpFamily family) {
  for (const auto& interface : view.interfaces) {
    if (!interface.address(family)) continue;
    for (const auto& router : interface.routers) {
      for (const auto& address : router.addresses) {
        if (address.family() != family) continue;
        Route route;
        route.destination = IpPrefix{IpAddress{family, {}}, 0};
        route.via = address.address;
        route.device = interface.name;
        route.automatic = true;
        route.where = view.node->where;
        return route;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void assign_loopbacks(Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  assign_pool(lab, lab.loopback_pool, source.loopback_pool_where, diagnostics);
  assign_pool(lab, lab.loopback6_pool, source.loopback6_pool_where, diagnostics);
}

void assign_asns(Lab& lab, Diagnostics& diagnostics) {
  if (!lab.bgp || lab.bgp->asn_first == 0) return;
  const BgpSettings& bgp = *lab.bgp;
  std::set<uint32_t> taken;
  for (const auto& node : lab.nodes)
    if (node.asn) taken.insert(*node.asn);
  uint64_t next = bgp.asn_first;
  for (auto& node : lab.nodes) {
    if (!node.runs_daemon() || node.asn) continue;
    if (bgp.asn_shared) {
      node.asn = bgp.asn_first;
      continue;
    }
    while (next <= bgp.asn_last && taken.count(static_cast<uint32_t>(next))) ++next;
    if (next > bgp.asn_last) {
      diagnostics.error(bgp.asn_where,
                        "the AS range " + std::to_string(bgp.asn_first) + "-" +
                            std::to_string(bgp.asn_last) + " runs out at router " +
                            in_quotes(node.name),
                        "widen the range, or give routers an 'asn' of their own");
      return;
    }
    node.asn = static_cast<uint32_t>(next++);
  }
}

void check_routing_protocols(const Lab& lab, const std::vector<Segment>& segments,
                             Diagnostics& diagnostics) {
  std::vector<size_t> routers;
  // The routers the protocols run on: those with a daemon nettopo configures.
  for (size_t i = 0; i < lab.nodes.size(); ++i)
    if (lab.nodes[i].runs_daemon()) routers.push_back(i);
  std::vector<std::pair<SourceLocation, std::string>> tables;
  if (lab.ospf) tables.emplace_back(lab.ospf->where, "[routing.ospf]");
  if (lab.bgp) tables.emplace_back(lab.bgp->where, "[routing.bgp]");
  for (const auto& [where, table] : tables) {
    if (routers.empty()) {
      diagnostics.warning(where, table + " has no router to run on",
                          "give nodes kind = \"frr\" or kind = \"bird\"");
    } else if (!lab.loopback_pool) {
      diagnostics.error(where, table + " needs router IDs: the lab has no loopback pool",
                        "add loopback = \"10.255.0.0/24\" to [addressing]");
    }
  }
  if (lab.bgp) {
    for (size_t r : routers) {
      const Node& node = lab.nodes[r];
      // With an asn pool, a router is left without one only when the range ran out, which
      // assign_asns() reported already.
      if (!node.asn && lab.bgp->asn_first == 0)
        diagnostics.error(node.where, "BGP router " + in_quotes(node.name) + " has no AS number",
                          "give it asn = 65001, or give [routing.bgp] an asn range");
    }
  }
  for (const auto& node : lab.nodes) {
    if (node.runs_daemon() && node.daemon_config.empty() && !lab.ospf && !lab.bgp) {
      diagnostics.warning(
          node.where,
          "node " + in_quotes(node.name) + " runs a routing daemon with no protocol to run",
          "add [routing.ospf] or [routing.bgp], or give it a 'config' file");
    }
  }
  // One OSPF area must be connected: routers that reach each other only through hosts, or not
  // at all, would each see a backbone of their own and never learn each other's routes.
  if (lab.ospf && routers.size() > 1) {
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> graph(lab.nodes.size());
    RouterViews views(lab, segments);
    for (size_t r : routers)
      for (const auto& interface : views.of(r).interfaces)
        for (const auto& neighbor : interface.routers)
          boost::add_edge(r, static_cast<size_t>(neighbor.node - lab.nodes.data()), graph);
    std::vector<int> component(lab.nodes.size());
    boost::connected_components(graph, component.data());
    const Node& anchor = lab.nodes[routers.front()];
    for (size_t r : routers) {
      if (component[r] == component[routers.front()]) continue;
      const Node& apart = lab.nodes[r];
      diagnostics.error(apart.where,
                        "OSPF area " + lab.ospf->area + " is split: router " +
                            in_quotes(apart.name) + " has no path of routers to " +
                            in_quotes(anchor.name),
                        "link the routers, or leave the isolated one out of the OSPF lab");
      break;
    }
  }
}

void add_host_gateways(Lab& lab, const std::vector<Segment>& segments) {
  if (!lab.ospf && !lab.bgp) return;
  // The views read names and addresses, which stay as they are; only routes are added.
  RouterViews views(lab, segments);
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    Node& node = lab.nodes[n];
    if (node.is_router()) continue;
    RouterView view = views.of(n);
    for (IpFamily family : {IpFamily::V4, IpFamily::V6}) {
      bool has_default = false;
      for (const auto& route : node.routes)
        has_default |= route.destination.is_default() && route.destination.family() == family;
      if (!has_default) {
        if (auto gateway = first_gateway(view, family)) node.routes.push_back(*gateway);
      }
    }
  }
}

}  // namespace nettopo::topology
