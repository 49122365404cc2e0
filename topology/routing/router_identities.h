#pragma once

// Who each router is to the routing protocols: its loopbacks (also its router ID and the
// address its name resolves to) and its AS, derived from the topology; and the checks that
// refuse a lab whose protocols cannot work, before anything is started.

#include <vector>

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"
#include "topology/segments.h"

namespace nettopo::topology {

/// Gives the n-th router (Node::is_router, in file order) the (n+1)-th address of each loopback
/// pool, as a /32 and a /128: the same file always gives the same addresses. Reports a pool too
/// small for the routers, or one that overlaps a link's addresses.
void assign_loopbacks(Lab& lab, const LabSource& source, Diagnostics& diagnostics);

/// Routers without an `asn` get one from [routing.bgp] asn: the shared one, or the next free
/// number of the range in file order. Reports a range too small.
void assign_asns(Lab& lab, Diagnostics& diagnostics);

/// Refuses what cannot work: a BGP router with no AS, protocols without router IDs, an OSPF
/// area split into parts; warns of protocols with no router to run them.
void check_routing_protocols(const Lab& lab, const std::vector<Segment>& segments,
                             Diagnostics& diagnostics);

/// With [routing.ospf] or [routing.bgp], a node that is not a router and has no default route of
/// a family gets one via the first router on its segments: hosts reach what the routers learn.
void add_host_gateways(Lab& lab, const std::vector<Segment>& segments);

}  // namespace nettopo::topology
