#pragma once

// Small resolved labs built by hand, so the runtime's pure parts are tested without the parser.

#include "topology/model.h"

namespace nettopo::testing {

inline topology::Endpoint node_end(const std::string& node, const std::string& interface,
                                   const std::string& address) {
  topology::Endpoint end;
  end.owner = node;
  end.interface = interface;
  if (!address.empty()) end.addresses.push_back(*IpPrefix::parse(address));
  return end;
}

inline topology::Endpoint bridge_end(const std::string& bridge, const std::string& port) {
  topology::Endpoint end;
  end.kind = topology::EndpointKind::Bridge;
  end.owner = bridge;
  end.interface = port;
  return end;
}

/// h1 -- r1 -- lan(bridge) -- h2; r1 forwards and has a default route on h1.
inline topology::Lab small_lab() {
  topology::Lab lab;
  lab.name = "small";
  lab.source_file = "/labs/small.toml";
  for (const char* name : {"h1", "r1", "h2"}) {
    topology::Node node;
    node.name = name;
    lab.nodes.push_back(node);
  }
  lab.nodes[1].forward = true;
  topology::Route route;
  route.destination = *IpPrefix::parse("0.0.0.0/0");
  route.via = IpAddress::parse("10.0.0.2");
  lab.nodes[0].routes.push_back(route);
  lab.bridges.push_back({"lan", {}});
  topology::Link first;
  first.ends = {node_end("h1", "eth0", "10.0.0.1/30"), node_end("r1", "eth0", "10.0.0.2/30")};
  first.mtu = 1400;
  topology::Link second;
  second.ends = {node_end("r1", "eth1", "10.1.0.1/24"), bridge_end("lan", "r1-eth1")};
  topology::Link third;
  third.ends = {node_end("h2", "eth0", "10.1.0.2/24"), bridge_end("lan", "h2-eth0")};
  third.impairments.rate_bits_per_second = 10'000'000;
  lab.links = {first, second, third};
  return lab;
}

}  // namespace nettopo::testing
