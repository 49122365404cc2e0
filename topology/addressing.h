#pragma once

// Interface addresses: checks on the ones written, and automatic ones from the [addressing] pools.

#include <vector>

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"
#include "topology/segments.h"

namespace nettopo::topology {

/// Reports addresses that are the network or broadcast address of their IPv4 subnet (/31 and /32
/// excepted), addresses used twice in the lab, and segments whose addresses of one family are not
/// all in one subnet.
void check_addresses(const Lab& lab, const LabSource& source, const std::vector<Segment>& segments,
                     Diagnostics& diagnostics);

/// Gives addresses to node endpoints that have none of a family:
/// - on a segment where some endpoint has an address of that family, the lowest free host
///   addresses of that subnet;
/// - otherwise from the lab's pool of that family, in order of the segments' first link: a /30
///   (IPv4 node-node link) or /24 (IPv4 bridged segment) or /64 (IPv6) block, the next aligned one
///   that overlaps no address written anywhere in the lab; hosts .1, .2, ... in link order;
/// - otherwise none (the link stays unnumbered).
/// Reports pools and subnets that run out. Call after check_addresses found no error.
void assign_addresses(Lab& lab, const LabSource& source, const std::vector<Segment>& segments,
                      Diagnostics& diagnostics);

}  // namespace nettopo::topology
