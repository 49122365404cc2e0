#pragma once

// L2 loops: bridges joined in a cycle by bridge-bridge links. A broadcast (one ARP request)
// circles such a loop forever and multiplies at every bridge, until the host spends its time
// forwarding it; only the spanning tree protocol (STP), which blocks one port of the loop, makes
// one safe.

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// Reports each link that closes a loop of bridges, at that link, unless every bridge of the
/// loop has `stp = true`. With several loops, each link beyond a spanning forest of the bridge
/// graph (in file order) closes one; a bridge on any loop is on one of these.
void check_bridge_loops(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
