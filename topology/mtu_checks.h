#pragma once

// What the kernel refuses about a link's MTU once its addresses are known.

#include <cstdint>

#include "topology/diagnostic.h"
#include "topology/lab_source.h"
#include "topology/model.h"

namespace nettopo::topology {

/// The least MTU of an interface with IPv6 (RFC 8200; the kernel's IPV6_MIN_MTU).
inline constexpr uint32_t kMinIpv6Mtu = 1280;

/// Reports, at its `mtu`, each link whose MTU is below kMinIpv6Mtu while one of its node ends
/// has an IPv6 address: the kernel turns IPv6 off on such an interface and refuses the address
/// (EINVAL). Run after automatic addressing, which may have given the IPv6 addresses.
void check_link_mtus(const Lab& lab, const LabSource& source, Diagnostics& diagnostics);

}  // namespace nettopo::topology
