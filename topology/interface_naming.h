#pragma once

// Names every interface of a lab: explicit names as written, "h1" alone gets the lowest free ethN,
// and the bridge end of each veth gets "<node>-<ifname>" or "p<N>".

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// Fills in Endpoint::interface for every endpoint without one, and reports interface names used
/// twice on one node or bridge, and bridge ports named like the bridge device
/// (bridge_device_name()). Deterministic: explicit names are reserved first, then automatic
/// names are given in link order.
void assign_interface_names(Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
