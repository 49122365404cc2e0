#pragma once

// What the built-in kinds `frr` and `bird` mean for a node, in the terms every node already has:
// private directories, files (the generated or the user's configuration), exec steps (ownership,
// a check of the configuration before anything starts), programs (the daemons, logging to
// stdout so `nettopo logs` shows them) and ready steps (the daemons answer and have their
// configuration). The runtime then needs nothing daemon-specific.

#include <vector>

#include "topology/model.h"
#include "topology/routing/router_view.h"
#include "topology/segments.h"

namespace nettopo::topology {

/// Expands every routing-daemon node of `lab`, and gives every router the environment
/// variables of its identity (NETTOPO_ROUTER_ID, NETTOPO_LOOPBACK, NETTOPO_LOOPBACK6,
/// NETTOPO_ASN). The daemon's own steps come before those the node or its kind wrote.
void setup_routing_daemons(Lab& lab, const std::vector<Segment>& segments);

/// The resolved identity of `view`'s router as JSON (name, kind, router ID, loopbacks, AS,
/// interfaces with their neighbours, BGP peers), the file a daemon node gets for configs of its
/// own.
std::string identity_json(const Lab& lab, const RouterView& view);

/// Where the FRR and BIRD programs are: checked by `up` before it builds anything.
inline constexpr const char* kFrrZebra = "/usr/lib/frr/zebra";
inline constexpr const char* kBirdBinary = "/usr/sbin/bird";

}  // namespace nettopo::topology
