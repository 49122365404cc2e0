#pragma once

// Checks on the routes a user wrote, once interfaces and addresses are resolved.

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// Reports a route `dev` that is not an interface of its node, and a `via` that no subnet
/// directly connected to the node (or to `dev`, when given) contains.
void check_routes(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
