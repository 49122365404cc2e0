#pragma once

// Where the parts of a lab were written, beyond the SourceLocations the model itself keeps, so
// the checks that run after parsing can point at the offending value. Plain data.

#include <array>
#include <vector>

#include "topology/model.h"

namespace nettopo::topology {

/// One end of one link as written.
struct EndpointSource {
  SourceLocation where;                       ///< the endpoint string ("h1:eth0")
  bool interface_given = false;               ///< "h1:eth0" rather than "h1"
  std::vector<SourceLocation> address_where;  ///< parallel to Endpoint::addresses as written
  SourceLocation mac_where;
};

/// One link as written; parallel to Lab::links.
struct LinkSource {
  std::array<EndpointSource, 2> ends;
  SourceLocation mtu_where;
};

/// One route as written; parallel to Node::routes (written routes only).
struct RouteSource {
  SourceLocation via_where;
  SourceLocation dev_where;
};

/// Positions for the whole lab.
struct LabSource {
  std::vector<LinkSource> links;                  ///< parallel to Lab::links
  std::vector<std::vector<RouteSource>> routes;   ///< [node index][route index]
  std::vector<std::vector<SourceLocation>> dirs;  ///< [node index][dir index]
  SourceLocation ipv4_pool_where;
  SourceLocation ipv6_pool_where;
  SourceLocation loopback_pool_where;
  SourceLocation loopback6_pool_where;
};

}  // namespace nettopo::topology
