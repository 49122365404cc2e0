#pragma once

// [routing] static = true: shortest-path routes between all subnets, computed like a link-state
// protocol would, and installed as plain static routes.

#include "topology/diagnostic.h"
#include "topology/model.h"

namespace nettopo::topology {

/// For every node and every subnet it is not directly connected to but can reach, appends an
/// automatic Route (via the next hop's address of the same family on the first segment of the
/// shortest path, `device` = the node's interface there). Path cost: the sum of the costs of the
/// links the packet leaves nodes by. Equal-cost choices go to the earlier link in the file. Sets
/// forward = true on every node a route sends traffic through. Skips destinations the user already
/// routes on that node. Interfaces and addresses must be resolved.
void add_static_routes(Lab& lab);

/// Warns about nodes connected to no other node, and about a lab made of several separate parts.
void warn_about_connectivity(const Lab& lab, Diagnostics& diagnostics);

}  // namespace nettopo::topology
