#pragma once

// The FRR configuration (frr.conf, integrated) nettopo writes for a router from the lab: OSPF
// and BGP as [routing.ospf] and [routing.bgp] ask, with lab-speed timers. Pure text, no I/O.

#include <string>
#include <vector>

#include "topology/model.h"
#include "topology/routing/router_view.h"

namespace nettopo::topology {

/// frr.conf for `view`'s router: the whole configuration, as vtysh shows and writes it.
std::string frr_config(const Lab& lab, const RouterView& view);

/// The part of it that `daemon` ("zebra", "ospfd", "ospf6d", "bgpd", ...) reads at start
/// (-f /etc/frr/DAEMON.conf): each daemon loads its own, with no vtysh run per router.
std::string frr_daemon_config(const Lab& lab, const RouterView& view, const std::string& daemon);

/// The daemons an FRR node runs, zebra first: its `daemons` list, or what the lab's protocols
/// need (ospfd, ospf6d, bgpd as configured).
std::vector<std::string> frr_daemons(const Lab& lab, const RouterView& view);

/// /etc/frr/daemons with those daemons enabled, for tools (frrinit.sh) that read it.
std::string frr_daemons_file(const std::vector<std::string>& daemons);

}  // namespace nettopo::topology
