#pragma once

#include <string>

#include "topology/model.h"

namespace nettopo::topology {

/// One line: "lab triangle: 6 nodes, 1 bridge, 7 links, 7 subnets". Subnets are the distinct
/// networks of all interface addresses, IPv4 and IPv6.
std::string summarize(const Lab& lab);

/// "1 node", "2 nodes": a count and the noun that fits it.
std::string count_of(size_t n, const char* singular, const char* plural);

}  // namespace nettopo::topology
