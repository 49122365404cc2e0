#pragma once

// Checks on the routes a user wrote. Those that need only interface names run even when the
// addresses have errors, so a file with both kinds of mistake shows both at once.

#include <vector>

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// The interface a route's `dev` names among `interfaces` (its node's, from interfaces_of());
/// nullptr when the route has no `dev` or names none of them. The one rule for a route device,
/// shared by check_routes() (validate) and the plan (up).
const Endpoint* route_device(const Route& route, const std::vector<const Endpoint*>& interfaces);

/// Needs interface names. Reports a route `dev` that is not an interface of its node, and two
/// routes of one node to one destination with one metric (the kernel refuses the second with
/// EEXIST).
void check_routes(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

/// Needs addresses, written and automatic. Reports a `via` that no subnet directly connected to
/// the node (or to `dev`, when given) contains, a `via` that is the node's own address, and a
/// route to a connected subnet with the metric of the route the kernel adds for it.
void check_route_gateways(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
