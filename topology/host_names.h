#pragma once

// The names a lab puts in every node's /etc/hosts: each node's name, and NODE-INTERFACE for each
// of its interfaces (core/hosts_file.cc). Resolvers compare host names without regard to case and
// take the first match, so two entries that differ only in case are one name with two addresses.

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// Reports node names that /etc/hosts already gives to the loopback ("localhost", "ip6-localhost",
/// "ip6-loopback"), node names that differ only in case, and NODE-INTERFACE names that are also
/// the name of a node or of another interface. Needs interface names assigned.
void check_host_names(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
