#include "topology/mtu_checks.h"

#include "topology/segments.h"

namespace nettopo::topology {

void check_link_mtus(const Lab& lab, const LabSource& source, Diagnostics& diagnostics) {
  for (size_t l = 0; l < lab.links.size(); ++l) {
    const Link& link = lab.links[l];
    if (!link.mtu || *link.mtu >= kMinIpv6Mtu) continue;
    for (const auto& end : link.ends) {
      bool ipv6 = false;
      for (const auto& address : end.addresses) ipv6 = ipv6 || address.family() == IpFamily::V6;
      if (!ipv6) continue;
      diagnostics.error(source.links[l].mtu_where,
                        "mtu " + std::to_string(*link.mtu) + " is below " +
                            std::to_string(kMinIpv6Mtu) + ", the least IPv6 allows, and " +
                            endpoint_label(end) + " has an IPv6 address",
                        "raise the mtu to " + std::to_string(kMinIpv6Mtu) +
                            " or more, or give this link no IPv6 address (an [addressing] "
                            "ipv6 pool gives one to every link)");
      break;
    }
  }
}

}  // namespace nettopo::topology
