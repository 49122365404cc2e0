#pragma once

#include <string>

#include "topology/model.h"

namespace nettopo {

/// The /etc/hosts every node of a lab sees: localhost, then for each node its first IPv4 and
/// first IPv6 address under the node's name, and every address under NODE-IFNAME.
std::string make_hosts_file(const topology::Lab& lab);

}  // namespace nettopo
