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

/// The view of lab.nodes[node]; `segments` from find_segments(lab).
RouterView router_view(const Lab& lab, const std::vector<Segment>& segments, size_t node);

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
