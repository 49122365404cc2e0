#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/sys/ip_address.h"
#include "topology/model.h"

namespace nettopo {

/// Everything `up` will ask of the kernel's networking, as data: no system call is made here, so
/// the plan is unit-tested without root and printed by `up --dry-run`.
///
/// Interfaces get fixed ifindexes (lo is 1; a node's links take 2, 3, ... in link order; a
/// bridge's device is 2 and its ports follow), so that addresses, routes and ports can be
/// configured in the same pipelined batch as the links, with no lookups.
struct PlannedInterface {
  size_t owner = 0;  ///< index into LabPlan::namespaces
  std::string name;
  int ifindex = 0;
  std::vector<IpPrefix> addresses;
  std::optional<MacAddress> mac;
  std::optional<uint32_t> mtu;
  int master_ifindex = 0;  ///< the bridge device, for bridge ports
  topology::Impairments impairments;
};

struct PlannedNamespace {
  std::string name;  ///< node or bridge name
  bool is_bridge = false;
  std::string bridge_device;       ///< bridges only: the bridge's device name (ifindex 2)
  std::vector<size_t> interfaces;  ///< indices into LabPlan::interfaces
  bool stp = false;                ///< bridges only: spanning tree on
};

struct PlannedVeth {
  size_t a = 0;  ///< index into LabPlan::interfaces
  size_t b = 0;
};

struct PlannedRoute {
  size_t owner = 0;
  IpPrefix destination;
  std::optional<IpAddress> via;
  int oif = 0;
  uint32_t metric = 0;
};

struct PlannedSysctl {
  size_t owner = 0;
  std::string key;
  std::string value;
};

struct LabPlan {
  std::vector<PlannedNamespace> namespaces;  ///< nodes in lab order, then bridges
  std::vector<PlannedInterface> interfaces;
  std::vector<PlannedVeth> veths;
  std::vector<PlannedRoute> routes;
  std::vector<PlannedSysctl> sysctls;

  size_t node_count = 0;  ///< namespaces[0, node_count) are nodes
  bool needs_netem() const;
  /// Human-readable, one kernel operation per line, for --dry-run.
  std::string describe() const;
};

/// Derives the plan of a resolved lab. Throws Error on what the topology cannot express to the
/// kernel (a sysctl outside net.*).
LabPlan make_plan(const topology::Lab& lab);

}  // namespace nettopo
