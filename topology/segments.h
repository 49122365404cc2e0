#pragma once

// L2 segments: what one subnet spans. A node-node link is a segment of its own; bridges joined by
// bridge-bridge links form one segment together with every node link attached to them.

#include <cstddef>
#include <string>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

/// Names one end of one link: lab.links[link].ends[end].
struct EndpointRef {
  size_t link = 0;
  int end = 0;

  bool operator==(const EndpointRef&) const = default;
};

/// One broadcast domain.
struct Segment {
  std::vector<size_t> links;           ///< indices into Lab::links, ascending
  std::vector<EndpointRef> node_ends;  ///< node endpoints on this segment, in link order
  std::vector<std::string> bridges;    ///< bridges of the segment, in file order; empty = p2p

  bool bridged() const { return !bridges.empty(); }
};

/// The segments of `lab`, ordered by the first link of each. Bridges without links form no
/// segment.
std::vector<Segment> find_segments(const Lab& lab);

/// For each link, the index of its segment in `segments`.
std::vector<size_t> segment_of_links(const Lab& lab, const std::vector<Segment>& segments);

/// "h1:eth0", or "h1" when the interface is not named yet.
std::string endpoint_label(const Endpoint& endpoint);

}  // namespace nettopo::topology
