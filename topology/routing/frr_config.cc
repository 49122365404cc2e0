#include "topology/routing/frr_config.h"

#include <algorithm>
#include <sstream>

namespace nettopo::topology {
namespace {

bool ospf6_on(const Lab& lab, const RouterView& view) {
  return lab.ospf && view.has_family(IpFamily::V6);
}

void write_interface(std::ostream& out, const Lab& lab, const RouterInterface& interface, bool v4,
                     bool v6) {
  out << "interface " << interface.name << "\n";
  if (v4 && interface.address(IpFamily::V4)) {
    const auto& settings = *lab.ospf;
    out << " ip ospf area " << settings.area << "\n";
    if (interface.point_to_point) out << " ip ospf network point-to-point\n";
    out << " ip ospf hello-interval " << settings.hello_seconds << "\n";
    out << " ip ospf dead-interval " << settings.dead_seconds << "\n";
    if (interface.routers.empty()) out << " ip ospf passive\n";
  }
  if (v6 && interface.address(IpFamily::V6)) {
    const auto& settings = *lab.ospf;
    out << " ipv6 ospf6 area " << settings.area << "\n";
    if (interface.point_to_point) out << " ipv6 ospf6 network point-to-point\n";
    out << " ipv6 ospf6 hello-interval " << settings.hello_seconds << "\n";
    out << " ipv6 ospf6 dead-interval " << settings.dead_seconds << "\n";
    if (interface.routers.empty()) out << " ipv6 ospf6 passive\n";
  }
  out << "exit\n!\n";
}

// The part of the configuration one daemon reads; "" for the whole (frr.conf, for vtysh).
std::string config_for(const Lab& lab, const RouterView& view, const std::string& daemon) {
  const Node& node = *view.node;
  auto wanted = [&](const char* name) { return daemon.empty() || daemon == name; };
  bool ospf = lab.ospf && wanted("ospfd");
  bool ospf6 = ospf6_on(lab, view) && wanted("ospf6d");
  std::ostringstream out;
  out << "! Written by nettopo for node " << node.name << " of lab " << lab.name
      << ": see docs/protocols.md.\n";
  out << "frr defaults traditional\n";
  out << "hostname " << node.name << "\n";
  if (daemon.empty()) out << "service integrated-vtysh-config\n";
  out << "!\n";
  auto router_id = node.router_id();
  if (ospf || ospf6) {
    // The loopback is announced as a stub in the area (FRR treats lo as a loopback network).
    out << "interface lo\n";
    if (ospf && router_id) out << " ip ospf area " << lab.ospf->area << "\n";
    if (ospf6) {
      for (const auto& loopback : node.loopbacks)
        if (loopback.family() == IpFamily::V6) out << " ipv6 ospf6 area " << lab.ospf->area << "\n";
    }
    out << "exit\n!\n";
    for (const auto& interface : view.interfaces) write_interface(out, lab, interface, ospf, ospf6);
  }
  if (ospf) {
    // No hold-downs: FRR waits a second (min-arrival) before accepting a newer copy of an LSA
    // and throttles SPF runs, which was reported to make a three-router line converge in ~11.5 s.
    out << "router ospf\n";
    if (router_id) out << " ospf router-id " << router_id->to_string() << "\n";
    out << " timers throttle spf 0 50 500\n";
    out << " timers throttle lsa all 0\n";
    out << " timers lsa min-arrival 0\n";
    out << "exit\n!\n";
  }
  if (ospf6) {
    out << "router ospf6\n";
    if (router_id) out << " ospf6 router-id " << router_id->to_string() << "\n";
    out << " timers throttle spf 0 50 500\n";
    out << " timers lsa min-arrival 0\n";
    out << "exit\n!\n";
  }
  if (lab.bgp && node.asn && wanted("bgpd")) {
    const auto& bgp = *lab.bgp;
    auto peers = bgp_peers(lab, view);
    out << "router bgp " << *node.asn << "\n";
    if (router_id) out << " bgp router-id " << router_id->to_string() << "\n";
    // A lab needs no policy to exchange routes, nor a route in the RIB to announce a network.
    out << " no bgp ebgp-requires-policy\n";
    out << " no bgp network import-check\n";
    out << " no bgp default ipv4-unicast\n";
    out << " timers bgp " << bgp.keepalive_seconds << " " << bgp.hold_seconds << "\n";
    for (const auto& peer : peers) {
      std::string address = peer.address.to_string();
      out << " neighbor " << address << " remote-as " << peer.asn << "\n";
      out << " neighbor " << address << " description " << peer.node->name << "\n";
      out << " neighbor " << address << " timers connect 1\n";
      out << " neighbor " << address << " advertisement-interval 0\n";
      if (peer.internal) out << " neighbor " << address << " update-source lo\n";
    }
    out << " !\n address-family ipv4 unicast\n";
    for (const auto& prefix : view.announced(IpFamily::V4))
      out << "  network " << prefix.to_string() << "\n";
    for (const auto& peer : peers) {
      out << "  neighbor " << peer.address.to_string() << " activate\n";
      if (peer.internal) out << "  neighbor " << peer.address.to_string() << " next-hop-self\n";
    }
    out << " exit-address-family\nexit\n!\n";
  }
  out << "end\n";
  return out.str();
}

}  // namespace

std::string frr_config(const Lab& lab, const RouterView& view) { return config_for(lab, view, ""); }

std::string frr_daemon_config(const Lab& lab, const RouterView& view, const std::string& daemon) {
  return config_for(lab, view, daemon);
}

std::vector<std::string> frr_daemons(const Lab& lab, const RouterView& view) {
  std::vector<std::string> daemons = {"zebra"};
  auto add = [&](const std::string& name) {
    if (std::find(daemons.begin(), daemons.end(), name) == daemons.end()) daemons.push_back(name);
  };
  const Node& node = *view.node;
  if (!node.daemons.empty()) {
    for (const auto& name : node.daemons) add(name);
    return daemons;
  }
  // No staticd unless asked for: nettopo writes no FRR static routes, and every daemon costs
  // a router tens of milliseconds of CPU at start (FRR loads its YANG models).
  if (lab.ospf) add("ospfd");
  if (ospf6_on(lab, view)) add("ospf6d");
  if (lab.bgp && node.asn) add("bgpd");
  return daemons;
}

std::string frr_daemons_file(const std::vector<std::string>& daemons) {
  std::ostringstream out;
  out << "# Written by nettopo: the daemons this node runs. nettopo starts them itself.\n";
  for (const auto& name : daemons) {
    if (name == "zebra" || name == "staticd") continue;  // always started by frrinit.sh
    out << name << "=yes\n";
  }
  out << "vtysh_enable=yes\n";
  return out.str();
}

}  // namespace nettopo::topology
