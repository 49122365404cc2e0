#pragma once

// What a routing protocol sees of one router: its interfaces, and on each the routers and hosts
// it shares a segment with. The FRR and BIRD configuration writers and the node's identity file
// read the lab through this one view, so both daemons are told the same thing.

#include <cstddef>
#include <string>
#include <vector>

#include "topology/model.h"
#include "topology/segments.h"

namespace nettopo::topology {

/// Another router on one of this router's segments.
struct RouterNeighbor {
  const Node* node = nullptr;
  std::vector<IpPrefix> addresses;  ///< its addresses on the shared segment
};

struct RouterInterface {
  std::string name;
  std::vector<IpPrefix> addresses;
  /// A node-node link to another router: OSPF runs point-to-point, without a DR election.
  bool point_to_point = false;
  std::vector<RouterNeighbor> routers;  ///< no routers: the interface is passive (stub)
  bool has_hosts = false;               ///< nodes that are not routers share the segment

  /// The first address of `family`, if any.
  const IpPrefix* address(IpFamily family) const;
};

struct RouterView {
  const Node* node = nullptr;
  std::vector<RouterInterface> interfaces;  ///< in link order

  bool has_family(IpFamily family) const;
  /// Subnets of its interfaces and its loopbacks, of `family`: what BGP announces.
  std::vector<IpPrefix> announced(IpFamily family) const;
};

/// The views of a lab's nodes, from one pass over its links: a view then costs its own
/// interfaces and segments, not a walk of the whole lab (which made 4000 routers quadratic).
/// `lab` and `segments` (from find_segments(lab)) must outlive it and stay unchanged.
class RouterViews {
 public:
  RouterViews(const Lab& lab, const std::vector<Segment>& segments);

  /// The view of lab.nodes[node].
  RouterView of(size_t node) const;

 private:
  const Lab& lab_;
  const std::vector<Segment>& segments_;
  std::vector<size_t> segment_of_;              ///< per link, its segment
  std::vector<std::vector<EndpointRef>> ends_;  ///< per node, its link ends in link order
  std::vector<const Node*> owner_;              ///< per link end (2 * link + end), its node
};

/// A BGP session: eBGP to a neighbour's link address, or iBGP to a loopback.
struct BgpPeer {
  const Node* node = nullptr;
  IpAddress address;
  uint32_t asn = 0;
  bool internal = false;  ///< iBGP: same AS, between loopbacks, next hop self
};

/// The IPv4 BGP sessions of `view`'s router: eBGP on every segment it shares with a router of
/// another AS, iBGP with every other router of its AS that has a loopback.
std::vector<BgpPeer> bgp_peers(const Lab& lab, const RouterView& view);

}  // namespace nettopo::topology
