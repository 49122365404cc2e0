#pragma once

// The BIRD 2 configuration nettopo writes for a router from the lab: the same protocols, areas,
// sessions, announcements and timers as frr_config.h writes for FRR, so a lab routes the same
// whichever daemon a router runs. Pure text, no I/O.

#include <string>

#include "topology/model.h"
#include "topology/routing/router_view.h"

namespace nettopo::topology {

/// bird.conf for `view`'s router.
std::string bird_config(const Lab& lab, const RouterView& view);

}  // namespace nettopo::topology
