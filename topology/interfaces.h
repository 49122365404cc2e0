#pragma once

#include <string_view>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

/// The endpoints owned by node or bridge `owner`, in link order (pointers into lab.links, valid
/// while `lab` is unchanged). Empty for an unknown owner.
std::vector<const Endpoint*> interfaces_of(const Lab& lab, std::string_view owner);

/// interfaces_of() for every node at once, indexed like lab.nodes: one walk over the links, where
/// a call per node walks all of them once per node.
std::vector<std::vector<const Endpoint*>> interfaces_of_nodes(const Lab& lab);

}  // namespace nettopo::topology
