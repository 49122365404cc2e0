#include "topology/graph.h"

#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <map>

namespace nettopo::topology {

LabGraph::LabGraph(const Lab& lab)
    : lab_(lab), segments_(find_segments(lab)), graph_(lab.nodes.size() + segments_.size()) {
  auto segment_of = segment_of_links(lab, segments_);
  NodeIndex nodes(lab);
  for (size_t l = 0; l < lab.links.size(); ++l) {
    const auto& link = lab.links[l];
    for (const auto& end : link.ends) {
      if (end.kind != EndpointKind::Node) continue;
      auto node = nodes.of(end.owner);
      if (!node) continue;
      size_t segment = segment_vertex(segment_of[l]);
      boost::add_edge(node_vertex(*node), segment, uint64_t{link.cost}, graph_);
      boost::add_edge(segment, node_vertex(*node), uint64_t{0}, graph_);
    }
  }
}

std::vector<uint64_t> LabGraph::distances_to(size_t target) const {
  auto reversed = boost::make_reverse_graph(graph_);
  std::vector<uint64_t> distance(boost::num_vertices(graph_), kUnreachable);
  boost::dijkstra_shortest_paths(
      reversed, target,
      boost::distance_map(boost::make_iterator_property_map(
                              distance.begin(), boost::get(boost::vertex_index, reversed)))
          .weight_map(boost::get(boost::edge_weight, reversed))
          .distance_inf(kUnreachable));
  return distance;
}

std::vector<size_t> LabGraph::node_components() const {
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> undirected(
      boost::num_vertices(graph_));
  for (auto [it, end] = boost::edges(graph_); it != end; ++it)
    boost::add_edge(boost::source(*it, graph_), boost::target(*it, graph_), undirected);
  std::vector<int> component(boost::num_vertices(graph_));
  boost::connected_components(undirected, component.data());
  std::map<int, size_t> renumber;
  std::vector<size_t> result(node_count());
  for (size_t n = 0; n < node_count(); ++n) {
    auto [it, inserted] = renumber.emplace(component[n], renumber.size());
    result[n] = it->second;
  }
  return result;
}

}  // namespace nettopo::topology
