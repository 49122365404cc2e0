#include "topology/routing/bird_config.h"

#include <cctype>
#include <set>
#include <sstream>

namespace nettopo::topology {
namespace {

void write_ospf(std::ostream& out, const Lab& lab, const RouterView& view, IpFamily family) {
  const auto& ospf = *lab.ospf;
  bool v4 = family == IpFamily::V4;
  out << "protocol ospf " << (v4 ? "v2 ospf4" : "v3 ospf6") << " {\n";
  out << "  " << (v4 ? "ipv4" : "ipv6") << " { import all; export none; };\n";
  // No hold-downs, as in FRR: BIRD's defaults already run SPF at once (tick 1).
  out << "  tick 1;\n";
  out << "  area " << ospf.area << " {\n";
  if (v4) {
    out << "    interface \"lo\" { stub yes; };\n";
  } else {
    // OSPFv3 runs only on interfaces with a link-local address, which lo has not: the
    // loopback goes in as a stub network of the area.
    for (const auto& loopback : view.node->loopbacks)
      if (loopback.family() == IpFamily::V6) out << "    stubnet " << loopback.to_string() << ";\n";
  }
  for (const auto& interface : view.interfaces) {
    if (!interface.address(family)) continue;
    out << "    interface \"" << interface.name << "\" {";
    if (interface.routers.empty()) {
      out << " stub yes;";
    } else {
      if (interface.point_to_point) out << " type ptp;";
      // Retransmit in two seconds (BIRD's least), not five: a database description sent before the
      // neighbour listened is otherwise five seconds of a lab's convergence.
      out << " hello " << ospf.hello_seconds << "; dead " << ospf.dead_seconds << "; retransmit 2;";
    }
    out << " };\n";
  }
  out << "  };\n}\n\n";
}

}  // namespace

std::string bird_config(const Lab& lab, const RouterView& view) {
  const Node& node = *view.node;
  std::ostringstream out;
  out << "# Written by nettopo for node " << node.name << " of lab " << lab.name
      << ": see docs/protocols.md.\n";
  out << "log stderr all;\n";
  if (auto id = node.router_id()) out << "router id " << id->to_string() << ";\n";
  out << "\nprotocol device {}\n\n";
  // Connected subnets as routes, for BGP to announce; never exported to the kernel, which has
  // them already.
  out << "protocol direct {\n  ipv4;\n  ipv6;\n  interface \"*\";\n}\n\n";
  for (const char* channel : {"ipv4", "ipv6"}) {
    out << "protocol kernel {\n  " << channel
        << " { export where source != RTS_DEVICE; };\n  merge paths on;\n}\n\n";
  }
  if (lab.ospf) {
    if (view.has_family(IpFamily::V4)) write_ospf(out, lab, view, IpFamily::V4);
    if (view.has_family(IpFamily::V6)) write_ospf(out, lab, view, IpFamily::V6);
  }
  if (lab.bgp && node.asn) {
    const auto& bgp = *lab.bgp;
    // What FRR announces with `network`: the loopback and the subnets of the interfaces.
    out << "define ANNOUNCED = [";
    auto announced = view.announced(IpFamily::V4);
    for (size_t i = 0; i < announced.size(); ++i)
      out << (i ? ", " : " ") << announced[i].to_string();
    out << " ];\n\n";
    std::set<std::string> names;
    for (const auto& peer : bgp_peers(lab, view)) {
      // Named after the peer, so that `birdc show protocols` reads like the topology.
      std::string base = "bgp_";
      for (char c : peer.node->name) base += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      std::string name = base;
      for (int n = 2; !names.insert(name).second; ++n) name = base + "_" + std::to_string(n);
      out << "protocol bgp " << name << " {\n";
      out << "  description \"" << peer.node->name << "\";\n";
      out << "  local " << (peer.internal ? node.router_id()->to_string() + " " : "") << "as "
          << *node.asn << ";\n";
      out << "  neighbor " << peer.address.to_string() << " as " << peer.asn << ";\n";
      if (peer.internal) out << "  multihop;\n";
      out << "  hold time " << bgp.hold_seconds << ";\n";
      out << "  keepalive time " << bgp.keepalive_seconds << ";\n";
      out << "  connect retry time 1;\n";
      out << "  ipv4 {\n    import all;\n";
      out << "    export where source = RTS_BGP || (source = RTS_DEVICE && net ~ ANNOUNCED);\n";
      if (peer.internal) out << "    next hop self;\n";
      out << "  };\n}\n\n";
    }
  }
  return out.str();
}

}  // namespace nettopo::topology
