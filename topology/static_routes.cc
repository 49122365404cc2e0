#include "topology/static_routes.h"

#include <set>

#include "topology/diagnostic.h"
#include "topology/graph.h"

namespace nettopo::topology {
namespace {

struct Hop {
  size_t next_node = 0;
  std::string device;
  IpAddress via;
};

// The address of `family` of node `owner` on `segment`, and its interface.
const IpPrefix* address_on(const Lab& lab, const Segment& segment, std::string_view owner,
                           IpFamily family, std::string* interface) {
  for (const auto& ref : segment.node_ends) {
    const auto& end = lab.links[ref.link].ends[ref.end];
    if (end.owner != owner) continue;
    for (const auto& address : end.addresses) {
      if (address.family() == family) {
        if (interface) *interface = end.interface;
        return &address;
      }
    }
  }
  return nullptr;
}

// The first hop of `node`'s shortest path to segment vertex `target`, or nullopt.
std::optional<Hop> first_hop(const LabGraph& graph, size_t node,
                             const std::vector<uint64_t>& distance, IpFamily family) {
  const auto& g = graph.graph();
  const Lab& lab = graph.lab();
  for (auto [edge, edge_end] = boost::out_edges(node, g); edge != edge_end; ++edge) {
    size_t segment_vertex = boost::target(*edge, g);
    uint64_t weight = boost::get(boost::edge_weight, g, *edge);
    const Segment& segment = graph.segments()[segment_vertex - graph.node_count()];
    Hop hop;
    if (!address_on(lab, segment, lab.nodes[node].name, family, &hop.device)) continue;
    for (auto [out, out_end] = boost::out_edges(segment_vertex, g); out != out_end; ++out) {
      size_t next = boost::target(*out, g);
      if (next == node || distance[next] == LabGraph::kUnreachable ||
          weight + distance[next] != distance[node]) {
        continue;
      }
      const IpPrefix* via = address_on(lab, segment, lab.nodes[next].name, family, nullptr);
      if (!via) continue;
      hop.next_node = next;
      hop.via = via->address;
      return hop;
    }
  }
  return std::nullopt;
}

}  // namespace

void add_static_routes(Lab& lab) {
  LabGraph graph(lab);
  std::vector<bool> transit(lab.nodes.size(), false);
  std::vector<std::vector<Route>> added(lab.nodes.size());
  for (size_t s = 0; s < graph.segments().size(); ++s) {
    const Segment& segment = graph.segments()[s];
    std::set<IpPrefix> subnets;
    for (const auto& ref : segment.node_ends)
      for (const auto& address : lab.links[ref.link].ends[ref.end].addresses)
        subnets.insert(address.network());
    if (subnets.empty()) continue;
    size_t target = graph.segment_vertex(s);
    auto distance = graph.distances_to(target);
    for (size_t n = 0; n < lab.nodes.size(); ++n) {
      if (distance[n] == LabGraph::kUnreachable) continue;
      bool connected = false;
      for (auto [edge, end] = boost::out_edges(n, graph.graph()); edge != end; ++edge)
        if (boost::target(*edge, graph.graph()) == target) connected = true;
      if (connected) continue;
      for (const auto& subnet : subnets) {
        bool user_route = false;
        for (const auto& route : lab.nodes[n].routes)
          if (route.destination.network() == subnet) user_route = true;
        if (user_route) continue;
        auto hop = first_hop(graph, n, distance, subnet.family());
        if (!hop) continue;
        Route route;
        route.destination = subnet;
        route.via = hop->via;
        route.device = hop->device;
        route.automatic = true;
        route.where = lab.nodes[n].where;
        added[n].push_back(std::move(route));
        transit[hop->next_node] = true;
      }
    }
  }
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    for (auto& route : added[n]) lab.nodes[n].routes.push_back(std::move(route));
    if (transit[n]) lab.nodes[n].forward = true;
  }
}

void warn_about_connectivity(const Lab& lab, Diagnostics& diagnostics) {
  LabGraph graph(lab);
  auto component = graph.node_components();
  std::vector<std::vector<std::string>> parts;
  for (size_t n = 0; n < lab.nodes.size(); ++n) {
    if (component[n] >= parts.size()) parts.resize(component[n] + 1);
    parts[component[n]].push_back(lab.nodes[n].name);
  }
  for (const auto& part : parts) {
    if (part.size() == 1 && lab.nodes.size() > 1) {
      diagnostics.warning(lab.find_node(part[0])->where,
                          "node " + in_quotes(part[0]) + " is connected to no other node");
    }
  }
  if (parts.size() > 1) {
    std::string list;
    for (size_t p = 0; p < parts.size(); ++p) {
      list += p == 0 ? "" : p + 1 == parts.size() ? " and " : ", ";
      list += "{";
      for (size_t i = 0; i < parts[p].size(); ++i) list += (i ? ", " : "") + parts[p][i];
      list += "}";
    }
    diagnostics.warning(lab.find_node(parts[1][0])->where,
                        "the lab has " + std::to_string(parts.size()) + " separate parts: " + list,
                        "nodes in different parts cannot reach each other");
  }
}

}  // namespace nettopo::topology
