#pragma once

#include <string>

#include "netlink/request.h"

namespace nettopo::netlink {

struct MacvlanSpec {
  std::string name;
  int parent_ifindex = 0;  // the lower device, in the socket's namespace
  enum class Mode { Private, Vepa, Bridge, Passthru } mode = Mode::Bridge;
  int netns_fd = -1;  // borrowed; created in this namespace; -1 = the socket's
};

/// RTM_NEWLINK (NLM_F_CREATE | NLM_F_EXCL) of kind "macvlan" on IFLA_LINK = parent.
Request macvlan_request(const MacvlanSpec& macvlan);

}  // namespace nettopo::netlink
