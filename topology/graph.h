#pragma once

// The lab as a graph for routing: one vertex per node and one per segment. Leaving a node through
// a link costs the link's cost (like an OSPF interface cost); arriving at a node costs nothing.

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "topology/model.h"
#include "topology/segments.h"

namespace nettopo::topology {

/// Routing view of a Lab, which must outlive it. Vertices 0..nodes-1 are Lab::nodes in order,
/// then one vertex per segment in find_segments() order. Edges are added in link order, so
/// walking out-edges walks links in file order.
class LabGraph {
 public:
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                            boost::property<boost::edge_weight_t, uint64_t>>;
  static constexpr uint64_t kUnreachable = std::numeric_limits<uint64_t>::max();

  explicit LabGraph(const Lab& lab);

  const Lab& lab() const { return lab_; }
  const Graph& graph() const { return graph_; }
  const std::vector<Segment>& segments() const { return segments_; }
  size_t node_count() const { return lab_.nodes.size(); }
  size_t node_vertex(size_t node) const { return node; }
  size_t segment_vertex(size_t segment) const { return lab_.nodes.size() + segment; }
  bool is_node(size_t vertex) const { return vertex < lab_.nodes.size(); }
  /// Shortest distance from every vertex to `target` (Dijkstra on the reversed graph);
  /// kUnreachable where there is no path.
  std::vector<uint64_t> distances_to(size_t target) const;

  /// For each node, the number of its connected part (ignoring costs and forwarding), numbered
  /// 0, 1, ... in order of each part's first node.
  std::vector<size_t> node_components() const;

 private:
  const Lab& lab_;
  std::vector<Segment> segments_;
  Graph graph_;
};

}  // namespace nettopo::topology
