#pragma once

#include <string>

#include "topology/model.h"

namespace nettopo::topology {

/// The lab as a Graphviz DOT graph (`dot -Tsvg`): nodes as boxes (double border when they
/// forward), bridges as ellipses, one edge per link labelled at each end with the interface name
/// and its addresses, and in the middle with the impairments and a cost other than 1.
std::string to_dot(const Lab& lab);

}  // namespace nettopo::topology
